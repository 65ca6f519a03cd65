/**
 * The app's async_tcp task as the board sees it: every web callback (a request, a client's
 * connect or disconnect, a template's processor) is sent to the app as a dispatch and runs
 * there one at a time; the app answers each with `done` (or `appReply`). The task watchdog
 * (5 s on the board, fed after every event) fires when the oldest unfinished dispatch has had
 * the task for longer than that: `onWatchdog` is called once and nothing more is timed.
 */
import { frame, type Frame } from '../../protocol/sketch-link.js';

/** The task watchdog's timeout on the board (CONFIG_ESP_TASK_WDT_TIMEOUT_S = 5). */
export const taskWatchdogMs = 5000;

export type FrameFields = Parameters<typeof frame>[2];

export class AsyncTcpQueue {
  private nextId = 1;
  /** Unfinished dispatches, and what to run in the turn each finishes. */
  private readonly pending = new Map<number, (() => void) | undefined>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly send: (f: Frame) => void,
    private readonly onWatchdog: () => void,
    private readonly watchdogMs = taskWatchdogMs,
  ) {}

  /** A fresh id for a frame that is not a dispatch (an SSE client's id). */
  newId(): number {
    return this.nextId++;
  }

  /**
   * Sends a dispatch of `type` (its fields, or a builder given the id); `onDone` runs
   * synchronously when the app reports it finished, before the next frame is handled.
   */
  dispatch(type: number, f: FrameFields | ((id: number) => Frame), onDone?: () => void): number {
    const id = this.nextId++;
    this.pending.set(id, onDone);
    if (this.pending.size === 1) this.feed();
    this.send(typeof f === 'function' ? f(id) : frame(type, id, f));
    return id;
  }

  /** The app finished dispatch `id`. */
  finished(id: number): void {
    if (!this.pending.has(id)) return;
    const onDone = this.pending.get(id);
    this.pending.delete(id);
    this.feed();
    onDone?.();
  }

  /** The app is gone: nothing is pending any more, nothing is timed. */
  stop(): void {
    this.stopped = true;
    this.pending.clear();
    this.feed();
  }

  /** The watchdog is fed whenever the task takes a new event: it times the oldest unfinished one. */
  private feed(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.size > 0 && !this.stopped) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.stopped = true;
        this.onWatchdog();
      }, this.watchdogMs);
    }
  }
}
