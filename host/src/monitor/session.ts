import type { LoanReturn, LoanSource } from '../transport/port-handover.js';
import type { ByteTransport } from '../transport/types.js';
import { LogFile } from './log-file.js';
import { MenuKeys } from './menu.js';
import { playReset, realSleep, resetSequences, type Sleep } from './reset.js';
import { initialState, stepMonitor, type MachineConfig, type MonitorEffect, type MonitorEvent, type MonitorResult, type MonitorState } from './session-machine.js';
import { realScheduler, SessionOutput, type Scheduler } from './session-output.js';
import type { Clock } from './timestamp.js';
import { MonitorView, noPaint, type Paint } from './view.js';

export type { MonitorEnd, MonitorResult } from './session-machine.js';
export type { Scheduler } from './session-output.js';

/** A source of key presses (the terminal in raw mode); absent in pipe mode. */
export interface KeySource {
  onData(listener: (bytes: Uint8Array) => void): () => void;
}

/** Options of {@link runMonitor}. */
export interface MonitorOptions {
  /** Serial output for the screen/stdout. */
  write: (text: string) => void;
  /** Diagnostics (`--- reconnecting …`) for stderr. */
  status?: (text: string) => void;
  keys?: KeySource;
  timestamps?: boolean;
  hex?: boolean;
  /** Log file; logging starts on when given (Ctrl+T l toggles it). */
  logPath?: string;
  /** ELF for backtrace decoding, and the addr2line to use (both needed to decode). */
  elf?: string;
  addr2line?: string;
  /** Ends the session (reason `until`) at the first complete line that matches. */
  until?: RegExp;
  /** Ends the session (reason `timeout`) after this many ms. */
  timeoutMs?: number;
  /**
   * Reopens the port after it dropped (unplug, reset of a native-USB board, emulator restart).
   * Without it a dropped port ends the session with reason `closed`.
   */
  reopen?: () => Promise<ByteTransport>;
  /**
   * Lends the port to an esp-sse flasher that asks (transport/port-handover.ts): closes it,
   * waits for the flasher to end, reopens it with `reopen` (retrying, also without `--reconnect`)
   * and resets the board when the flasher left its hard reset to the monitor.
   */
  loans?: { source: LoanSource; reopen: () => Promise<ByteTransport> };
  /** Delay between reopen attempts (esp-idf-monitor: 0.5 s). */
  reconnectDelayMs?: number;
  /** Show an unterminated line after this much quiet (interactive); 0 = only whole lines. */
  idleFlushMs?: number;
  /** Reset the board (EN pulse) once listening, to see its boot log from the start. */
  resetOnStart?: boolean;
  /** Leave the transport open at the end (the caller owns it); default: close it. */
  keepOpen?: boolean;
  paint?: Paint;
  clock?: Clock;
  /** Waits between reopen attempts and inside reset sequences. */
  sleep?: Sleep;
  /** Timers for `timeoutMs` and the idle flush. */
  schedule?: Scheduler;
  /** Called when a port was reopened after a drop (tests, status bars). */
  onReconnect?: (transport: ByteTransport) => void;
}

/**
 * Runs the serial monitor on an already-open transport until the user exits, `until` matches,
 * `timeoutMs` passes or the port drops for good. This is also what `flash --monitor` calls to
 * take the port over from the flasher without closing it in between.
 */
export function runMonitor(transport: ByteTransport, options: MonitorOptions): Promise<MonitorResult> {
  const log = options.logPath ? new LogFile(options.logPath) : undefined;
  return new Promise<MonitorResult>((resolve) => new Session(transport, options, log, resolve).start());
}

/** A pending loan request: how to answer it, and when the port comes back. */
interface LoanCall {
  answer: (refusal: string | undefined) => void;
  back: Promise<LoanReturn>;
}

/**
 * The driver of `session-machine.ts`: turns port callbacks, keys, loan requests, timers and
 * finished waits into events, and performs the effects the machine returns.
 */
class Session {
  private state: MonitorState;
  private current: ByteTransport;
  private readonly out: SessionOutput;
  private readonly config: MachineConfig;
  private readonly sleep: Sleep;
  private readonly schedule: Scheduler;
  /** Listeners on the current port. */
  private listening: Array<() => void> = [];
  private offKeys: (() => void) | undefined;
  private offLoans: (() => void) | undefined;
  private cancelTimeout: (() => void) | undefined;
  /** The reopen in flight (and what its result did): a release waits for it before closing the port. */
  private opening: Promise<unknown> = Promise.resolve();

  constructor(
    transport: ByteTransport,
    private readonly o: MonitorOptions,
    private readonly log: LogFile | undefined,
    private readonly resolve: (r: MonitorResult) => void,
  ) {
    this.current = transport;
    this.state = initialState(transport.name);
    this.sleep = o.sleep ?? realSleep;
    this.schedule = o.schedule ?? realScheduler;
    const paint = o.paint ?? noPaint;
    this.out = new SessionOutput({
      write: o.write,
      status: o.status ?? o.write,
      view: new MonitorView(paint, { timestamps: o.timestamps ?? false, hex: o.hex ?? false }),
      paint,
      clock: o.clock ?? (() => new Date()),
      schedule: this.schedule,
      ...(log ? { log } : {}),
      ...(o.elf !== undefined ? { elf: o.elf } : {}),
      ...(o.addr2line !== undefined ? { addr2line: o.addr2line } : {}),
      ...(o.until ? { until: o.until } : {}),
      ...(o.idleFlushMs ? { idleFlushMs: o.idleFlushMs } : {}),
    });
    this.config = { reconnect: o.reopen !== undefined, reconnectDelayMs: o.reconnectDelayMs ?? 500, resetOnStart: o.resetOnStart ?? false };
  }

  start(): void {
    // Throwing here (log file not writable) rejects the promise with the UserError.
    this.log?.start();
    const { keys, loans, timeoutMs } = this.o;
    if (keys) {
      const menu = new MenuKeys();
      // One action at a time: Ctrl+] after Ctrl+T r exits once the reset has played.
      let queue = Promise.resolve();
      this.offKeys = keys.onData((bytes) => {
        for (const action of menu.feed(bytes)) queue = queue.then(() => this.dispatch({ type: 'key', action }));
      });
    }
    this.offLoans = loans?.source.onRequest(
      (request, back) => new Promise((answer) => void this.dispatch({ type: 'lend', client: request.client, pid: request.pid }, { answer, back })),
    );
    if (timeoutMs !== undefined) this.cancelTimeout = this.schedule(timeoutMs, () => void this.dispatch({ type: 'timeout' }));
    const port = this.current;
    void this.dispatch({ type: 'start', port, isOpen: port.isOpen });
  }

  /** Moves the machine on and runs the effects in order; resolves once they ran. */
  private async dispatch(event: MonitorEvent<ByteTransport>, loan?: LoanCall): Promise<void> {
    const { state, effects } = stepMonitor(this.state, event, this.config);
    this.state = state;
    for (const e of effects) {
      const pending = this.perform(e, loan);
      if (pending) await pending;
    }
  }

  private perform(e: MonitorEffect<ByteTransport>, loan: LoanCall | undefined): Promise<void> | void {
    switch (e.do) {
      case 'attach':
        this.current = e.port;
        this.listening.push(
          e.port.onData((chunk) => this.received(chunk)),
          e.port.onClose((error) => void this.dispatch(error ? { type: 'dropped', error } : { type: 'dropped' })),
        );
        return;
      case 'detach':
        this.listening.forEach((off) => off());
        this.listening = [];
        return;
      case 'say':
        return this.out.say(e.text);
      case 'send':
        if (this.current.isOpen) return this.current.write(e.bytes).catch(() => {});
        return;
      case 'reset':
        return playReset(this.current, resetSequences[e.sequence], this.sleep).catch((error: Error) => this.dispatch({ type: 'reset-failed', error }));
      case 'toggle':
        return this.out.toggle(e.what);
      case 'release':
        return this.opening.then(() => this.current.close()).catch(() => {});
      case 'answer':
        loan?.answer(e.refusal);
        if (loan && e.refusal === undefined) void loan.back.then((r) => this.dispatch({ type: 'returned', finished: r.finished, reset: r.reset }));
        return;
      case 'wait':
        void this.sleep(e.ms).then(() => this.dispatch({ type: 'waited', epoch: e.epoch }));
        return;
      case 'open': {
        const open = e.via === 'loan' ? this.o.loans!.reopen : this.o.reopen!;
        this.opening = (async () => open())().then(
          (port) => this.dispatch({ type: 'opened', epoch: e.epoch, port }),
          (error: Error) => this.dispatch({ type: 'open-failed', epoch: e.epoch, error }),
        );
        return;
      }
      case 'discard':
        return e.port.close().catch(() => {});
      case 'reconnected':
        return this.o.onReconnect?.(e.port);
      case 'end':
        return this.end(e.result);
    }
  }

  private received(chunk: Uint8Array): void {
    if (this.state.name === 'stopping') return;
    const matched = this.out.push(chunk);
    if (matched !== undefined) void this.dispatch({ type: 'until', line: matched });
  }

  private end(result: MonitorResult): void {
    this.cancelTimeout?.();
    this.perform({ do: 'detach' }, undefined);
    this.offKeys?.();
    this.offLoans?.();
    void this.out.end().then(async () => {
      if (!this.o.keepOpen) await this.current.close().catch(() => {});
      this.resolve(result);
    });
  }
}
