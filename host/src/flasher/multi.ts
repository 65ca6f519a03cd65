import { isUserError } from '../errors.js';
import { exitCodes } from './exit-codes.js';

/** The outcome for one board of a (possibly multi-board) run, as `--json` prints it. */
export type BoardOutcome<T> =
  | { port: string; ok: true; result: T }
  | { port: string; ok: false; error: { code: string; message: string; hint?: string; exitCode: number } };

/**
 * Runs `job` on every port at once. One board failing never stops the others; each gets its
 * own outcome. Non-`UserError`s (bugs) are reported with code `internal` and exit code 70.
 */
export async function runOnPorts<T>(ports: readonly string[], job: (port: string) => Promise<T>): Promise<BoardOutcome<T>[]> {
  const settled = await Promise.allSettled(ports.map((p) => job(p)));
  return settled.map((s, i): BoardOutcome<T> => {
    const port = ports[i]!;
    if (s.status === 'fulfilled') return { port, ok: true, result: s.value };
    const e: unknown = s.reason;
    if (isUserError(e)) {
      const error: { code: string; message: string; hint?: string; exitCode: number } = { code: e.code, message: e.message, exitCode: e.exitCode };
      if (e.hint) error.hint = e.hint;
      return { port, ok: false, error };
    }
    const message = e instanceof Error ? (e.stack ?? e.message) : String(e);
    return { port, ok: false, error: { code: 'internal', message, exitCode: exitCodes.internal } };
  });
}

/** Pure: the process exit code for a set of outcomes: 0, the single failure's code, or `partial`. */
export function overallExitCode(outcomes: readonly BoardOutcome<unknown>[]): number {
  const failed = outcomes.filter((o) => !o.ok);
  if (failed.length === 0) return exitCodes.ok;
  if (failed.length < outcomes.length) return exitCodes.partial;
  const first = failed[0]!;
  return first.ok ? exitCodes.ok : first.error.exitCode;
}
