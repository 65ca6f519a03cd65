/**
 * littlefs on-disk constants and tag helpers. Source: littlefs v2.9.2 (`68d28b5`) `lfs.h:91-115`
 * and SPEC.md "Metadata tags" (summarised in docs/littlefs.md §3).
 *
 * A tag is 32 bits, big-endian on disk and XORed with the previous tag:
 * `valid(1) | type3(11) | id(10) | length(10)`; type3 = type1(3) + chunk(8).
 */
export const TYPE = {
  NAME: 0x000,
  REG: 0x001,
  DIR: 0x002,
  SUPERBLOCK: 0x0ff,
  STRUCT: 0x200,
  DIRSTRUCT: 0x200,
  INLINESTRUCT: 0x201,
  CTZSTRUCT: 0x202,
  USERATTR: 0x300,
  SPLICE: 0x400,
  CREATE: 0x401,
  DELETE: 0x4ff,
  CRC: 0x500,
  CCRC: 0x500,
  FCRC: 0x5ff,
  TAIL: 0x600,
  SOFTTAIL: 0x600,
  HARDTAIL: 0x601,
  GSTATE: 0x700,
  MOVESTATE: 0x7ff,
} as const;

/** The `'t'` user attribute (0x374): mtime, uint32 LE seconds (8 bytes on the root in mklittlefs). */
export const ATTR_MTIME = 0x74;
/** The `'c'` user attribute mklittlefs also writes (creation time). */
export const ATTR_CTIME = 0x63;

export const NULL_BLOCK = 0xffffffff;
/** Length value meaning "deleted" (and id value meaning "no id"). */
export const TAG_DELETED_LEN = 0x3ff;
export const NO_ID = 0x3ff;
export const MAGIC = 'littlefs';
/** Superblock INLINESTRUCT: version, block_size, block_count, name_max, file_max, attr_max. */
export const SUPERBLOCK_STRUCT_LEN = 24;
export const VERSION_2_0 = 0x00020000;
export const VERSION_2_1 = 0x00020001;
/** littlefs' compiled defaults (lfs.h): what a 0 in lfs_config means. */
export const DEFAULT_NAME_MAX = 255;
export const DEFAULT_FILE_MAX = 2147483647;
export const DEFAULT_ATTR_MAX = 1022;

/**
 * The superblock's two tags' data, as a format writes them: the magic (SUPERBLOCK) and the
 * INLINESTRUCT (version, block size and count, name_max, littlefs' default file_max and attr_max).
 */
export function superblockData(version: number, blockSize: number, blockCount: number, nameMax: number): { magic: Uint8Array; struct: Uint8Array } {
  const struct = new Uint8Array(SUPERBLOCK_STRUCT_LEN);
  [version, blockSize, blockCount, nameMax, DEFAULT_FILE_MAX, DEFAULT_ATTR_MAX].forEach((v, i) => putLe32(struct, 4 * i, v));
  return { magic: new TextEncoder().encode(MAGIC), struct };
}

/** A `'t'`/`'c'` attribute's value: seconds as uint32 LE, or 8 bytes LE (mklittlefs' root). */
export function timeAttr(seconds: number, width: 4 | 8): Uint8Array {
  const b = new Uint8Array(width);
  putLe32(b, 0, seconds >>> 0);
  if (width === 8) putLe32(b, 4, Math.floor(seconds / 2 ** 32) >>> 0);
  return b;
}

/**
 * Where the CRC tag written at `off` ends a commit padded to `end`: one CCRC covers at most
 * 0x3fe bytes, and one that stops short of `end` leaves room (8 bytes) for the next.
 */
export function crcTagEnd(off: number, end: number): number {
  const body = off + 4;
  const next = Math.min(end - body, 0x3fe) + body;
  return next < end ? Math.min(next, end - 8) : next;
}

/**
 * The CCRC tag at `off` reaching to `next`, and its `flip`: chunk bit 0 is the inverse of the top
 * bit of `following`, the first byte after `next` on disk (0xff past the block's end), so a reader
 * stops at erased bytes; the next tag chains from the tag with its valid bit flipped the same way.
 */
export function crcTag(off: number, next: number, following: number): { tag: number; flip: number } {
  const flip = following & 0x80 ? 0 : 1;
  return { tag: mkTag(TYPE.CCRC + flip, NO_ID, next - (off + 4)), flip };
}

export const tagValid = (t: number): boolean => (t & 0x80000000) === 0;
export const tagType1 = (t: number): number => (t >>> 20) & 0x700;
/** type1 plus the chunk's top bit: separates CCRC (0x500) from FCRC (0x5ff → 0x580). */
export const tagType2 = (t: number): number => (t >>> 20) & 0x780;
export const tagType3 = (t: number): number => (t >>> 20) & 0x7ff;
export const tagChunk = (t: number): number => (t >>> 20) & 0xff;
export const tagId = (t: number): number => (t >>> 10) & 0x3ff;
export const tagSize = (t: number): number => t & 0x3ff;
export const tagIsDelete = (t: number): boolean => tagSize(t) === TAG_DELETED_LEN;
/** Bytes the tag and its data take on disk. */
export const tagDsize = (t: number): number => 4 + (tagIsDelete(t) ? 0 : tagSize(t));
/** CREATE → +1, DELETE → -1 (the chunk as int8). */
export const tagSplice = (t: number): number => (tagChunk(t) << 24) >> 24;

export function mkTag(type: number, id: number, size: number): number {
  return ((type << 20) | (id << 10) | size) >>> 0;
}

/** Sequence comparison of revision counts (`lfs_scmp`): survives wrap-around. */
export function scmp(a: number, b: number): number {
  return (a - b) | 0;
}

export function be32(b: Uint8Array, o: number): number {
  return ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
}
export function le32(b: Uint8Array, o: number): number {
  return (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
}
export function putBe32(b: Uint8Array, o: number, v: number): void {
  b[o] = v >>> 24; b[o + 1] = (v >>> 16) & 0xff; b[o + 2] = (v >>> 8) & 0xff; b[o + 3] = v & 0xff;
}
export function putLe32(b: Uint8Array, o: number, v: number): void {
  b[o] = v & 0xff; b[o + 1] = (v >>> 8) & 0xff; b[o + 2] = (v >>> 16) & 0xff; b[o + 3] = v >>> 24;
}
