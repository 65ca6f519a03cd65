/**
 * Walking source folders and hashing what a build depends on.
 */
import type { Hash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join, relative, sep } from 'node:path';

/** Extensions compiled: C++ and C (PlatformIO's C++ set minus the ones nobody uses on Arduino). */
export const CXX_EXTENSIONS: readonly string[] = ['.cpp', '.cc', '.cxx'];
export const C_EXTENSIONS: readonly string[] = ['.c'];
/** Arduino sketch files: need the Arduino preprocessor, which the emulator does not run. */
export const INO_EXTENSIONS: readonly string[] = ['.ino', '.pde'];
/** Assembly: ESP32 (Xtensa) assembly does not assemble for the host. */
export const ASM_EXTENSIONS: readonly string[] = ['.s', '.S'];

const MAX_DEPTH = 32;

/**
 * Every regular file under `root`, absolute and sorted, skipping hidden entries (`.git`,
 * `.pio`) and the folders in `skip`. Symbolic links are followed. A missing root gives [].
 */
export async function listFiles(root: string, skip: readonly string[] = []): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string, depth: number): Promise<void> => {
    if (depth > MAX_DEPTH || skip.includes(dir)) return;
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return;
      throw e;
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        const s = await stat(path).catch(() => undefined);
        isDir = s?.isDirectory() ?? false;
        isFile = s?.isFile() ?? false;
      }
      if (isDir) await walk(path, depth + 1);
      else if (isFile) out.push(path);
    }
  };
  await walk(root, 0);
  return out.sort();
}

export function hasExtension(file: string, exts: readonly string[]): boolean {
  return exts.includes(extname(file));
}

/** Feeds each file's path relative to `root` and its content into `hash`, unambiguously. */
export async function hashFiles(hash: Hash, root: string, files: readonly string[]): Promise<void> {
  for (const file of files) {
    const content = await readFile(file);
    hash.update(`${relative(root, file).split(sep).join('/')}\0${content.length}\0`);
    hash.update(content);
  }
}

/**
 * A relative path made safe to mirror under a cache folder: `..` segments (a `src_dir`
 * outside the project) become `_up_`.
 */
export function cachePath(rel: string): string {
  return rel.split(/[\\/]/).map((s) => (s === '..' ? '_up_' : s)).join('/');
}
