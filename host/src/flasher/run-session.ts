import { isUserError } from '../errors.js';
import { BaudChangeError, FlasherSession, ROM_BAUD, type AfterMode, type SessionOptions } from './session.js';

/** Rates tried in order when the link fails at the asked one (ESPHome-style fallback, ending at 115200). */
export const fallbackRates = [921600, 460800, 230400, ROM_BAUD] as const;

/** Pure: the asked rate, then each lower standard rate down to 115200. */
export function baudLadder(asked: number): number[] {
  if (asked <= ROM_BAUD) return [asked];
  return [asked, ...fallbackRates.filter((r) => r < asked)];
}

/** Errors worth retrying at a lower rate: protocol timeouts and garbled frames, not a vanished port. */
export function isLinkError(e: unknown): boolean {
  return e instanceof BaudChangeError || (isUserError(e) && (e.code === 'flash.link-error' || e.code === 'connect.link-error'));
}

export interface RunOptions extends SessionOptions {
  after: AfterMode;
}

/**
 * Connects, runs `job`, applies `--after` and closes the port, stepping down the baud
 * ladder when the link fails at a rate. A retried `job` must be safe to repeat (writes skip
 * regions whose MD5 already matches, so a retry resumes).
 */
export async function runSession<T>(opts: RunOptions, job: (s: FlasherSession) => Promise<T>): Promise<T> {
  const ladder = baudLadder(opts.baud);
  for (let i = 0; ; i++) {
    const baud = ladder[i]!;
    const next = ladder[i + 1];
    // Without a reset the chip cannot be brought back to 115200 after a failed switch.
    const canRetry = next !== undefined && opts.before !== 'no_reset';
    let session: FlasherSession;
    try {
      session = await FlasherSession.connect({ ...opts, baud });
    } catch (e) {
      if (canRetry && isLinkError(e)) {
        opts.onEvent?.({ type: 'baud-fallback', port: opts.port, from: baud, to: next, reason: (e as Error).message });
        continue;
      }
      throw e;
    }
    try {
      const result = await job(session);
      await session.after(opts.after);
      return result;
    } catch (e) {
      if (canRetry && isLinkError(e)) {
        opts.onEvent?.({ type: 'baud-fallback', port: opts.port, from: session.baud, to: next, reason: (e as Error).message });
        continue;
      }
      throw e;
    } finally {
      await session.close();
    }
  }
}
