/**
 * The live CLI's help and version texts, rendered in-process exactly as `esp-sse … --help`
 * prints them: what host/scripts/help-texts.mjs stores at build time for stored-help.ts, and
 * what host/test/stored-help.test.ts compares the stored texts with.
 */
import type { Command } from 'commander';
import { CommanderError } from 'commander';
import { helpWidth } from './help-width.js';
import type { StoredHelp } from './stored-help.js';
import { createProgram } from './program.js';

/** Every subcommand line under `cmd`: `['flash']`, `['fs']`, `['fs', 'build']`, … (the root not included). */
export function subcommandPaths(cmd: Command, prefix: readonly string[] = []): string[][] {
  return cmd.commands.flatMap((c) => {
    const path = [...prefix, c.name()];
    return [path, ...subcommandPaths(c, path)];
  });
}

/** What `esp-sse ...args` writes to stdout, for an `args` that prints help or the version. */
export async function renderHelp(args: readonly string[]): Promise<string> {
  const program = await createProgram(args);
  let out = '';
  const capture = (cmd: Command): void => {
    cmd.exitOverride();
    cmd.configureOutput({ writeOut: (s) => (out += s), writeErr: (s) => (out += s) });
    cmd.commands.forEach(capture);
  };
  capture(program);
  try {
    await program.parseAsync(['node', 'esp-sse', ...args]);
  } catch (e) {
    if (!(e instanceof CommanderError && e.exitCode === 0)) throw e;
  }
  return out;
}

/** Every text stored-help.ts can print: each command line's `--help`, and `--version`. */
export async function renderStoredHelp(): Promise<StoredHelp> {
  const texts: Record<string, string> = {};
  for (const path of [[], ...subcommandPaths(await createProgram())]) {
    const args = [...path, '--help'];
    texts[args.join(' ')] = await renderHelp(args);
  }
  texts['--version'] = await renderHelp(['--version']);
  return { width: helpWidth, texts };
}
