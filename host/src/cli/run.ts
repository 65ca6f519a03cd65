import type { Command } from 'commander';
import { CommanderError } from 'commander';
import { isUserError } from '../errors.js';
import { safeText } from '../safe-text.js';

/**
 * Parses and runs the program, turning errors into exit codes: a `UserError` prints its
 * message and hint (no stack; control characters escaped, as messages quote names from images,
 * boards and the network) and exits with its code; anything else is a bug and prints its
 * stack with exit code 70 (EX_SOFTWARE).
 */
export async function runCli(program: Command, argv: string[]): Promise<void> {
  program.exitOverride();
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      // commander already printed its message (help, version, unknown option).
      process.exitCode = e.exitCode === 0 ? 0 : 2;
      return;
    }
    if (isUserError(e)) {
      process.stderr.write(`error[${e.code}]: ${safeText(e.message, { multiline: true })}\n`);
      if (e.hint) process.stderr.write(`  hint: ${safeText(e.hint, { multiline: true })}\n`);
      process.exitCode = e.exitCode;
      return;
    }
    process.stderr.write(`internal error (a bug in esp-sse; please report it with this output):\n`);
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 70;
  }
}
