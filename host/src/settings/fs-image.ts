import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { safeText } from '../safe-text.js';
import { buildFsImage, FILES_REFUSED, fsSpace, type FsFile, type FsSpace } from '../formats/fs-volume.js';
import type { FsType } from '../formats/fs-type.js';
import { writeFileAtomic } from './atomic-write.js';
import { readDataFolder } from './data-folder.js';

/** A filesystem image built from a folder, with what went into it. */
export interface FolderImage {
  type: FsType;
  image: Uint8Array;
  files: Array<{ name: string; size: number }>;
  /** SPIFFS pages or LittleFS blocks the files take, of those a fresh image of this size holds. */
  space: FsSpace;
}

/**
 * Builds the `type` image (default SPIFFS) of `dataDir` (every file at any depth, mkspiffs'
 * skip list left out) sized `size`. Errors name the folder: `fs.no-data-dir`, and the
 * builders' codes for names and sizes (`fs.name-too-long`, `fs.too-big`, `fs.bad-size`,
 * `fs.littlefs-name-too-long`, `fs.littlefs-too-big` …). Nothing is written.
 */
export async function buildFolderImage(dataDir: string, size: number, opts: { type?: FsType; onSkip?: (path: string, reason: string) => void } = {}): Promise<FolderImage> {
  const type = opts.type ?? 'spiffs';
  const files = await readDataFolder(dataDir, opts.onSkip ? { onSkip: opts.onSkip } : {});
  let image: Uint8Array;
  try {
    image = buildFsImage(files, size, type);
  } catch (e) {
    if (e instanceof UserError && FILES_REFUSED.has(e.code)) {
      const msg = e.code.endsWith('too-big') ? `data folder ${dataDir} does not fit: ${e.message}` : `in data folder ${dataDir}: ${e.message}`;
      throw new UserError(e.code, msg, e.hint, e.exitCode, { cause: e });
    }
    throw e;
  }
  const sorted = files.map((f) => ({ name: f.name, size: f.data.length })).sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)));
  return { type, image, files: sorted, space: fsSpace(files, image, type) };
}

/**
 * The relative host path for a file's name in an image, or an error: names are '/'-separated, and a name
 * from an image must not climb out of the target folder (`..`, empty or `.` components).
 */
export function extractPath(name: string): string[] {
  const parts = (name.startsWith('/') ? name.slice(1) : name).split('/');
  if (parts.some((p) => p === '' || p === '.' || p === '..' || p.includes('\\'))) {
    throw new UserError('fs.unsafe-name', `the image holds a file named ${JSON.stringify(name)}, which cannot be written safely inside the target folder`,
      'extract with mkspiffs -u, or read the file with `esp-sse fs ls`; nothing was written');
  }
  return parts;
}

/**
 * Writes `files` under `dir` (created if missing), each file atomically. Every name is checked
 * first (`fs.unsafe-name`, `fs.name-conflict` when one name is a folder of another), so a bad
 * image writes nothing.
 */
export async function extractFiles(files: readonly FsFile[], dir: string): Promise<void> {
  const paths = files.map((f) => extractPath(f.name));
  const asFile = new Set(paths.map((p) => p.join('/')));
  for (const p of paths) {
    for (let i = 1; i < p.length; i++) {
      const folder = p.slice(0, i).join('/');
      if (asFile.has(folder)) {
        throw new UserError('fs.name-conflict', `the image holds both /${safeText(folder)} and /${safeText(p.join('/'))}; a folder cannot have a file's name`,
          'extract the files one by one; nothing was written');
      }
    }
  }
  await mkdir(dir, { recursive: true });
  for (let i = 0; i < files.length; i++) await writeFileAtomic(join(dir, ...paths[i]!), files[i]!.data);
}
