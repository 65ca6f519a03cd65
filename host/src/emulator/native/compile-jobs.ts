/**
 * Compiling many files at once, each to its object through a temporary name.
 */
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { dirname } from 'node:path';
import { tempPath } from './cache-dir.js';
import { runProcess } from './run-process.js';
import { C_EXTENSIONS, hasExtension } from './source-tree.js';

export interface CompileJob {
  /** As passed to the compiler (relative to `cwd` for the sketch, so diagnostics name the user's paths). */
  source: string;
  /** Absolute object path. */
  object: string;
  /** Flags for this file's language. */
  flags: readonly string[];
  /** Whose file: failures of the two are reported differently. */
  owner: 'sketch' | 'runtime';
}

export interface JobResult {
  job: CompileJob;
  ok: boolean;
  /** The compiler's stderr (warnings when ok). */
  output: string;
}

/** The compile command for `job`, writing `out`. C sources compile as C (`-x c`), as PlatformIO's gcc would. */
export function compileCommand(compiler: readonly string[], job: CompileJob, out: string): string[] {
  const lang = hasExtension(job.source, C_EXTENSIONS) ? ['-x', 'c'] : [];
  return [...compiler, ...job.flags, '-c', ...lang, job.source, '-o', out];
}

export async function exists(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isFile() ?? false;
}

/** Runs `fn` over `items`, at most `limit` at a time; stops starting new ones after a throw. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const i = next++;
      try {
        results[i] = await fn(items[i]!);
      } catch (e) {
        failed = true;
        throw e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

export interface RunJobsOptions {
  compiler: readonly string[];
  cwd: string;
  signal?: AbortSignal;
  parallel?: number;
}

/** Compiles every job (all of them, so every failing file is reported), in parallel. */
export async function runJobs(jobs: readonly CompileJob[], o: RunJobsOptions): Promise<JobResult[]> {
  return mapLimit(jobs, o.parallel ?? availableParallelism(), async (job) => {
    o.signal?.throwIfAborted();
    await mkdir(dirname(job.object), { recursive: true });
    const tmp = tempPath(job.object);
    try {
      const r = await runProcess(compileCommand(o.compiler, job, tmp), { cwd: o.cwd, ...(o.signal ? { signal: o.signal } : {}) });
      const ok = r.code === 0;
      if (ok) await rename(tmp, job.object);
      return { job, ok, output: r.stderr + (r.signal ? `\n(compiler killed by ${r.signal})` : '') };
    } finally {
      await rm(tmp, { force: true });
    }
  });
}
