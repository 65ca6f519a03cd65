/**
 * Runs the sketch's `loop()` on the board's schedule, not the host's: tick n is due at
 * t0 + n·period on the (injectable) clock, so time the host spends writing to many sockets
 * never stretches the schedule. A late tick runs at once (a few at most per turn of the
 * event loop, so sockets are still served); ticks missed by more than `maxCatchUp` periods
 * are dropped (counted in `skipped`) and the schedule restarts from now: a host that stalled
 * for seconds does not then burst hundreds of events, and a host slower than the period
 * cannot hang the event loop.
 */
import { loopDelayMs } from '../../contract/board.js';
import { DropReport } from './drop-report.js';

/**
 * One pass of `loop()` on the board: `delay(20)` is `vTaskDelay(20)`, which wakes the loop task
 * 20 ticks (1 kHz) after the tick it was called in, and the body (the JSON and one
 * `events.send()`) takes well under a tick, so the loop runs every 20 ms exactly: 50 events/s.
 * The compiled sketch's `delay()` wakes on the same tick boundaries (firmware/runtime/src/clock.cpp).
 */
export const loopPeriodMs = loopDelayMs;

/**
 * Due ticks run back to back before the scheduler yields to I/O. One: with 2,000 SSE clients a
 * tick is ~18 ms of socket writes, and four in a row kept new connections waiting ~80 ms per
 * event-loop turn (fan-out bench: 2,000 clients took 13–21 s to connect, a joining client's
 * hello! 0.3–1 s; with one per turn 0.85 s and ~15 ms).
 */
const maxTicksPerTurn = 1;

/** Timer functions; tests pass a fake. */
export interface LoopTimer {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemLoopTimer: LoopTimer = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export interface LoopSchedulerOptions {
  readonly tick: () => void;
  readonly periodMs?: number;
  readonly timer?: LoopTimer;
  /** Largest backlog of missed ticks that is still caught up (default 10). */
  readonly maxCatchUp?: number;
  /**
   * Told when ticks were dropped because the host fell behind: at once the first time, then
   * at most every `behindReportMs` of timer time, with the ticks dropped since the last report.
   */
  readonly onBehind?: (dropped: number) => void;
  /** Default 10 s. */
  readonly behindReportMs?: number;
}

export class LoopScheduler {
  private readonly period: number;
  private readonly timer: LoopTimer;
  private readonly maxCatchUp: number;
  private t0 = 0;
  private n = 0;
  private handle: unknown;
  private running = false;
  private readonly behind: DropReport | undefined;
  /** Ticks run so far (since start). */
  ticks = 0;
  /** Ticks dropped because the host stalled beyond `maxCatchUp`. */
  skipped = 0;

  constructor(private readonly options: LoopSchedulerOptions) {
    this.period = options.periodMs ?? loopPeriodMs;
    this.timer = options.timer ?? systemLoopTimer;
    this.maxCatchUp = options.maxCatchUp ?? 10;
    const onBehind = options.onBehind;
    this.behind = onBehind && new DropReport(onBehind, options.behindReportMs ?? 10_000, () => this.timer.now());
  }

  /** Runs the first tick now (the loop starts right after setup) and schedules the rest. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.t0 = this.timer.now();
    this.n = 0;
    this.run();
  }

  stop(): void {
    this.running = false;
    if (this.handle !== undefined) this.timer.clearTimeout(this.handle);
    this.handle = undefined;
  }

  private run(): void {
    this.handle = undefined;
    let now = this.timer.now();
    // At most maxTicksPerTurn due ticks back to back, then yield: a host slower than the period must
    // still read sockets and accept connections between ticks.
    for (let ran = 0; this.running && ran < maxTicksPerTurn; ran++) {
      const behind = Math.floor((now - this.t0) / this.period) - this.n;
      if (behind > this.maxCatchUp) {
        this.skipped += behind;
        this.behind?.add(behind);
        this.t0 = now;
        this.n = 0;
      }
      if (now < this.t0 + this.n * this.period) break;
      this.n++;
      this.ticks++;
      this.options.tick();
      now = this.timer.now();
    }
    if (!this.running) return;
    const wait = this.t0 + this.n * this.period - now;
    this.handle = this.timer.setTimeout(() => this.run(), wait > 0 ? Math.max(1, Math.ceil(wait)) : 0);
  }
}
