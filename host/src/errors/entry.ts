import { exitCodes, type ExitCode } from '../errors.js';

/**
 * One code of the catalogue. `meaning` says what happened, in one line; `hint` is what to do
 * as most places that raise the code say it (a site may name the exact flag, file or port).
 */
export type CatalogueEntry =
  | {
      kind: 'error';
      /** The process exit code of a command that fails with it. */
      exit: ExitCode;
      meaning: string;
      hint?: string;
      /** Also printed as a warning where the same problem does not stop the command. */
      alsoWarning?: true;
    }
  | { kind: 'warning'; meaning: string; hint?: string };

/** An error code with its exit code. */
export function error(exit: ExitCode, meaning: string, hint?: string): CatalogueEntry {
  return { kind: 'error', exit, meaning, ...(hint !== undefined ? { hint } : {}) };
}

/** A usage error (exit 2): bad arguments, files or images; nothing was touched. */
export function usage(meaning: string, hint?: string): CatalogueEntry {
  return error(exitCodes.usage, meaning, hint);
}

/** A warning: printed as `warning[code]: …`, never thrown; the command goes on. */
export function warning(meaning: string, hint?: string): CatalogueEntry {
  return { kind: 'warning', meaning, ...(hint !== undefined ? { hint } : {}) };
}

/** An error that another command (or another path) prints as a warning and goes on. */
export function errorOrWarning(entry: CatalogueEntry): CatalogueEntry {
  return { ...entry, kind: 'error', alsoWarning: true } as CatalogueEntry;
}
