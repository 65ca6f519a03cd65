/** Helpers for the `fs` / `partitions` CLI tests: run the compiled CLI, make temp folders, walk folders. */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { beforeAll, expect } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const cliMain = resolve(import.meta.dirname, '../../dist/cli/main.js');

export interface CliResult { code: number; stdout: string; stderr: string }

/** Runs `esp-sse ARGS` (the compiled CLI) and resolves with its exit code and output. */
export function esp(args: string[], opts: { cwd?: string } = {}): Promise<CliResult> {
  return new Promise((res) => {
    execFile(process.execPath, [cliMain, ...args], { cwd: opts.cwd ?? process.cwd(), encoding: 'utf8', maxBuffer: 16 << 20, env: { ...process.env, NO_COLOR: '1' } },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        res({ code, stdout, stderr });
      });
  });
}

export function tempDir(prefix = 'esp-sse-fs-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Every file under `dir` as `/relative/path` → bytes, sorted by name. */
export function walk(dir: string): Array<{ name: string; data: Uint8Array }> {
  const out: Array<{ name: string; data: Uint8Array }> = [];
  const rec = (abs: string, rel: string): void => {
    for (const n of readdirSync(abs)) {
      const p = join(abs, n);
      if (statSync(p).isDirectory()) rec(p, `${rel}${n}/`);
      else out.push({ name: `${rel}${n}`, data: new Uint8Array(readFileSync(p)) });
    }
  };
  rec(dir, '/');
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Same names and byte-identical contents. */
export function sameFiles(a: Array<{ name: string; data: Uint8Array }>, b: Array<{ name: string; data: Uint8Array }>): boolean {
  return a.length === b.length && a.every((f, i) => f.name === b[i]!.name && Buffer.from(f.data).equals(Buffer.from(b[i]!.data)));
}

/** Fails the file up front when the compiled CLI is missing, saying how to build it. */
export function requireBuiltCli(): void {
  beforeAll(() => {
    if (!existsSync(cliMain)) throw new Error(`${cliMain} is missing: run npx tsc -p tsconfig.build.json (npm test does)`);
  });
}

/** A user error: exit 2, `error[code]: ` with a hint, never an internal error. */
export function expectUserError(r: { code: number; stderr: string }, code: string): void {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr).toContain(`error[${code}]: `);
  expect(r.stderr).toContain('hint: ');
  expect(r.stderr).not.toContain('internal error');
}
