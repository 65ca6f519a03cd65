/**
 * Every exit code esp-sse uses, in one table; errors/exit-code-meanings.ts says when each
 * happens and docs/errors.md prints both. Scripts match on these: keep them stable. Each error
 * code in the catalogue (errors/catalogue.ts) names one of them.
 */
export const exitCodes = {
  ok: 0,
  unmet: 1,
  usage: 2,
  port: 3,
  connect: 4,
  connectionLost: 5,
  verify: 6,
  partial: 7,
  internal: 70,
  stdoutClosed: 141,
} as const;

export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes];

/** A command ended by a signal (`monitor` turns SIGINT/SIGTERM/SIGHUP into a clean stop) exits 128 + the signal's number. */
export const signalExitCodes: Readonly<Record<string, number>> = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };

/**
 * Typed errors. A `UserError` is the user's (or the board's) problem: it carries a stable
 * `code` that tests and scripts match on, a message saying what happened and a `hint` saying
 * what to do. The CLI prints it without a stack and exits with `exitCode`. Anything else that
 * reaches the CLI is a bug and is printed with its stack (exit 70). Every code, with what it
 * means, its usual hint and its exit code, is in the catalogue (errors/catalogue.ts), from which
 * docs/errors.md is generated; a test fails when a code used here is missing there.
 */
export class UserError extends Error {
  override readonly name = 'UserError';
  constructor(
    /** Stable, kebab-case, namespaced: `fs.name-too-long`, `emulate.port-in-use`. */
    readonly code: string,
    message: string,
    /** What to do about it: the flag to change, the command to run, the wiring to check. */
    readonly hint?: string,
    /** Process exit code the CLI uses: one of errors/exit-codes.ts, the one the catalogue lists for `code` (docs/errors.md). */
    readonly exitCode: number = exitCodes.usage,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isUserError(e: unknown): e is UserError {
  return e instanceof UserError;
}

/**
 * Warnings about bad bytes from a network or serial line, or a degraded mode the library fell
 * back to: reported, never thrown. `hint`, when given, says what to do, as a UserError's does.
 * The codes are in the catalogue too; the CLI prints them with cli/warn.ts.
 */
export type WarnFn = (code: string, message: string, hint?: string) => void;
