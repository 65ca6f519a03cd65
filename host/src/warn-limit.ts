import type { WarnFn } from './errors.js';

/** Options of {@link limitWarnings}. */
export interface WarnLimitOptions {
  /** At most one warning of a code per this many ms after the first (default 10 000). */
  intervalMs?: number;
  /** The clock, ms (default `Date.now`). */
  now?: () => number;
  /**
   * Runs `fn` after `ms` and returns a cancel function. When given, a count of suppressed
   * warnings is reported when their window closes even if no further warning comes; without it
   * the count waits for the next warning of that code or for `flush()`. I/O code passes an
   * unref'd `setTimeout`; tests leave it out or pass a fake.
   */
  schedule?: (fn: () => void, ms: number) => () => void;
}

/** A rate-limited {@link WarnFn}; `flush()` reports what is still suppressed (call it on close). */
export interface LimitedWarn extends WarnFn {
  flush(): void;
}

interface Pending {
  /** When the last warning of this code was printed. */
  printedAt: number;
  /** Suppressed since then. */
  count: number;
  last?: { message: string; hint?: string };
  cancel?: () => void;
}

/**
 * Wraps `warn` so that a flood of warnings of one code (bad packets from a peer) prints a line
 * per `intervalMs` instead of a line per packet: the first warning of a code is passed on at
 * once; later ones within the window are counted; the next one passed on (the first after the
 * window, the one that closes the window when `schedule` is given, or the last on `flush()`)
 * ends with `(and N more like it)`, N being how many were suppressed before it. Every warning is
 * either printed or counted in exactly one printed line.
 */
export function limitWarnings(warn: WarnFn, options: WarnLimitOptions = {}): LimitedWarn {
  const intervalMs = options.intervalMs ?? 10_000;
  const now = options.now ?? Date.now;
  const pending = new Map<string, Pending>();

  const emit = (code: string, message: string, hint: string | undefined, suppressed: number) => {
    const text = suppressed > 0 ? `${message} (and ${suppressed} more like it)` : message;
    if (hint === undefined) warn(code, text);
    else warn(code, text, hint);
  };

  /** Prints the last suppressed warning of `code` with the count of the others. */
  const release = (code: string, p: Pending) => {
    p.cancel?.();
    delete p.cancel;
    if (p.count === 0 || !p.last) return;
    const { message, hint } = p.last;
    const others = p.count - 1;
    p.count = 0;
    delete p.last;
    p.printedAt = now();
    emit(code, message, hint, others);
  };

  const limited = ((code: string, message: string, hint?: string) => {
    const t = now();
    const p = pending.get(code);
    if (!p || t - p.printedAt >= intervalMs) {
      const suppressed = p?.count ?? 0;
      p?.cancel?.();
      pending.set(code, { printedAt: t, count: 0 });
      emit(code, message, hint, suppressed);
      return;
    }
    p.count++;
    p.last = hint === undefined ? { message } : { message, hint };
    if (options.schedule && !p.cancel) {
      p.cancel = options.schedule(() => {
        delete p.cancel;
        release(code, p);
      }, Math.max(0, p.printedAt + intervalMs - t));
    }
  }) as LimitedWarn;
  limited.flush = () => {
    for (const [code, p] of pending) release(code, p);
  };
  return limited;
}

/** A `schedule` for {@link WarnLimitOptions} on Node's timers that never keeps the process alive. */
export function unrefSchedule(fn: () => void, ms: number): () => void {
  const t = setTimeout(fn, ms);
  t.unref();
  return () => clearTimeout(t);
}
