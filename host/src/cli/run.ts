import type { Command } from 'commander';
import { CommanderError } from 'commander';
import { exitCodes, isUserError, UserError } from '../errors.js';
import { printError } from './warn.js';

/**
 * Parses and runs the program, turning errors into exit codes: a `UserError` prints its
 * message and hint (no stack; control characters escaped, as messages quote names from images,
 * boards and the network) and exits with its code; a usage error commander finds (unknown
 * option or command, missing or excess argument, a value outside an option's choices) is
 * printed the same way as `error[cli.…]` and exits 2; anything else is a bug and prints its
 * stack with exit code 70 (EX_SOFTWARE). The codes and exit codes are the catalogue's
 * (errors/catalogue.ts, docs/errors.md).
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
      printError(usageError(e, failed.command ?? program));
      process.exitCode = exitCodes.usage;
      return;
    }
    if (isUserError(e)) {
      printError(e);
      process.exitCode = e.exitCode;
      return;
    }
    printBug(e);
    process.exitCode = exitCodes.internal;
  }
}

/** A bug: its stack (and its causes'), for the report. */
function printBug(e: unknown): void {
  process.stderr.write('internal error (a bug in esp-sse; please report it with this output):\n');
  for (let c: unknown = e, depth = 0; c !== undefined && depth < 5; c = (c as { cause?: unknown }).cause, depth++) {
    if (depth > 0) process.stderr.write('caused by: ');
    process.stderr.write(`${c instanceof Error ? (c.stack ?? c.message) : String(c)}\n`);
    if (!(c instanceof Error)) break;
  }
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

/** Commander's usage errors and their codes; one it adds later is `cli.usage` until listed here. */
const usageCodes: Readonly<Record<string, string>> = {
  'commander.unknownOption': 'cli.unknown-option',
  'commander.unknownCommand': 'cli.unknown-command',
  'commander.missingArgument': 'cli.missing-argument',
  'commander.optionMissingArgument': 'cli.option-missing-argument',
  'commander.missingMandatoryOptionValue': 'cli.missing-mandatory-option-value',
  'commander.conflictingOption': 'cli.conflicting-option',
  'commander.excessArguments': 'cli.excess-arguments',
  'commander.invalidArgument': 'cli.invalid-argument',
};

/**
 * A commander usage error as a `UserError`: `commander.unknownOption` → `cli.unknown-option`,
 * the message without commander's `error: ` prefix, and a hint that names the failing command's
 * `--help` (after commander's "Did you mean …?" when it has one).
 */
export function usageError(e: CommanderError, cmd: Command): UserError {
  const code = usageCodes[e.code] ?? 'cli.usage';
  const [first = '', ...rest] = e.message.replace(/^error: /, '').split('\n');
  const suggestion = rest.join(' ').replace(/^\((.*)\)$/, '$1').trim();
  const lists = cmd.commands.length > 0 && /command/.test(code) ? 'lists its commands' : 'lists its arguments and options';
  const help = `${commandPath(cmd)} --help ${lists}`;
  return new UserError(code, first, suggestion ? `${suggestion} (${help})` : help, exitCodes.usage, { cause: e });
}
