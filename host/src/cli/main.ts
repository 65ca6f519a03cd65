#!/usr/bin/env node
/**
 * The `esp-sse` command. Each subcommand lives in its own file and registers itself on the
 * program (program.ts; only the command named on the command line is loaded); this file runs
 * it, and runCli is the only place that decides exit codes for errors that escape a command.
 */
import { createProgram } from './program.js';
import { runCli } from './run.js';

await runCli(await createProgram(process.argv.slice(2)), process.argv);
