/**
 * Building littlefs images from a folder's files, deterministically (same files and options, same bytes).
 *
 * Layouts (docs/littlefs.md §2, §5 and "What this means for esp-sse"):
 * - `pio` (default): the image PlatformIO's mklittlefs makes: disk 2.0, name_max 32, prog 64,
 *   files of up to 64 bytes inline, `'t'` and `'c'` as uint32 on files and directories, as 8
 *   bytes on the root. It is made by replaying mklittlefs' own littlefs operations
 *   (`littlefs-pio-layout.ts`), so it is byte for byte what mklittlefs writes for the same files
 *   added in the same order (`order`; by default the paths sorted bytewise). A folder that would
 *   need a littlefs step the replay does not model (hundreds of files: see
 *   `littlefs-meta-store.ts`) gets the compact layout below with the same settings instead.
 * - `native`: the layout arduino-esp32 2.0.17's littlefs 2.9.2 writes: disk 2.1, name_max 255,
 *   prog 128, inline up to 512 bytes, FCRC tags, `'t'` as uint32 only.
 *
 * The compact layout (`native`, and the `pio` fallback) is what littlefs would hold right after
 * compacting every directory: one commit per metadata pair, entries sorted by name, each
 * directory's pairs linked by HARDTAILs and every pair on the SOFTTAIL list in depth-first order;
 * metadata pairs first, then the CTZ blocks of each file in path order. Unused space reads 0xFF.
 */
import { LittlefsBuildError } from './littlefs-build-errors.js';
import { ctzBlocks, ctzHeader } from './littlefs-ctz.js';
import { MetaWriter, alignUp } from './littlefs-commit.js';
import { compareBytes } from './littlefs-pairs.js';
import { buildPioImage, pioAddOrder } from './littlefs-pio-layout.js';
import {
  ATTR_CTIME, ATTR_MTIME, NO_ID, NULL_BLOCK, TYPE,
  VERSION_2_0, VERSION_2_1, putLe32, superblockData, timeAttr,
} from './littlefs-tags.js';

/** A file to pack: `name` is its path in the image ('/www/index.html'). */
export interface LittlefsInput {
  name: string;
  data: Uint8Array;
  /** Seconds since 1970 for its `'t'` attribute; `options.time` when absent. */
  mtime?: number;
}

export interface LittlefsBuildOptions {
  /** `pio` (default, mklittlefs 1.203 / disk 2.0) or `native` (the board's own, disk 2.1). */
  layout?: 'pio' | 'native';
  /** Block size, default 4096 (esp_littlefs hard-codes it). */
  blockSize?: number;
  /**
   * The time for files without `mtime`; `pio`: the root's (mklittlefs' clock; a folder holds the
   * last file's added beneath it); `native`: a folder's or the root's with no file beneath it.
   * Default 0, so images do not depend on the clock.
   */
  time?: number;
  /**
   * `pio` only: the paths in the order mklittlefs adds them (its readdir walk of the folder),
   * each once. Default: sorted bytewise, so the image does not depend on the host.
   */
  order?: readonly string[];
}

export interface LittlefsLayout {
  version: number;
  nameMax: number;
  inlineMax: number;
  prog: number;
  ctime: boolean;
  fcrc: boolean;
}

export const LAYOUTS: Readonly<Record<'pio' | 'native', LittlefsLayout>> = {
  pio: { version: VERSION_2_0, nameMax: 32, inlineMax: 64, prog: 64, ctime: true, fcrc: false },
  native: { version: VERSION_2_1, nameMax: 255, inlineMax: 512, prog: 128, ctime: false, fcrc: true },
};

const encoder = new TextEncoder();

interface FileNode { kind: 'file'; name: Uint8Array; data: Uint8Array; mtime: number; head: number }
interface DirNode { kind: 'dir'; name: Uint8Array; children: Node[]; mtime: number; pairs: Array<[number, number]>; chunks: Node[][] }
type Node = FileNode | DirNode;

function newDir(name: Uint8Array): DirNode {
  return { kind: 'dir', name, children: [], mtime: -1, pairs: [], chunks: [] };
}

/** The tree of the input, checked: names, lengths, duplicates, a file where a folder must be. */
function buildTree(files: readonly LittlefsInput[], layout: LittlefsLayout, time: number): DirNode {
  const root = newDir(new Uint8Array(0));
  for (const f of files) {
    const parts = f.name.split('/');
    if (parts[0] !== '' || parts.length < 2 || parts.slice(1).some((p) => p === '' || p === '.' || p === '..' || p.includes('\0'))) {
      throw new LittlefsBuildError('fs.littlefs-bad-name', `${JSON.stringify(f.name)} is not a file path: it must start with '/' and have no empty, '.' or '..' parts or NUL`);
    }
    let dir = root;
    parts.slice(1).forEach((part, i) => {
      const raw = encoder.encode(part);
      if (raw.length > layout.nameMax) {
        throw new LittlefsBuildError(
          'fs.littlefs-name-too-long',
          `${f.name}: the name ${JSON.stringify(part)} is ${raw.length} bytes; this LittleFS layout allows ${layout.nameMax} per path part`,
          layout.nameMax < 255 ? 'shorten the name, or build the board-native layout (name limit 255), which PlatformIO\'s mklittlefs cannot read' : 'shorten the name',
        );
      }
      const last = i === parts.length - 2;
      const found = dir.children.find((c) => compareBytes(c.name, raw) === 0);
      if (last) {
        if (found) throw new LittlefsBuildError('fs.littlefs-duplicate-name', `${f.name} is given twice, or is also a folder`);
        dir.children.push({ kind: 'file', name: raw, data: f.data, mtime: f.mtime ?? time, head: NULL_BLOCK });
      } else if (found?.kind === 'file') {
        throw new LittlefsBuildError('fs.littlefs-duplicate-name', `${f.name}: ${part} is a file and a folder`);
      } else if (found) {
        dir = found;
      } else {
        const d = newDir(raw);
        dir.children.push(d);
        dir = d;
      }
    });
  }
  const finish = (d: DirNode): number => {
    d.children.sort((a, b) => compareBytes(a.name, b.name));
    for (const c of d.children) d.mtime = Math.max(d.mtime, c.kind === 'dir' ? finish(c) : c.mtime);
    if (d.mtime < 0) d.mtime = time;
    return d.mtime;
  };
  finish(root);
  return root;
}

/** Bytes one entry's tags take in a metadata commit. */
function entrySize(n: Node, layout: LittlefsLayout): number {
  const attrs = (layout.ctime ? 2 : 1) * 8;
  const struct = n.kind === 'file' && n.data.length <= layout.inlineMax ? n.data.length : 8;
  return 4 + n.name.length + 4 + struct + attrs;
}

/** Bytes of everything a pair holds besides its entries: revision, tail, FCRC, CCRC. */
const PAIR_OVERHEAD = 4 + 12 + 12 + 8;
const SUPERBLOCK_SIZE = 4 + 8 + 4 + 24 + 2 * (4 + 8);

/**
 * Splits a directory's entries into pairs: each pair's commit stays within half a block (as
 * littlefs' compaction leaves it, room to append) and under 0xff ids.
 */
function chunk(d: DirNode, layout: LittlefsLayout, blockSize: number, isRoot: boolean): Node[][] {
  const limit = Math.min(blockSize - 40, alignUp(blockSize / 2, layout.prog));
  const out: Node[][] = [[]];
  let used = PAIR_OVERHEAD + (isRoot ? SUPERBLOCK_SIZE : 0);
  for (const c of d.children) {
    const s = entrySize(c, layout);
    const cur = out[out.length - 1]!;
    if (cur.length > 0 && (alignUp(used + s, layout.prog) > limit || cur.length >= 0xfe)) {
      out.push([c]);
      used = PAIR_OVERHEAD + s;
    } else {
      cur.push(c);
      used += s;
    }
  }
  return out;
}

/** Blocks a set of files needs in a given layout, metadata pairs included. */
export function littlefsBlocksNeeded(files: readonly LittlefsInput[], options: LittlefsBuildOptions = {}): number {
  return plan(files, options).blocks;
}

function plan(files: readonly LittlefsInput[], options: LittlefsBuildOptions) {
  const layout = LAYOUTS[options.layout ?? 'pio'];
  const blockSize = options.blockSize ?? 4096;
  const root = buildTree(files, layout, options.time ?? 0);
  const dirs: DirNode[] = [];
  const walk = (d: DirNode): void => {
    dirs.push(d);
    for (const c of d.children) if (c.kind === 'dir') walk(c);
  };
  walk(root);
  let next = 0;
  for (const d of dirs) {
    d.chunks = chunk(d, layout, blockSize, d === root);
    d.pairs = d.chunks.map(() => [next++, next++] as [number, number]);
  }
  const fileNodes: FileNode[] = [];
  const collect = (d: DirNode): void => {
    for (const c of d.children) {
      if (c.kind === 'dir') collect(c);
      else if (c.data.length > layout.inlineMax) fileNodes.push(c);
    }
  };
  collect(root);
  const ctz = fileNodes.map((f) => {
    const first = next;
    next += ctzBlocks(blockSize, f.data.length);
    return { f, first };
  });
  return { layout, blockSize, root, dirs, ctz, blocks: next };
}

/**
 * Builds an image of `size` bytes (a whole number of blocks, at least two). Refuses, before
 * writing anything, names longer than the layout allows (`fs.littlefs-name-too-long`), bad or
 * duplicate paths, and files that do not fit (`fs.littlefs-too-big`).
 */
export function buildLittlefs(files: readonly LittlefsInput[], size: number, options: LittlefsBuildOptions = {}): Uint8Array {
  const blockSize = options.blockSize ?? 4096;
  if (!Number.isInteger(blockSize) || blockSize < 512 || blockSize % 128 !== 0) {
    throw new LittlefsBuildError('fs.littlefs-bad-size', `block size ${blockSize} is not a multiple of 128 of at least 512`);
  }
  if (!Number.isInteger(size) || size % blockSize !== 0 || size < 2 * blockSize) {
    throw new LittlefsBuildError('fs.littlefs-bad-size', `LittleFS size ${size} (0x${size.toString(16)}) is not a whole number (at least 2) of ${blockSize}-byte blocks`, 'give the size of the filesystem partition from the partition table, e.g. --size 0x160000');
  }
  const p = plan(files, options);
  const blockCount = size / blockSize;
  const tooBig = (need: string) => {
    const bytes = files.reduce((n, f) => n + f.data.length, 0);
    return new LittlefsBuildError(
      'fs.littlefs-too-big',
      `${files.length} file${files.length === 1 ? '' : 's'} (${bytes} bytes) ${need}; a ${size}-byte (0x${size.toString(16)}) LittleFS has ${blockCount} blocks`,
      'remove files from the data folder or use a partition table with a bigger filesystem partition',
    );
  };
  const need = `need ${p.blocks} blocks of ${blockSize} bytes (${p.blocks - blockCount} too many)`;
  if (p.layout === LAYOUTS.pio) {
    // Whether the files fit is mklittlefs' answer here: the replay runs out of blocks or not.
    const pio = buildPioImage(pioAddOrder(files, options.order), blockSize, blockCount, options.time ?? 0);
    if (pio.ok) return pio.image;
    if (pio.why === 'full') throw tooBig(p.blocks > blockCount ? need : `run out of ${blockSize}-byte blocks as mklittlefs adds them`);
  }
  if (p.blocks > blockCount) throw tooBig(need);
  const img = new Uint8Array(size).fill(0xff);
  for (const { f, first } of p.ctz) writeCtz(img, blockSize, f, first);
  const allPairs = p.dirs.flatMap((d) => d.pairs);
  let k = 0;
  for (const d of p.dirs) {
    d.chunks.forEach((entries, i) => {
      const pair = d.pairs[i]!;
      const nextPair = allPairs[++k];
      const w = new MetaWriter(img, pair[0] * blockSize, blockSize, p.layout.prog, 1);
      let id = 0;
      if (d === p.root && i === 0) {
        writeSuperblock(w, p.layout, blockSize, blockCount);
        attrs(w, 0, d.mtime, p.layout, 8);
        id = 1;
      }
      for (const e of entries) writeEntry(w, id++, e, p.layout);
      if (nextPair) {
        const t = new Uint8Array(8);
        putLe32(t, 0, nextPair[0]);
        putLe32(t, 4, nextPair[1]);
        w.tag(i < d.chunks.length - 1 ? TYPE.HARDTAIL : TYPE.SOFTTAIL, NO_ID, t);
      }
      w.commit(p.layout.fcrc);
    });
  }
  return img;
}

function writeSuperblock(w: MetaWriter, layout: LittlefsLayout, blockSize: number, blockCount: number): void {
  const { magic, struct } = superblockData(layout.version, blockSize, blockCount, layout.nameMax);
  w.tag(TYPE.SUPERBLOCK, 0, magic).tag(TYPE.INLINESTRUCT, 0, struct);
}

function attrs(w: MetaWriter, id: number, time: number, layout: LittlefsLayout, width: 4 | 8): void {
  const t = timeAttr(time, width);
  if (layout.ctime) w.tag(TYPE.USERATTR + ATTR_CTIME, id, t);
  w.tag(TYPE.USERATTR + ATTR_MTIME, id, t);
}

function writeEntry(w: MetaWriter, id: number, n: Node, layout: LittlefsLayout): void {
  const s = new Uint8Array(8);
  if (n.kind === 'dir') {
    w.tag(TYPE.DIR, id, n.name);
    putLe32(s, 0, n.pairs[0]![0]);
    putLe32(s, 4, n.pairs[0]![1]);
    w.tag(TYPE.DIRSTRUCT, id, s);
  } else {
    w.tag(TYPE.REG, id, n.name);
    if (n.data.length <= layout.inlineMax) {
      w.tag(TYPE.INLINESTRUCT, id, n.data);
    } else {
      putLe32(s, 0, n.head);
      putLe32(s, 4, n.data.length);
      w.tag(TYPE.CTZSTRUCT, id, s);
    }
  }
  attrs(w, id, n.mtime, layout, 4);
}

/** Writes a file's CTZ list into blocks first, first+1, …; records its head. */
function writeCtz(img: Uint8Array, blockSize: number, f: FileNode, first: number): void {
  let pos = 0;
  const n = ctzBlocks(blockSize, f.data.length);
  for (let i = 0; i < n; i++) {
    const base = (first + i) * blockSize;
    const h = ctzHeader(i);
    for (let k = 0; k * 4 < h; k++) putLe32(img, base + 4 * k, first + i - (1 << k));
    const len = Math.min(blockSize - h, f.data.length - pos);
    img.set(f.data.subarray(pos, pos + len), base + h);
    pos += len;
  }
  f.head = first + n - 1;
}
