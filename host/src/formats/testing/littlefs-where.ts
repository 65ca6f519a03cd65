/**
 * Test helper: where a byte offset falls in a littlefs image, in littlefs' terms, for golden-test
 * failures ("block 1 (metadata, revision 2), commit 7 of 31, bytes 384–447").
 */
import { lfsCrc } from '../littlefs-crc.js';
import { be32, le32, tagDsize, tagType1, tagChunk, tagValid, TYPE } from '../littlefs-tags.js';

/** The commits of one block read as metadata: [start, end) of each, or none if it is not one. */
function commitsOf(img: Uint8Array, block: number, blockSize: number): Array<[number, number]> {
  const blk = img.subarray(block * blockSize, (block + 1) * blockSize);
  const out: Array<[number, number]> = [];
  let crc = lfsCrc(0xffffffff, blk, 0, 4);
  let ptag = 0xffffffff;
  let start = 0;
  for (let off = 4; off + 4 <= blockSize; ) {
    const tag = (be32(blk, off) ^ ptag) >>> 0;
    if (!tagValid(tag) || off + tagDsize(tag) > blockSize) break;
    crc = lfsCrc(crc, blk, off, off + 4);
    if (tagType1(tag) === TYPE.CRC && tagDsize(tag) >= 8) {
      if (crc !== le32(blk, off + 4)) break;
      off += tagDsize(tag);
      out.push([start, off]);
      start = off;
      crc = 0xffffffff;
      ptag = (tag ^ ((tagChunk(tag) & 1) << 31)) >>> 0;
      continue;
    }
    crc = lfsCrc(crc, blk, off + 4, off + tagDsize(tag));
    ptag = tag;
    off += tagDsize(tag);
  }
  return out;
}

/** Describes offset `at` of `img`, read as the reference image's structure. */
export function whereInLittlefs(img: Uint8Array, at: number, blockSize = 4096): string {
  const block = Math.floor(at / blockSize);
  const inBlock = at % blockSize;
  const head = `offset ${at} (0x${at.toString(16)}): block ${block} + ${inBlock}`;
  const commits = commitsOf(img, block, blockSize);
  if (commits.length === 0) return `${head}, a data block (or unused)`;
  const rev = le32(img, block * blockSize);
  const k = commits.findIndex(([s, e]) => inBlock >= s && inBlock < e);
  const which = k < 0
    ? `after its last commit (which ends at ${commits[commits.length - 1]![1]})`
    : `commit ${k + 1} of ${commits.length}, bytes ${commits[k]![0]}–${commits[k]![1] - 1}`;
  return `${head}, metadata (revision ${rev}), ${which}`;
}

/** The first offset where two images differ, or -1. */
export function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}
