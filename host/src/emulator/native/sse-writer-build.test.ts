/**
 * buildSseWriter with the real g++ (through a logging wrapper, to count its runs) into a temp
 * cache, and prepareSseWriter's choice: the cache is hit without a compiler run, a changed
 * source is built again, a source that does not compile is reported (never thrown), `auto`
 * falls back to Node with a warning, `native` without a way to build it is a coded error.
 */
import { access, appendFile, constants, cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserError } from '../../errors.js';
import { prepareSseWriter } from '../sse-writer-choice.js';
import { buildSseWriter } from './sse-writer-build.js';
import { loggingCompiler, type LoggingCompiler } from './testing.js';

let root = '';
let cxx: LoggingCompiler;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'esp-sse-writer-build-'));
  cxx = await loggingCompiler(root);
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const linkRuns = async () => (await cxx.calls()).filter((c) => c.includes('sse-writer.cpp')).length;

describe('buildSseWriter', () => {
  it('builds the shipped writer once per source: the cache is hit without running the compiler, an edit of the source or a header builds again', async () => {
    const cacheDir = join(root, 'cache');
    const first = await buildSseWriter({ compiler: cxx.path, cacheDir });
    expect(first).toMatchObject({ ok: true, compiled: true });
    await access((first as { executable: string }).executable, constants.X_OK);
    const again = await buildSseWriter({ compiler: cxx.path, cacheDir });
    expect(again).toEqual({ ...first, compiled: false });
    expect(await linkRuns()).toBe(1);

    // A copy of host/native/, then edits: each gives another executable.
    const folder = join(root, 'native');
    await cp(fileURLToPath(new URL('../../../native/', import.meta.url)), folder, { recursive: true });
    const source = join(folder, 'sse-writer.cpp');
    const copy = await buildSseWriter({ compiler: cxx.path, cacheDir, source });
    expect(copy).toEqual({ ...first, compiled: false }); // same files, same key
    const executables = new Set([(first as { executable: string }).executable]);
    for (const file of ['sse-writer.cpp', 'json-line.h']) {
      await appendFile(join(folder, file), '\n// edited\n');
      const edited = await buildSseWriter({ compiler: cxx.path, cacheDir, source });
      expect(edited, file).toMatchObject({ ok: true, compiled: true });
      executables.add((edited as { executable: string }).executable);
    }
    expect(executables.size).toBe(3);
    expect(await linkRuns()).toBe(3);
  });

  it('a source that does not compile is a result with the compiler output, and nothing is cached', async () => {
    const source = join(root, 'sse-writer.cpp');
    await writeFile(source, 'int main() { return nope; }\n');
    const r = await buildSseWriter({ compiler: cxx.path, cacheDir: join(root, 'cache'), source });
    expect(r.ok).toBe(false);
    expect((r as { output: string }).output).toMatch(/'nope' was not declared/);
    const retry = await buildSseWriter({ compiler: cxx.path, cacheDir: join(root, 'cache'), source });
    expect(retry.ok).toBe(false);
    expect(await linkRuns()).toBe(2);
  });
});

describe('prepareSseWriter', () => {
  const project = () => join(root, 'project');

  it('node is the Node writer, without looking for a compiler', async () => {
    expect(await prepareSseWriter({ kind: 'node', projectDir: project(), warn: () => undefined, environment: { CXX: cxx.path } })).toEqual({ kind: 'node' });
    expect(await cxx.calls()).toEqual([]);
  });

  it('auto and native build the C++ writer with the compiler found', async () => {
    const environment = { CXX: cxx.path, ESP_SSE_CACHE_DIR: join(root, 'cache') };
    const auto = await prepareSseWriter({ kind: 'auto', projectDir: project(), warn: () => undefined, environment });
    expect(auto).toMatchObject({ kind: 'native', executable: expect.stringMatching(/\/sse-writer-[0-9a-f]{16}\/sse-writer$/) });
    expect(await prepareSseWriter({ kind: 'native', projectDir: project(), warn: () => undefined, environment })).toEqual(auto);
  });

  it('a compiler that does not build it: auto warns (emulate.sse-writer-build) and is the Node writer, native is that error', async () => {
    const broken = join(root, 'broken-cxx');
    await writeFile(broken, '#!/bin/sh\n[ "$1" = --version ] && { echo "broken 1.0"; exit 0; }\necho "broken: cannot compile" >&2\nexit 1\n', { mode: 0o755 });
    const environment = { CXX: broken, ESP_SSE_CACHE_DIR: join(root, 'cache') };
    const warnings: string[] = [];
    expect(await prepareSseWriter({ kind: 'auto', projectDir: project(), warn: (code, message) => warnings.push(`${code}: ${message}`), environment })).toEqual({ kind: 'node' });
    expect(warnings).toEqual([expect.stringMatching(/^emulate\.sse-writer-build: the C\+\+ SSE writer did not build, so the SSE writers run in Node:\nbroken: cannot compile$/)]);
    const e = await prepareSseWriter({ kind: 'native', projectDir: project(), warn: () => undefined, environment }).catch((x: unknown) => x);
    expect((e as UserError).code).toBe('emulate.sse-writer-build');
  });

  it('a cache folder that cannot be written: auto warns and is the Node writer', async () => {
    const blocked = join(root, 'not-a-folder');
    await writeFile(blocked, 'a file where the cache folder should be\n');
    const warnings: string[] = [];
    const program = await prepareSseWriter({ kind: 'auto', projectDir: project(), warn: (code, message) => warnings.push(`${code}: ${message}`), environment: { CXX: cxx.path, ESP_SSE_CACHE_DIR: blocked } });
    expect(program).toEqual({ kind: 'node' });
    expect(warnings).toEqual([expect.stringMatching(/^emulate\.sse-writer-build: the C\+\+ SSE writer did not build, so the SSE writers run in Node:\n.*(ENOTDIR|EEXIST).*not-a-folder/)]);
  });

  it('on another system than Linux: auto is the Node writer without looking for a compiler, native says why not', async () => {
    const o = { projectDir: project(), warn: () => undefined, environment: { CXX: cxx.path }, platform: 'darwin' as const };
    expect(await prepareSseWriter({ kind: 'auto', ...o })).toEqual({ kind: 'node' });
    const e = await prepareSseWriter({ kind: 'native', ...o }).catch((x: unknown) => x);
    expect((e as UserError).code).toBe('emulate.sse-writer-build');
    expect((e as UserError).message).toMatch(/Linux only .* this is darwin/);
    expect(await cxx.calls()).toEqual([]);
  });

  it('without a compiler: auto is the Node writer, native is emulate.no-compiler', async () => {
    const environment = { CXX: join(root, 'no-such-compiler') };
    const warnings: string[] = [];
    expect(await prepareSseWriter({ kind: 'auto', projectDir: project(), warn: (code) => warnings.push(code), environment })).toEqual({ kind: 'node' });
    expect(warnings).toEqual([]);
    const e = await prepareSseWriter({ kind: 'native', projectDir: project(), warn: () => undefined, environment }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(UserError);
    expect((e as UserError).code).toBe('emulate.no-compiler');
    expect((e as UserError).hint).toMatch(/--sse-writer node/);
  });
});
