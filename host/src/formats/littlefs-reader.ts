/**
 * Reading littlefs images (on-disk versions 2.0 and 2.1): what mklittlefs writes and what a
 * board's littlefs leaves after writing. Mounting follows `lfs_mount` (littlefs v2.9.2
 * lfs.c:4440-4560): fetch the pair {0, 1}, walk the tail list (every metadata pair), take the
 * last pair holding a superblock as the root, XOR every pair's MOVESTATE into the global state.
 * Listing follows `lfs_dir_read`: a directory is its pairs linked by HARDTAILs; an entry whose
 * id is the source of a pending move is hidden. Work is bounded by the image: each pair is
 * fetched once, cycles are refused, every pointer is checked against the block count.
 */
import { safeText } from '../safe-text.js';
import { readCtz, ctzBlocks } from './littlefs-ctz.js';
import { LittlefsCorruptError, LittlefsMountError, LittlefsNotFoundError, LittlefsVersionError } from './littlefs-errors.js';
import { fetchMdir, type Mdir, type MdirEntry } from './littlefs-mdir.js';
import {
  ATTR_MTIME, MAGIC, NULL_BLOCK, SUPERBLOCK_STRUCT_LEN, TYPE, le32, tagId, tagType1,
} from './littlefs-tags.js';

/** The superblock's fields (SPEC.md "Superblock"). */
export interface LittlefsSuperblock {
  /** 0x00020000 = 2.0 (mklittlefs < 4), 0x00020001 = 2.1 (the board's littlefs 2.9). */
  version: number;
  blockSize: number;
  blockCount: number;
  nameMax: number;
  fileMax: number;
  attrMax: number;
}

/** One file or directory. */
export interface LittlefsEntry {
  /** Absolute path, '/'-separated, leading '/' (decoded as UTF-8). */
  path: string;
  type: 'file' | 'dir';
  /** File size in bytes; 0 for directories. */
  size: number;
  /** The `'t'` attribute (seconds since 1970), when present as 4 or 8 bytes. */
  mtime?: number;
  /** Every user attribute, by type (`'t'` 0x74, `'c'` 0x63 …). */
  attrs: ReadonlyMap<number, Uint8Array>;
  /** Where the data is: inline bytes in the metadata, or a CTZ list's head block. */
  storage: { kind: 'inline'; data: Uint8Array } | { kind: 'ctz'; head: number } | { kind: 'dir'; pair: [number, number] };
}

export interface LittlefsFile extends LittlefsEntry {
  data: Uint8Array;
}

export interface LittlefsMountOptions {
  /** Block size to mount with; by default taken from the superblock in block 0 or 1. */
  blockSize?: number;
}

const decoder = new TextDecoder('utf-8');
const MAGIC_BYTES = new TextEncoder().encode(MAGIC);

function hasMagic(img: Uint8Array, at: number): boolean {
  if (at + 8 + MAGIC_BYTES.length > img.length) return false;
  for (let i = 0; i < MAGIC_BYTES.length; i++) if (img[at + 8 + i] !== MAGIC_BYTES[i]) return false;
  return true;
}

/**
 * True when block 0, or block 1 at any power-of-two block size, holds the "littlefs" magic of a
 * superblock entry: how `fs ls` tells a LittleFS image from a SPIFFS one without mounting it.
 */
export function looksLikeLittlefs(img: Uint8Array): boolean {
  if (hasMagic(img, 0)) return true;
  for (let bs = 128; bs * 2 <= img.length; bs *= 2) if (hasMagic(img, bs)) return true;
  return false;
}

/** The block size: block 0's superblock field, or the first power of two whose block 1 holds the magic. */
function guessBlockSize(img: Uint8Array): number {
  if (hasMagic(img, 0)) {
    const bs = le32(img, 24);
    if (bs >= 128 && bs <= img.length / 2) return bs;
  }
  for (let bs = 128; bs * 2 <= img.length; bs *= 2) {
    if (hasMagic(img, bs) && le32(img, bs + 24) === bs) return bs;
  }
  throw new LittlefsMountError(`not a LittleFS image: no "littlefs" superblock in block 0 or 1 (littlefs would fail the mount with "Corrupted dir pair at {0x0, 0x1}")`);
}

function mtimeOf(attrs: ReadonlyMap<number, Uint8Array>): number | undefined {
  const t = attrs.get(ATTR_MTIME);
  if (t?.length === 4) return le32(t, 0);
  if (t?.length === 8) return le32(t, 0) + le32(t, 4) * 2 ** 32;
  return undefined;
}

const pairKey = (p: readonly number[]): string => (p[0]! < p[1]! ? `${p[0]},${p[1]}` : `${p[1]},${p[0]}`);

/** A mounted littlefs image: its superblock and every file and directory, sorted by path. */
export class LittlefsVolume {
  readonly superblock: LittlefsSuperblock;
  /** The root directory's pair (normally {0, 1}; later when the superblock chain grew). */
  readonly root: [number, number];
  /** The root's `'t'` (mklittlefs stores its clock there, as 8 bytes). */
  readonly rootMtime?: number;
  readonly entries: LittlefsEntry[] = [];
  /** Metadata pairs fetched (the tail list plus every directory). */
  readonly mdirCount: number;
  private readonly mdirs = new Map<string, Mdir>();
  private readonly blockSize: number;
  private move?: { id: number; pair: string };
  private readonly byPath = new Map<string, LittlefsEntry>();

  constructor(private readonly img: Uint8Array, options: LittlefsMountOptions = {}) {
    this.blockSize = options.blockSize ?? guessBlockSize(img);
    if (!Number.isInteger(this.blockSize) || this.blockSize < 128 || this.blockSize * 2 > img.length) {
      throw new LittlefsMountError(`block size ${this.blockSize} does not fit a ${img.length}-byte image`);
    }
    const first = this.fetch([0, 1], Math.floor(img.length / this.blockSize), true);
    const sb = this.superblockOf(first);
    if (!sb) throw new LittlefsMountError('blocks 0 and 1 hold no "littlefs" superblock entry');
    this.superblock = this.checkSuperblock(sb, first.block);
    const { root, rootAttrs } = this.walkTails(first);
    this.root = root;
    this.rootMtime = mtimeOf(rootAttrs);
    this.listTree(root);
    this.entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    for (const e of this.entries) this.byPath.set(e.path, e);
    this.mdirCount = this.mdirs.size;
  }

  /**
   * Blocks the volume's contents take: both blocks of every metadata pair and every block of
   * every CTZ file (an image as written by a builder; a board's orphans are not counted).
   */
  get blocksInUse(): number {
    let n = 2 * this.mdirCount;
    for (const e of this.entries) if (e.storage.kind === 'ctz') n += ctzBlocks(this.blockSize, e.size);
    return n;
  }

  /** The entry at `path` ('/a/b.txt'; a leading '/' is optional), or undefined. */
  find(path: string): LittlefsEntry | undefined {
    const p = `/${path.split('/').filter((s) => s.length > 0).join('/')}`;
    return this.byPath.get(p);
  }

  /** A file's bytes (inline or CTZ). */
  read(entry: LittlefsEntry | string): Uint8Array {
    const e = typeof entry === 'string' ? this.find(entry) : entry;
    if (!e) throw new LittlefsNotFoundError(String(entry));
    if (e.storage.kind === 'dir') throw new LittlefsNotFoundError(e.path, 'is a directory');
    if (e.storage.kind === 'inline') return e.storage.data.slice();
    return readCtz(this.img, this.blockSize, this.superblock.blockCount, e.storage.head, e.size);
  }

  private fetch(pair: [number, number], blockCount: number, mounting = false): Mdir {
    const key = pairKey(pair);
    const seen = this.mdirs.get(key);
    if (seen) return seen;
    for (const b of pair) {
      if (b >= blockCount) throw new LittlefsCorruptError(b, `metadata pair {${pair[0]}, ${pair[1]}} points outside the image (${blockCount} blocks)`);
    }
    if (this.mdirs.size > blockCount) throw new LittlefsCorruptError(pair[0], `more metadata pairs than blocks (a cycle?)`);
    const r = fetchMdir(this.img, pair, this.blockSize);
    if (!r.ok) {
      if (mounting) throw new LittlefsMountError(`not a LittleFS image: ${r.why} in the superblock pair (littlefs: "Corrupted dir pair at {0x0, 0x1}")`);
      throw new LittlefsCorruptError(pair[0], `metadata pair {${pair[0]}, ${pair[1]}}: ${r.why}`);
    }
    this.mdirs.set(key, r.mdir);
    return r.mdir;
  }

  private superblockOf(m: Mdir): { sb: LittlefsSuperblock; attrs: ReadonlyMap<number, Uint8Array> } | undefined {
    const e = m.entries[0];
    if (e?.name?.type !== TYPE.SUPERBLOCK || decoder.decode(e.name.data) !== MAGIC) return undefined;
    const s = e.struct;
    if (s?.type !== TYPE.INLINESTRUCT || s.data.length < SUPERBLOCK_STRUCT_LEN) {
      throw new LittlefsCorruptError(m.block, 'superblock entry lacks its 24-byte inline struct');
    }
    const d = s.data;
    return {
      sb: { version: le32(d, 0), blockSize: le32(d, 4), blockCount: le32(d, 8), nameMax: le32(d, 12), fileMax: le32(d, 16), attrMax: le32(d, 20) },
      attrs: e.attrs,
    };
  }

  private checkSuperblock(found: { sb: LittlefsSuperblock }, block: number): LittlefsSuperblock {
    const sb = found.sb;
    if (sb.version >>> 16 !== 2 || (sb.version & 0xffff) > 1) throw new LittlefsVersionError(sb.version);
    if (sb.blockSize !== this.blockSize) {
      throw new LittlefsMountError(`superblock says block size ${sb.blockSize}, mounted with ${this.blockSize} (littlefs refuses the mount)`);
    }
    if (sb.blockCount < 2 || sb.blockCount * sb.blockSize > this.img.length) {
      throw new LittlefsMountError(
        `superblock says ${sb.blockCount} blocks of ${sb.blockSize} bytes (${sb.blockCount * sb.blockSize} bytes) but the image has ${this.img.length} (truncated?)`,
        'read the whole partition, or pass the image the superblock describes',
      );
    }
    if (sb.nameMax === 0 || sb.nameMax > 1022) throw new LittlefsCorruptError(block, `superblock name_max ${sb.nameMax} is out of range`);
    return sb;
  }

  /** The tail list, as lfs_mount walks it: the root is the last pair with a superblock. */
  private walkTails(first: Mdir): { root: [number, number]; rootAttrs: ReadonlyMap<number, Uint8Array> } {
    const n = this.superblock.blockCount;
    const gstate = new Uint8Array(12);
    let root: [number, number] = [0, 1];
    let rootAttrs = this.superblockOf(first)!.attrs;
    const visited = new Set<string>();
    let m: Mdir | undefined = first;
    while (m) {
      visited.add(pairKey(m.pair));
      if (m.gdelta) for (let i = 0; i < 12; i++) gstate[i]! ^= m.gdelta[i]!;
      if (m !== first) {
        const sb = this.superblockOf(m);
        if (sb) {
          root = m.pair;
          rootAttrs = sb.attrs;
          this.checkSuperblock(sb, m.block);
        }
      }
      if (m.tail[0] === NULL_BLOCK || m.tail[1] === NULL_BLOCK) break;
      if (visited.has(pairKey(m.tail))) throw new LittlefsCorruptError(m.block, `tail list loops back to {${m.tail[0]}, ${m.tail[1]}}`);
      m = this.fetch(m.tail, n);
    }
    const gtag = le32(gstate, 0);
    if (tagType1(gtag) !== 0) this.move = { id: tagId(gtag), pair: pairKey([le32(gstate, 4), le32(gstate, 8)]) };
    return { root, rootAttrs };
  }

  /** Live entries of one pair, without the source of a pending move. */
  private liveEntries(m: Mdir): MdirEntry[] {
    if (this.move && this.move.pair === pairKey(m.pair)) return m.entries.filter((_, i) => i !== this.move!.id);
    return m.entries;
  }

  /** Every directory from the root down, iteratively (depth is bounded by the image, not the stack). */
  private listTree(root: [number, number]): void {
    const listed = new Set<string>([pairKey(root)]);
    const todo: Array<{ pair: [number, number]; prefix: string }> = [{ pair: root, prefix: '' }];
    for (let dir = todo.pop(); dir; dir = todo.pop()) {
      for (const entry of this.listDir(dir.pair, dir.prefix)) {
        this.entries.push(entry);
        if (entry.storage.kind !== 'dir') continue;
        const key = pairKey(entry.storage.pair);
        if (listed.has(key)) throw new LittlefsCorruptError(entry.storage.pair[0], `directory ${safeText(entry.path)} shares its pair with another directory (a cycle?)`);
        listed.add(key);
        todo.push({ pair: entry.storage.pair, prefix: entry.path });
      }
    }
  }

  /** One directory's entries: its pairs, linked by HARDTAILs. */
  private listDir(start: [number, number], prefix: string): LittlefsEntry[] {
    const n = this.superblock.blockCount;
    const out: LittlefsEntry[] = [];
    const names = new Set<string>();
    const seen = new Set<string>();
    let pair: [number, number] | undefined = start;
    while (pair) {
      if (seen.has(pairKey(pair))) throw new LittlefsCorruptError(pair[0], 'directory hardtail loops');
      seen.add(pairKey(pair));
      const m = this.fetch(pair, n);
      for (const e of this.liveEntries(m)) {
        const entry = this.entryOf(e, m, prefix);
        if (!entry) continue;
        if (names.has(entry.path)) throw new LittlefsCorruptError(m.block, `two entries named ${safeText(entry.path)}`);
        names.add(entry.path);
        out.push(entry);
      }
      pair = m.split && m.tail[0] !== NULL_BLOCK ? m.tail : undefined;
    }
    return out;
  }

  private entryOf(e: MdirEntry, m: Mdir, prefix: string): LittlefsEntry | undefined {
    if (!e.name || (e.name.type !== TYPE.REG && e.name.type !== TYPE.DIR) || !e.struct) return undefined;
    const raw = e.name.data;
    const name = decoder.decode(raw);
    if (raw.length === 0 || raw.includes(0x2f) || raw.includes(0) || name === '.' || name === '..') {
      throw new LittlefsCorruptError(m.block, `entry name ${safeText(JSON.stringify(name))} is not a file name`);
    }
    const path = `${prefix}/${name}`;
    const base = { path, attrs: e.attrs, mtime: mtimeOf(e.attrs) };
    if (base.mtime === undefined) delete base.mtime;
    const s = e.struct;
    const bad = (why: string): never => { throw new LittlefsCorruptError(m.block, `${safeText(path)}: ${why}`); };
    if (e.name.type === TYPE.DIR) {
      if (s.type !== TYPE.DIRSTRUCT || s.data.length < 8) bad('directory without a directory struct');
      const pair: [number, number] = [le32(s.data, 0), le32(s.data, 4)];
      if (pair[0] >= this.superblock.blockCount || pair[1] >= this.superblock.blockCount) bad(`directory pair {${pair[0]}, ${pair[1]}} is outside the image`);
      return { ...base, type: 'dir', size: 0, storage: { kind: 'dir', pair } };
    }
    if (s.type === TYPE.INLINESTRUCT) return { ...base, type: 'file', size: s.data.length, storage: { kind: 'inline', data: s.data } };
    if (s.type !== TYPE.CTZSTRUCT || s.data.length < 8) return bad(`file struct type 0x${s.type.toString(16)} is not inline or CTZ`);
    const head = le32(s.data, 0);
    const size = le32(s.data, 4);
    if (size > this.superblock.fileMax) bad(`size ${size} exceeds file_max ${this.superblock.fileMax}`);
    if (size > 0 && head >= this.superblock.blockCount) bad(`head block ${head} is outside the image`);
    if (ctzBlocks(this.blockSize, size) > this.superblock.blockCount) bad(`size ${size} needs more blocks than the image has`);
    return { ...base, type: 'file', size, storage: { kind: 'ctz', head } };
  }
}

/** Mounts `image`; throws `fs.littlefs-*` UserErrors for foreign or corrupt images. */
export function mountLittlefs(image: Uint8Array, options?: LittlefsMountOptions): LittlefsVolume {
  return new LittlefsVolume(image, options);
}

/** Every file and directory, sorted by path. */
export function listLittlefs(image: Uint8Array, options?: LittlefsMountOptions): LittlefsEntry[] {
  return mountLittlefs(image, options).entries;
}

/** The bytes of the file at `path`. */
export function readLittlefsFile(image: Uint8Array, path: string, options?: LittlefsMountOptions): Uint8Array {
  return mountLittlefs(image, options).read(path);
}

/** Mounts and reads every file. */
export function readLittlefs(image: Uint8Array, options?: LittlefsMountOptions): { volume: LittlefsVolume; files: LittlefsFile[] } {
  const volume = mountLittlefs(image, options);
  const files = volume.entries.filter((e) => e.type === 'file').map((e) => ({ ...e, data: volume.read(e) }));
  return { volume, files };
}
