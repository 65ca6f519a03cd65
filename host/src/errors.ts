/**
 * Typed errors. A `UserError` is the user's (or the board's) problem: it carries a stable
 * `code` that tests and scripts match on, a message saying what happened and a `hint` saying
 * what to do. The CLI prints it without a stack and exits with `exitCode`. Anything else that
 * reaches the CLI is a bug and is printed with its stack.
 */
export class UserError extends Error {
  override readonly name = 'UserError';
  constructor(
    /** Stable, kebab-case, namespaced: `fs.name-too-long`, `emulate.port-in-use`. */
    readonly code: string,
    message: string,
    /** What to do about it: the flag to change, the command to run, the wiring to check. */
    readonly hint?: string,
    /** Process exit code the CLI uses; documented per command in docs/cli.md. */
    readonly exitCode = 2,
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
 */
export type WarnFn = (code: string, message: string, hint?: string) => void;
