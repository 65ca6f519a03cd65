/**
 * The C++ SSE writer (`host/native/sse-writer.cpp`, docs/sse-writers.md): built with the host's
 * compiler into the per-user cache, once per compiler and source, so that `--sse-writers N`
 * writes the event streams from an epoll loop instead of from Node processes.
 *
 *   <userCacheDir>/sse-writer-<hash>/sse-writer   hash = compiler identity + flags + the source
 *                                                  and the headers beside it (host/native/)
 *
 * An existing executable is returned without running any compiler. A build that fails is not
 * the user's error (the source is ours): the caller warns and uses the Node writers.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { packageRoot } from '../package-root.js';
import { prune, tempPath, touch, userCacheDir } from './cache-dir.js';
import { exists } from './compile-jobs.js';
import { COMPILERS_FILE, compilerVersion, compilerWords } from './compiler.js';
import { runProcess, SpawnError } from './run-process.js';

/** The writer's compile flags (C++17, optimised: it is the hot path of a thousand clients). */
const FLAGS = ['-std=c++17', '-O2', '-Wall'] as const;

export interface SseWriterBuildOptions {
  /** A compiler that runs (from `findCompiler`). */
  compiler: string;
  /** For the cache folder (`ESP_SSE_CACHE_DIR`, `XDG_CACHE_HOME`, `HOME`); default process.env. */
  environment?: NodeJS.ProcessEnv;
  /** Default: the per-user cache (`userCacheDir`). */
  cacheDir?: string;
  /** Default `<package root>/host/native/sse-writer.cpp`. */
  source?: string;
  /** One line when the compiler runs. */
  onStatus?: (line: string) => void;
}

export type SseWriterBuild =
  | { readonly ok: true; readonly executable: string; readonly compiled: boolean }
  | { readonly ok: false; readonly output: string };

/**
 * Builds the writer, or finds it in the cache; a failed compile is a result, not an error.
 * Throws when the cache folder cannot be written.
 */
export async function buildSseWriter(o: SseWriterBuildOptions): Promise<SseWriterBuild> {
  const source = o.source ?? join(packageRoot(), 'host', 'native', 'sse-writer.cpp');
  const cacheDir = o.cacheDir ?? userCacheDir(o.environment ?? process.env);
  const words = compilerWords(o.compiler);
  const version = await compilerVersion(words, join(cacheDir, COMPILERS_FILE)).catch((e: unknown) => {
    if (e instanceof SpawnError) return undefined;
    throw e;
  });
  if (!version) return { ok: false, output: `the C++ compiler '${o.compiler}' does not run` };
  const hash = createHash('sha256').update(JSON.stringify(['sse-writer-v1', words, version.text, FLAGS]));
  // The program is its source file and the headers of its folder, which it includes.
  const folder = dirname(source);
  const headers = (await readdir(folder)).filter((n) => n.endsWith('.h')).sort();
  for (const file of [source, ...headers.map((n) => join(folder, n))]) hash.update('\0').update(basename(file)).update('\0').update(await readFile(file));
  const key = hash.digest('hex').slice(0, 16);
  const dir = join(cacheDir, `sse-writer-${key}`);
  const executable = join(dir, 'sse-writer');
  if (await exists(executable)) {
    await touch(dir);
    return { ok: true, executable, compiled: false };
  }
  o.onStatus?.('compiling the SSE writer…');
  await mkdir(dir, { recursive: true });
  const tmp = tempPath(executable);
  try {
    const r = await runProcess([...words, ...FLAGS, source, '-o', tmp]);
    if (r.code !== 0) return { ok: false, output: (r.stderr || r.stdout).trim() || `the compiler failed (${r.signal ?? `exit ${r.code}`})` };
    await rename(tmp, executable);
  } finally {
    await rm(tmp, { force: true });
  }
  await prune(cacheDir, 'sse-writer-', 2, dir);
  return { ok: true, executable, compiled: true };
}
