import pc from 'picocolors';
import { safeText } from '../safe-text.js';

/**
 * Prints a library warning on stderr the way errors are printed: `warning[code]: message`, then
 * `  hint: …` when the warning carries one. Control characters are escaped: warnings quote
 * names and bytes from boards and the network.
 */
export function printWarning(code: string, message: string, hint?: string): void {
  process.stderr.write(`${pc.yellow('warning')}[${code}]: ${safeText(message, { multiline: true })}\n`);
  if (hint) process.stderr.write(`  hint: ${safeText(hint, { multiline: true })}\n`);
}
