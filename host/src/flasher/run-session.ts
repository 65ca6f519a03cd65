import { isUserError, UserError, type WarnFn } from '../errors.js';
import type { BorrowOutcome } from '../transport/port-handover-client.js';
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
 * regions whose MD5 already matches, so a retry resumes). Once connected, `--after` runs
 * whatever the job did: it succeeded, refused its input, got a loader error or threw; so a
 * `hard_reset` (the default) leaves the board running its app as it was found.
 *
 * First, when an esp-sse monitor holds the port, it is asked to lend it (`link.borrow`); it
 * gets the port back once the last session closed it, whatever happened. A hard reset is then
 * left to the monitor, which does it once it holds the port again, so its output shows the
 * boot log from the first line (as `flash --monitor` does).
 */
export async function runSession<T>(opts: RunOptions, job: (s: FlasherSession) => Promise<T>): Promise<T> {
  const warn: WarnFn = (code, message, hint) => opts.onEvent?.({ type: 'warning', port: opts.port, code, message, ...(hint ? { hint } : {}) });
  const borrowed: BorrowOutcome = (await opts.link.borrow?.(opts.port, warn)) ?? { kind: 'none' };
  const loan = borrowed.kind === 'lent' ? borrowed.loan : undefined;
  if (loan) opts.onEvent?.({ type: 'port-borrowed', port: opts.port, lender: loan.lender });
  let monitorResets = false;
  try {
    return await runSessions(opts, job, async (session) => {
      if (opts.after === 'hard_reset' && loan?.lenderPresent) {
        monitorResets = true;
        opts.onEvent?.({ type: 'reset', port: opts.port, mode: 'hard_reset', by: 'monitor' });
      } else await session.after(opts.after);
    });
  } catch (e) {
    throw borrowed.kind === 'not-lent' ? heldByMonitor(e, borrowed.why) : e;
  } finally {
    await loan?.giveBack({ reset: monitorResets });
  }
}

async function runSessions<T>(opts: RunOptions, job: (s: FlasherSession) => Promise<T>, after: (s: FlasherSession) => Promise<void>): Promise<T> {
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
      let result: T;
      try {
        result = await job(session);
      } catch (e) {
        if (canRetry && isLinkError(e)) {
          opts.onEvent?.({ type: 'baud-fallback', port: opts.port, from: session.baud, to: next, reason: (e as Error).message });
          continue; // the next connect resets the chip anyway
        }
        await leaveAsFound(session, after);
        throw e;
      }
      await after(session);
      return result;
    } finally {
      await session.close();
    }
  }
}

/**
 * `--after` on a failed job (a refused plan, a loader error, a bug): the board was running
 * when we found it, so it runs again, unless the link is gone (nothing can reach the reset
 * lines then). A failure here must not hide the job's error, which is what the user needs.
 */
async function leaveAsFound(session: FlasherSession, after: (s: FlasherSession) => Promise<void>): Promise<void> {
  if (session.linkLost) return;
  try {
    await after(session);
  } catch {
    // The job's error is reported; a reset that failed as well adds nothing the user can act on.
  }
}

/** `port.busy` while an esp-sse monitor that was asked kept the port: say so, and how to free it. */
function heldByMonitor(e: unknown, why: string): unknown {
  if (!isUserError(e) || e.code !== 'port.busy') return e;
  return new UserError('port.busy', `${e.message}: an esp-sse monitor holds it and did not hand it over (${why})`,
    'quit that monitor (Ctrl+] in its terminal) and run the command again', e.exitCode, { cause: e });
}
