#!/usr/bin/env node
/**
 * `npm start [-- emulate options]`: builds what changed (`tsc -b`, incremental: nothing to do
 * for an unchanged tree, and the stored help texts after it) and runs `esp-sse emulate` with the
 * arguments given, in this same process, so a signal to it reaches the emulator, which closes the
 * board (and its sketch process) and exits 0. Exit code: the build's when it fails, else the emulator's.
 *
 * npm runs this through `sh -c` and passes SIGTERM/SIGINT only to that shell, which dies without
 * passing them on; so when the parent goes away (npm or its shell was stopped), this stops as if
 * it had received SIGTERM, instead of keeping the board's port as an orphan.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const signalNumbers = { SIGINT: 2, SIGTERM: 15 };

/** Our parent is gone when we have been handed to another (init or a subreaper): stop, once. */
const parent = process.ppid;
const orphanWatch = setInterval(() => {
  if (process.ppid === parent) return;
  clearInterval(orphanWatch);
  process.kill(process.pid, 'SIGTERM');
}, 200);
orphanWatch.unref();

/** `tsc -b tsconfig.build.json`; a signal meanwhile stops the compiler and then this process. */
async function build() {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const child = spawn(process.execPath, [tsc, '-b', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  let stoppedBy;
  const stop = (signal) => {
    stoppedBy = signal;
    child.kill(signal);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const code = await new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (c, signal) => resolve(c ?? 128 + (signalNumbers[signal] ?? 1)));
  });
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);
  if (stoppedBy) process.exit(128 + signalNumbers[stoppedBy]);
  if (code !== 0) process.exit(code);
}

await build();
// The stored help texts follow the build (nothing to do when it changed nothing).
await import('./help-texts.mjs');
// The CLI as `node dist/cli/main.js emulate …` runs it; its emulate command handles SIGINT/SIGTERM.
const main = join(root, 'dist', 'cli', 'main.js');
process.argv = [process.execPath, main, 'emulate', ...process.argv.slice(2)];
await import(pathToFileURL(main).href);
