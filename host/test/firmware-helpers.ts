/**
 * Shared by the firmware tests: where the sketch and the emulator runtime's headers live, and
 * how to compile the sketch on the host with g++ (syntax and types only, nothing is linked).
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const sketchPath = path.join(repoRoot, 'firmware', 'src', 'main.cpp');
export const runtimeInclude = path.join(repoRoot, 'firmware', 'runtime', 'include');

/** Stand-in credentials: the sketch refuses to compile without them. */
export const ciCredentials = ['-DWIFI_SSID="ci-network"', '-DWIFI_PASSWORD="ci-password"'];

export interface CompileResult {
  code: number;
  stderr: string;
}

/** `g++ -std=gnu++17 -fsyntax-only -Wall -Werror` on one source file against the runtime's headers. */
export function compileSketch(file: string, defines: string[] = ciCredentials): Promise<CompileResult> {
  const args = ['-std=gnu++17', '-fsyntax-only', '-Wall', '-Werror', '-I', runtimeInclude, ...defines, '-x', 'c++', file];
  return new Promise((resolve, reject) => {
    execFile('g++', args, { timeout: 60_000 }, (err, _stdout, stderr) => {
      if (err && (err as NodeJS.ErrnoException).code === 'ENOENT') {
        reject(new Error('g++ not found: install it (Debian: apt-get install g++; .ci/run does this)'));
        return;
      }
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stderr });
    });
  });
}
