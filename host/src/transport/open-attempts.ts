import { isUserError } from '../errors.js';
import type { ByteTransport } from './types.js';

/**
 * Delay between open attempts: esp-idf-monitor's `reconnect_delay` default (0.5 s), the same
 * delay the monitor uses to reopen a port that dropped.
 */
export const OPEN_RETRY_DELAY_MS = 500;

/** A delay that ends early when `signal` aborts. */
export type AbortableSleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export const abortableSleep: AbortableSleep = (ms, signal) =>
  new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });

export interface OpenAttemptsOptions {
  /**
   * How many times to try in all; 0 = until `signal` aborts (esp-idf-monitor's and esptool's
   * `open_port_attempts`: default 1, 0 = infinite).
   */
  attempts: number;
  /** Delay between attempts (default {@link OPEN_RETRY_DELAY_MS}). */
  delayMs?: number;
  /** Injected delay (tests); default a timer that `signal` cuts short. */
  sleep?: AbortableSleep;
  /** Stops waiting (the user quit, a deadline passed); outcome `aborted`. */
  signal?: AbortSignal;
  /** Called after each failed attempt that will be followed by another one. */
  onRetry?: (failure: { attempt: number; error: Error }) => void;
}

/** How {@link openWithAttempts} ended. `attempts` counts the opens that were tried. */
export type OpenOutcome =
  | { kind: 'open'; transport: ByteTransport; attempts: number }
  | { kind: 'failed'; error: Error; attempts: number }
  | { kind: 'aborted'; attempts: number; error?: Error };

/**
 * Opens a port that may not be there yet: a board still re-enumerating on USB after a flash
 * or a reset, one not plugged in yet, an RFC 2217 / TCP server not listening yet (connection
 * refused). `open` creates and opens a fresh transport each time; any failure of it is retried,
 * as esp-idf-monitor retries any `SerialException`/`OSError`, except a `UserError` (a bad port
 * name: waiting cannot fix it), which is thrown at once.
 */
export async function openWithAttempts(open: () => Promise<ByteTransport>, options: OpenAttemptsOptions): Promise<OpenOutcome> {
  const { attempts, signal } = options;
  const delayMs = options.delayMs ?? OPEN_RETRY_DELAY_MS;
  const sleep = options.sleep ?? abortableSleep;
  let lastError: Error | undefined;
  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted) return { kind: 'aborted', attempts: attempt - 1, ...(lastError ? { error: lastError } : {}) };
    try {
      const transport = await open();
      if (signal?.aborted) {
        // Opened just as the user quit: let go of it rather than hand over a port nobody wants.
        await transport.close().catch(() => {});
        return { kind: 'aborted', attempts: attempt };
      }
      return { kind: 'open', transport, attempts: attempt };
    } catch (e) {
      if (isUserError(e)) throw e;
      lastError = e instanceof Error ? e : new Error(String(e));
      if (attempts !== 0 && attempt >= attempts) return { kind: 'failed', error: lastError, attempts: attempt };
      options.onRetry?.({ attempt, error: lastError });
      await sleep(delayMs, signal);
    }
  }
}
