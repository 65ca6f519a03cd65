import pc from 'picocolors';

/**
 * Prints a library warning on stderr the way errors are printed: `warning[code]: message`, then
 * `  hint: …` when the warning carries one.
 */
export function printWarning(code: string, message: string, hint?: string): void {
  process.stderr.write(`${pc.yellow('warning')}[${code}]: ${message}\n`);
  if (hint) process.stderr.write(`  hint: ${hint}\n`);
}
