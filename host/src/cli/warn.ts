import pc from 'picocolors';
import { safeText } from '../safe-text.js';

/**
 * The one printer of diagnostics on stderr, for every command: `error[code]: message` or
 * `warning[code]: message`, then `  hint: …` when there is one. Control characters are
 * escaped: messages quote names and bytes from images, boards and the network. The codes are
 * the catalogue's (errors/catalogue.ts, docs/errors.md).
 */

/** What a diagnostic says; a `UserError` is one. */
export interface Diagnostic {
  code: string;
  message: string;
  hint?: string | undefined;
}

/** The lines of one diagnostic, each ending in a newline; `prefix` goes before the first (a board's port when several run). */
export function formatDiagnostic(level: 'error' | 'warning', d: Diagnostic, prefix = ''): string {
  const label = level === 'warning' ? pc.yellow('warning') : 'error';
  const hint = d.hint ? `  hint: ${safeText(d.hint, { multiline: true })}\n` : '';
  return `${prefix}${label}[${d.code}]: ${safeText(d.message, { multiline: true })}\n${hint}`;
}

/** Prints an error the user can act on (a `UserError`, or a failure a command reports without throwing). */
export function printError(d: Diagnostic, prefix = ''): void {
  process.stderr.write(formatDiagnostic('error', d, prefix));
}

/** Prints a library warning: the signature of `WarnFn` (errors.ts), so it can be passed as one. */
export function printWarning(code: string, message: string, hint?: string): void {
  process.stderr.write(formatDiagnostic('warning', { code, message, hint }));
}
