#!/usr/bin/env node
/**
 * The `esp-sse` command. Each subcommand lives in its own file and registers itself on the
 * program (program.ts); this file runs it, and runCli is the only place that decides exit codes
 * for errors that escape a command.
 */
import { createProgram } from './program.js';
import { runCli } from './run.js';

await runCli(createProgram(), process.argv);
