import type { Command } from 'commander';
import { CommanderError } from 'commander';
import { isUserError, UserError } from '../errors.js';
import { exitCodes } from '../flasher/exit-codes.js';
import { safeText } from '../safe-text.js';

/**
 * Parses and runs the program, turning errors into exit codes: a `UserError` prints its
 * message and hint (no stack; control characters escaped, as messages quote names from images,
 * boards and the network) and exits with its code; a usage error commander finds (unknown
 * option or command, missing or excess argument, a value outside an option's choices) is
 * printed the same way as `error[cli.…]` and exits 2; anything else is a bug and prints its
 * stack with exit code 70 (EX_SOFTWARE).
 */
export async function runCli(program: Command, argv: string[]): Promise<void> {
  const failed: { command?: Command } = {};
  takeOverErrors(program, failed);
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and --version exit 0; help shown because a command is missing (`esp-sse fs`) is a usage error.
      if (e.exitCode === 0 || e.code === 'commander.help' || e.code === 'commander.helpDisplayed' || e.code === 'commander.version') {
        process.exitCode = e.exitCode === 0 ? 0 : exitCodes.usage;
        return;
      }
      printUserError(usageError(e, failed.command ?? program));
      process.exitCode = exitCodes.usage;
      return;
    }
    if (isUserError(e)) {
      printUserError(e);
      process.exitCode = e.exitCode;
      return;
    }
    process.stderr.write(`internal error (a bug in esp-sse; please report it with this output):\n`);
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 70;
  }
}

function printUserError(e: UserError): void {
  process.stderr.write(`error[${e.code}]: ${safeText(e.message, { multiline: true })}\n`);
  if (e.hint) process.stderr.write(`  hint: ${safeText(e.hint, { multiline: true })}\n`);
}

/**
 * Every command throws instead of exiting (commander copies `exitOverride` only to commands
 * created after it is set) and leaves printing its errors to {@link runCli}, noting which
 * command failed so the hint can name its `--help`.
 */
function takeOverErrors(cmd: Command, failed: { command?: Command }): void {
  cmd.exitOverride();
  cmd.configureOutput({
    outputError: () => {
      failed.command = cmd;
    },
  });
  for (const sub of cmd.commands) takeOverErrors(sub, failed);
}

/** `esp-sse fs extract`: the words that run `cmd`. */
export function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/**
 * A commander usage error as a `UserError`: `commander.unknownOption` → `cli.unknown-option`,
 * the message without commander's `error: ` prefix, and a hint that names the failing command's
 * `--help` (after commander's "Did you mean …?" when it has one).
 */
export function usageError(e: CommanderError, cmd: Command): UserError {
  const kind = e.code.replace(/^commander\./, '').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  const [first = '', ...rest] = e.message.replace(/^error: /, '').split('\n');
  const suggestion = rest.join(' ').replace(/^\((.*)\)$/, '$1').trim();
  const lists = cmd.commands.length > 0 && /command/.test(kind) ? 'lists its commands' : 'lists its arguments and options';
  const help = `${commandPath(cmd)} --help ${lists}`;
  return new UserError(`cli.${kind}`, first, suggestion ? `${suggestion} (${help})` : help, exitCodes.usage, { cause: e });
}
