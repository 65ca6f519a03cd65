/**
 * Filesystem images of either type behind one shape: build one from files, read one (its type
 * detected from its bytes unless given), and convert one into the other type. Pure: the
 * SPIFFS and LittleFS codecs do the work; this file only chooses between them.
 */
import { UserError } from '../errors.js';
import { fsTypeLabel, type FsType } from './fs-type.js';
import { buildLittlefs } from './littlefs-builder.js';
import { looksLikeLittlefs, mountLittlefs, readLittlefs, type LittlefsSuperblock } from './littlefs-reader.js';
import { buildSpiffs, checkImageSize, pagesFor } from './spiffs-builder.js';
import { BLOCK_SIZE as SPIFFS_BLOCK_SIZE, usablePages } from './spiffs-geometry.js';
import { readSpiffs, type SpiffsUsage } from './spiffs-reader.js';

/** A file of an image: `name` is its absolute '/'-separated path ('/www/index.html'). */
export interface FsFile {
  name: string;
  data: Uint8Array;
}

/** How full an image is: SPIFFS pages or LittleFS blocks the files take, of those it holds. */
export interface FsSpace {
  unit: 'page' | 'block';
  used: number;
  usable: number;
}

/** An image read: its type, its files sorted by name, and what its type tells of its state. */
export interface FsContents {
  type: FsType;
  files: FsFile[];
  /** SPIFFS page states. */
  spiffs?: SpiffsUsage;
  /** The LittleFS superblock (version, block size and count, name limit). */
  littlefs?: LittlefsSuperblock;
}

/** The codes the two builders refuse a set of files with (too big, a name too long or bad). */
export const FILES_REFUSED = new Set([
  'fs.too-big', 'fs.name-too-long', 'fs.bad-name',
  'fs.littlefs-too-big', 'fs.littlefs-name-too-long', 'fs.littlefs-bad-name', 'fs.littlefs-duplicate-name',
]);

/**
 * Which filesystem `image` holds, by its contents: LittleFS when a block 0 or 1 holds a
 * LittleFS superblock, else SPIFFS (whose reader then says whether it mounts).
 */
export function detectFsType(image: Uint8Array): FsType {
  return looksLikeLittlefs(image) ? 'littlefs' : 'spiffs';
}

/**
 * Reads every file of `image` as `type` (default: detected from its bytes). Throws the
 * reader's coded errors (`fs.not-spiffs`, `fs.corrupt`, `fs.littlefs-*`).
 */
export function readFsImage(image: Uint8Array, type: FsType = detectFsType(image)): FsContents {
  const byName = (a: FsFile, b: FsFile): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  if (type === 'spiffs') {
    const { files, usage } = readSpiffs(image);
    return { type, files: files.map((f) => ({ name: f.name, data: f.data })).sort(byName), spiffs: usage };
  }
  const { volume, files } = readLittlefs(image);
  return { type, files: files.map((f) => ({ name: f.path, data: f.data })).sort(byName), littlefs: volume.superblock };
}

/**
 * The `type` image of `files`, `size` bytes: SPIFFS as mkspiffs lays it out, LittleFS as
 * PlatformIO's mklittlefs does (disk 2.0, names up to 32 bytes). Deterministic. Refuses bad
 * sizes, names the type cannot hold and files that do not fit, before building anything.
 */
export function buildFsImage(files: readonly FsFile[], size: number, type: FsType): Uint8Array {
  if (type === 'spiffs') {
    checkImageSize(size);
    return buildSpiffs(files, size);
  }
  return buildLittlefs(files, size);
}

/**
 * What `files` take in `image`, the fresh `type` image {@link buildFsImage} made of them: SPIFFS
 * pages counted from the files, LittleFS blocks counted in the image (its layout is mklittlefs').
 */
export function fsSpace(files: readonly FsFile[], image: Uint8Array, type: FsType): FsSpace {
  if (type === 'spiffs') {
    return { unit: 'page', used: files.reduce((n, f) => n + pagesFor(f.data.length), 0), usable: usablePages(image.length / SPIFFS_BLOCK_SIZE) };
  }
  return { unit: 'block', used: mountLittlefs(image).blocksInUse, usable: image.length / 4096 };
}

/** The result of {@link convertFsImage}. */
export interface Converted {
  from: FsType;
  to: FsType;
  image: Uint8Array;
  files: FsFile[];
}

/**
 * `image` (its type detected) rebuilt as `to` (default: the other type), `size` bytes (default:
 * the same size). Refuses, with the target builder's code, files that do not fit or names too
 * long for the target (`fs.name-too-long` for SPIFFS' 31 bytes, `fs.littlefs-name-too-long` for 32).
 */
export function convertFsImage(image: Uint8Array, opts: { to?: FsType; size?: number } = {}): Converted {
  const read = readFsImage(image);
  const to = opts.to ?? (read.type === 'spiffs' ? 'littlefs' : 'spiffs');
  const size = opts.size ?? image.length;
  try {
    return { from: read.type, to, image: buildFsImage(read.files, size, to), files: read.files };
  } catch (e) {
    if (e instanceof UserError && FILES_REFUSED.has(e.code)) {
      throw new UserError(e.code, `the ${fsTypeLabel[read.type]} image's files do not make a ${size}-byte ${fsTypeLabel[to]} image: ${e.message}`, e.hint, e.exitCode, { cause: e });
    }
    throw e;
  }
}
