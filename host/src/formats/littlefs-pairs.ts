/**
 * The write model's view of metadata pairs (docs/littlefs.md §3 and §5): what one pair holds on
 * disk (its current block's log of tags since the last compaction, where that log ends, its
 * revision, tail and id count), the entries that log adds up to, littlefs' name order, and the
 * blocks a CTZ file occupies.
 */
import { ctzIndex } from './littlefs-ctz.js';
import type { MetaTag } from './littlefs-prog.js';
import {
  NULL_BLOCK, TYPE, le32, putLe32, tagId, tagIsDelete, tagSplice, tagType1, tagType3,
} from './littlefs-tags.js';

export interface MetaPair {
  /** [the block holding the current state, the other one]. */
  blocks: [number, number];
  rev: number;
  /** Where the next commit would start in the current block, and the tag it is chained to. */
  off: number;
  etag: number;
  /** Ids in use. */
  count: number;
  tail: [number, number];
  /** The tail continues this directory (HARDTAIL) rather than only the list of pairs. */
  split: boolean;
  /** Every tag of the current block in order, CRC tags left out. */
  log: MetaTag[];
  /** The CRC of each commit in the current block (what a mount folds into its seed). */
  crcs: number[];
}

/** A pair as one fetched it: `erased` says whether a commit may be appended to it. */
export interface PairView {
  pair: MetaPair;
  erased: boolean;
}

export interface PairEntry {
  /** NAME type3 (REG, DIR, SUPERBLOCK) and the name. */
  type: number;
  name: Uint8Array;
  struct?: MetaTag;
}

/** The entries a pair's log adds up to, by id. */
export function entriesOf(p: MetaPair): PairEntry[] {
  const out: PairEntry[] = [];
  for (const t of p.log) {
    const id = tagId(t.tag);
    const kind = tagType1(t.tag);
    if (kind === TYPE.SPLICE) {
      if (tagSplice(t.tag) > 0) out.splice(id, 0, { type: 0, name: new Uint8Array(0) });
      else out.splice(id, 1);
    } else if (kind === TYPE.NAME && !tagIsDelete(t.tag)) {
      while (out.length <= id) out.push({ type: 0, name: new Uint8Array(0) });
      out[id]!.type = tagType3(t.tag);
      out[id]!.name = t.data;
    } else if (kind === TYPE.STRUCT && !tagIsDelete(t.tag)) {
      while (out.length <= id) out.push({ type: 0, name: new Uint8Array(0) });
      out[id]!.struct = t;
    }
  }
  return out;
}

/**
 * littlefs' order of names in a directory: bytewise, except that when one name is a prefix of the
 * other the longer one sorts first (the comparison reports the shorter stored name as the
 * greater). Returns > 0 when `stored` sorts after `wanted`.
 */
export function compareNames(stored: Uint8Array, wanted: Uint8Array): number {
  const n = Math.min(stored.length, wanted.length);
  for (let i = 0; i < n; i++) if (stored[i] !== wanted[i]) return stored[i]! - wanted[i]!;
  return wanted.length - stored.length;
}

/** Plain bytewise order (a prefix first): the order our default add order and listings use. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

export function pairBytes(p: readonly [number, number]): Uint8Array {
  const b = new Uint8Array(8);
  putLe32(b, 0, p[0]);
  putLe32(b, 4, p[1]);
  return b;
}

export const pairOfBytes = (b: Uint8Array): [number, number] => [le32(b, 0), le32(b, 4)];
export const isNullPair = (p: readonly [number, number]): boolean => p[0] === NULL_BLOCK || p[1] === NULL_BLOCK;
export const isSuperPair = (p: MetaPair): boolean => (p.blocks[0] === 0 && p.blocks[1] === 1) || (p.blocks[0] === 1 && p.blocks[1] === 0);

/** The blocks of a CTZ file of `size` bytes whose last block is `head`, read from its pointers. */
export function ctzChain(disk: Uint8Array, blockSize: number, head: number, size: number): number[] {
  if (size === 0) return [];
  const out = [head];
  let b = head;
  for (let i = ctzIndex(blockSize, size - 1).index; i > 0; i--) {
    b = le32(disk, b * blockSize);
    out.push(b);
  }
  return out;
}
