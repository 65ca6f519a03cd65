/**
 * The app's async_tcp task as the board sees it: every web callback (a request, a client's
 * connect or disconnect, a template's processor) is sent to the app as a dispatch and runs
 * there one at a time; the app answers each with `done` (or `appReply`). The task watchdog is
 * the app's own (firmware/runtime/src/executor.cpp): it times the running callback where it
 * runs, so a board slow to read the link (thousands of clients) is never taken for a stuck one.
 */
import { frame, type Frame } from '../../protocol/sketch-link.js';

export type FrameFields = Parameters<typeof frame>[2];

export class AsyncTcpQueue {
  private nextId = 1;
  /** Unfinished dispatches, and what to run in the turn each finishes. */
  private readonly pending = new Map<number, (() => void) | undefined>();

  constructor(private readonly send: (f: Frame) => void) {}

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
    this.send(typeof f === 'function' ? f(id) : frame(type, id, f));
    return id;
  }

  /** The app finished dispatch `id`. */
  finished(id: number): void {
    if (!this.pending.has(id)) return;
    const onDone = this.pending.get(id);
    this.pending.delete(id);
    onDone?.();
  }

  /** The app is gone: nothing is pending any more. */
  stop(): void {
    this.pending.clear();
  }
}
