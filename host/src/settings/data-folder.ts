import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import type { SpiffsInput } from '../formats/spiffs-builder.js';

/** Names mkspiffs leaves out at any depth (its `addFiles` skip list), files or folders. */
export const SKIPPED_NAMES: readonly string[] = ['.DS_Store', '.git', '.gitignore', '.gitmodules'];

export interface DataFolderOptions {
  /** Called for every entry left out: mkspiffs' skip list, sockets, FIFOs. */
  onSkip?: (path: string, reason: string) => void;
}

/**
 * Reads a data folder into SPIFFS inputs the way mkspiffs walks it: every regular file at
 * any depth (symlinks followed) becomes `/relative/path`; empty folders vanish (SPIFFS has
 * no directories). Order does not matter: the builder sorts.
 */
export async function readDataFolder(dir: string, opts: DataFolderOptions = {}): Promise<SpiffsInput[]> {
  const top = await stat(dir).catch(() => undefined);
  if (!top?.isDirectory()) {
    throw new UserError(
      'fs.no-data-dir',
      `data folder ${dir} ${top ? 'is not a folder' : 'does not exist'}`,
      'create it, pass --data DIR, or set data_dir in platformio.ini',
    );
  }
  const out: SpiffsInput[] = [];
  const walk = async (abs: string, rel: string): Promise<void> => {
    for (const name of (await readdir(abs)).sort()) {
      const path = join(abs, name);
      if (SKIPPED_NAMES.includes(name)) { opts.onSkip?.(path, 'on the skip list'); continue; }
      const st = await stat(path).catch(() => undefined);
      if (st?.isDirectory()) await walk(path, `${rel}${name}/`);
      else if (st?.isFile()) out.push({ name: `${rel}${name}`, data: new Uint8Array(await readFile(path)) });
      else opts.onSkip?.(path, st ? 'not a regular file' : 'broken link');
    }
  };
  await walk(dir, '/');
  return out;
}
