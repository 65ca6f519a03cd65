/**
 * Fetching one littlefs metadata pair, as `lfs_dir_fetchmatch` does (littlefs v2.9.2
 * lfs.c:1100-1400; SPEC.md "Metadata pairs"): start with the block whose revision count is newer
 * by sequence comparison, replay its commit log tag by tag (each tag XORed with the one before),
 * check the CRC at every CCRC tag and keep the state of the last commit whose CRC matched; if the
 * newer block has no valid commit, use the other one.
 *
 * The replay is forward: CREATE inserts an id, DELETE removes one (later ids shift down), and the
 * newest NAME / STRUCT / USERATTR tag per id wins (a USERATTR of length 0x3ff removes the
 * attribute). That gives the same answers as littlefs' backward search (`lfs_dir_getslice`).
 */
import { lfsCrc } from './littlefs-crc.js';
import {
  NULL_BLOCK, TYPE, be32, le32, scmp, tagChunk, tagDsize, tagId, tagIsDelete, tagSize, tagSplice,
  tagType1, tagType2, tagType3, tagValid,
} from './littlefs-tags.js';

/** The newest tags of one id: what lfs_dir_get would return for it. */
export interface MdirEntry {
  /** NAME type3 (REG 0x001, DIR 0x002, SUPERBLOCK 0x0ff) and the name bytes. */
  name?: { type: number; data: Uint8Array };
  /** STRUCT type3 (DIRSTRUCT, INLINESTRUCT, CTZSTRUCT) and its data. */
  struct?: { type: number; data: Uint8Array };
  /** User attributes by their 8-bit type ('t' = 0x74). */
  attrs: Map<number, Uint8Array>;
}

export interface Mdir {
  pair: [number, number];
  /** The block the state was read from, and its revision count. */
  block: number;
  rev: number;
  entries: MdirEntry[];
  /** Tail pointer (NULL_BLOCK pair when none); `split` = HARDTAIL (same directory continues). */
  tail: [number, number];
  split: boolean;
  /** The newest MOVESTATE delta in this pair (12 bytes), if any. */
  gdelta?: Uint8Array;
  /** Valid commits replayed in the chosen block. */
  commits: number;
}

/** Why a block gave no state, for the error message. */
export type FetchResult = { ok: true; mdir: Mdir } | { ok: false; why: string };

interface Replay {
  entries: MdirEntry[];
  tail: [number, number];
  split: boolean;
  gdelta?: Uint8Array;
}

function cloneReplay(r: Replay): Replay {
  return {
    entries: r.entries.map((e) => ({ name: e.name, struct: e.struct, attrs: new Map(e.attrs) })),
    tail: [r.tail[0], r.tail[1]],
    split: r.split,
    gdelta: r.gdelta,
  };
}

/** Replays one block's log; returns the state as of its last valid commit, or null. */
function replayBlock(img: Uint8Array, base: number, blockSize: number): { state: Replay; commits: number } | null {
  const blk = img.subarray(base, base + blockSize);
  let crc = lfsCrc(0xffffffff, blk, 0, 4);
  let ptag = 0xffffffff;
  let off = 4;
  let cur: Replay = { entries: [], tail: [NULL_BLOCK, NULL_BLOCK], split: false };
  let good: Replay | null = null;
  let commits = 0;
  for (;;) {
    if (off + 4 > blockSize) break;
    crc = lfsCrc(crc, blk, off, off + 4);
    const tag = (be32(blk, off) ^ ptag) >>> 0;
    if (!tagValid(tag)) break;
    const dsize = tagDsize(tag);
    if (off + dsize > blockSize) break;
    ptag = tag;
    if (tagType2(tag) === TYPE.CCRC) {
      if (tagSize(tag) < 4 || crc !== le32(blk, off + 4)) break;
      ptag = (ptag ^ ((tagChunk(tag) & 1) << 31)) >>> 0;
      good = cloneReplay(cur);
      commits++;
      crc = 0xffffffff;
      off += dsize;
      continue;
    }
    crc = lfsCrc(crc, blk, off + 4, off + dsize);
    const data = blk.subarray(off + 4, off + dsize);
    apply(cur, tag, data);
    off += dsize;
  }
  return good ? { state: good, commits } : null;
}

function apply(s: Replay, tag: number, data: Uint8Array): void {
  const t1 = tagType1(tag);
  const id = tagId(tag);
  const slot = (): MdirEntry => {
    while (s.entries.length <= id) s.entries.push({ attrs: new Map() });
    return s.entries[id]!;
  };
  if (t1 === TYPE.SPLICE) {
    const n = tagSplice(tag);
    if (n > 0) {
      while (s.entries.length < id) s.entries.push({ attrs: new Map() });
      s.entries.splice(id, 0, { attrs: new Map() });
    } else if (n < 0 && id < s.entries.length) {
      s.entries.splice(id, 1);
    }
    return;
  }
  if (t1 === TYPE.TAIL) {
    if (data.length >= 8) {
      s.split = (tagChunk(tag) & 1) === 1;
      s.tail = [le32(data, 0), le32(data, 4)];
    }
    return;
  }
  if (tagType3(tag) === TYPE.MOVESTATE) {
    if (data.length >= 12) s.gdelta = data;
    return;
  }
  if (id === 0x3ff) return;
  if (t1 === TYPE.NAME) {
    const e = slot();
    if (tagIsDelete(tag)) delete e.name;
    else e.name = { type: tagType3(tag), data };
  } else if (t1 === TYPE.STRUCT) {
    const e = slot();
    if (tagIsDelete(tag)) delete e.struct;
    else e.struct = { type: tagType3(tag), data };
  } else if (t1 === TYPE.USERATTR) {
    const e = slot();
    if (tagIsDelete(tag)) e.attrs.delete(tagChunk(tag));
    else e.attrs.set(tagChunk(tag), data);
  }
}

/**
 * Fetches the pair `{a, b}`. Both block numbers must already be checked to lie in the image.
 */
export function fetchMdir(img: Uint8Array, pair: [number, number], blockSize: number): FetchResult {
  const revs = [le32(img, pair[0] * blockSize), le32(img, pair[1] * blockSize)] as const;
  const first = scmp(revs[1], revs[0]) > 0 ? 1 : 0;
  for (let i = 0; i < 2; i++) {
    const which = (first + i) % 2;
    const block = pair[which]!;
    const r = replayBlock(img, block * blockSize, blockSize);
    if (r) {
      return {
        ok: true,
        mdir: { pair, block, rev: revs[which]!, ...r.state, commits: r.commits },
      };
    }
  }
  return { ok: false, why: `neither block ${pair[0]} nor block ${pair[1]} holds a commit with a valid CRC` };
}
