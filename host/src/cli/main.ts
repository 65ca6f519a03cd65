#!/usr/bin/env node
/**
 * The `esp-sse` command. Help and the version come from the texts stored at build time when
 * they can (stored-help.ts: nothing else is loaded for them); otherwise each subcommand lives in
 * its own file and registers itself on the program (program.ts; only the command named on the
 * command line is loaded); this file runs it, and runCli is the only place that decides exit
 * codes for errors that escape a command.
 */
import { printStoredHelp } from './stored-help.js';

const args = process.argv.slice(2);
if (!printStoredHelp(args)) {
  const [{ createProgram }, { runCli }] = await Promise.all([import('./program.js'), import('./run.js')]);
  await runCli(await createProgram(args), process.argv);
}
