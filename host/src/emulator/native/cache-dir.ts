/**
 * The build cache on disk. Every output is written under a temporary name that carries the
 * writer's pid and renamed into place, so a build killed at any moment leaves no half object
 * or executable under its final name; leftovers of dead writers are removed by the next build.
 */
import { randomBytes } from 'node:crypto';
import { readdir, rm, stat, utimes } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { listFiles } from './source-tree.js';

const TEMP = /\.(\d+)-[0-9a-f]+\.tmp$/;

/** The per-user cache folder for builds shared between projects. */
export function userCacheDir(environment: NodeJS.ProcessEnv): string {
  if (environment.ESP_SSE_CACHE_DIR) return environment.ESP_SSE_CACHE_DIR;
  if (environment.XDG_CACHE_HOME) return join(environment.XDG_CACHE_HOME, 'esp-sse');
  return join(environment.HOME ?? homedir(), '.cache', 'esp-sse');
}

/** A temporary name beside `path` for this process. */
export function tempPath(path: string): string {
  return `${path}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes temporary files under `dir` whose writer is gone (a killed build). */
export async function removeStaleTemps(dir: string): Promise<void> {
  for (const file of await listFiles(dir)) {
    const m = TEMP.exec(file);
    if (m && !alive(Number(m[1]))) await rm(file, { force: true });
  }
}

/** Marks `dir` as just used, for `prune`. */
export async function touch(dir: string): Promise<void> {
  const now = new Date();
  await utimes(dir, now, now).catch(() => undefined);
}

/**
 * Keeps the `keep` most recently used `<prefix>*` folders of `cacheDir` (by mtime; `current`
 * always stays) and removes the others.
 */
export async function prune(cacheDir: string, prefix: string, keep: number, current: string): Promise<void> {
  const names = (await readdir(cacheDir).catch(() => [] as string[])).filter((n) => n.startsWith(prefix));
  const dated = await Promise.all(names.map(async (n) => ({ dir: join(cacheDir, n), mtime: (await stat(join(cacheDir, n)).catch(() => undefined))?.mtimeMs ?? 0 })));
  const others = dated.filter((d) => d.dir !== current).sort((a, b) => b.mtime - a.mtime);
  for (const old of others.slice(Math.max(0, keep - 1))) await rm(old.dir, { recursive: true, force: true });
}
