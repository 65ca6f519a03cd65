/**
 * Test helpers for the host build: file trees, a tiny runtime of our own (so the build is
 * tested apart from firmware/runtime) and a compiler wrapper that logs each call.
 */
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** Writes `{ 'src/main.cpp': '…' }` under `root`. */
export async function writeTree(root: string, tree: Readonly<Record<string, string>>): Promise<void> {
  for (const [path, content] of Object.entries(tree)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), content);
  }
}

/**
 * A runtime with the shape of firmware/runtime: `include/Arduino.h` declaring setup/loop and
 * a print, `src/core.cpp` whose main() runs setup() and loop() once, and a C file.
 */
export const TINY_RUNTIME: Readonly<Record<string, string>> = {
  'include/Arduino.h': [
    '#pragma once',
    '#ifdef __cplusplus',
    'extern "C" {',
    '#endif',
    'void emu_print(const char *text);',
    'int emu_twice(int x);',
    '#ifdef __cplusplus',
    '}',
    'void setup();',
    'void loop();',
    '#endif',
    '',
  ].join('\n'),
  'include/WiFi.h': '#pragma once\n#include "Arduino.h"\n',
  'src/core.cpp': [
    '#include <Arduino.h>',
    '#include <cstdio>',
    'extern "C" void emu_print(const char *text) { std::printf("%s\\n", text); }',
    'int main() { setup(); loop(); return 0; }',
    '',
  ].join('\n'),
  'src/util/twice.c': '#include <Arduino.h>\nint emu_twice(int x) { return 2 * x; }\n',
};

/** A minimal PlatformIO project: its platformio.ini with `build_flags`, and a sketch printing `text`. */
export function tinyProject(buildFlags = '', text = '"hello from the sketch"'): Record<string, string> {
  return {
    'platformio.ini': `[env:esp32dev]\nplatform = espressif32\nboard = esp32dev\nframework = arduino\n${buildFlags ? `build_flags =\n  ${buildFlags.split('\n').join('\n  ')}\n` : ''}`,
    'src/main.cpp': `#include <Arduino.h>\nvoid setup() { emu_print(${text}); }\nvoid loop() {}\n`,
  };
}

export interface LoggingCompiler {
  /** The wrapper script, to pass as `compiler`. */
  path: string;
  /** Each call's arguments, one line per call. */
  calls(): Promise<string[]>;
}

/**
 * A shell script that logs its arguments and runs g++. When the file `hangFile` exists, a
 * link (no `-c`) instead writes half an output file, touches `hangFile + '.reached'` and
 * sleeps: a build caught mid-link.
 */
export async function loggingCompiler(dir: string, name = 'cxx'): Promise<LoggingCompiler & { hangFile: string }> {
  const path = join(dir, name);
  const log = join(dir, `${name}.log`);
  const hangFile = join(dir, `${name}.hang`);
  await writeFile(path, [
    '#!/bin/sh',
    `printf '%s\\n' "$*" >> '${log}'`,
    'compile=no; out=; prev=',
    'for a in "$@"; do [ "$a" = -c ] && compile=yes; [ "$prev" = -o ] && out="$a"; prev="$a"; done',
    `if [ $compile = no ] && [ -n "$out" ] && [ -e '${hangFile}' ]; then`,
    '  printf "half an executable" > "$out"',
    `  : > '${hangFile}.reached'`,
    '  exec sleep 60',
    'fi',
    'exec g++ "$@"',
    '',
  ].join('\n'));
  await chmod(path, 0o755);
  return {
    path,
    hangFile,
    calls: async () => (await readFile(log, 'utf8').catch(() => '')).split('\n').filter((l) => l !== ''),
  };
}
