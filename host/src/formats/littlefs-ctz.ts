/**
 * CTZ skip-lists (littlefs DESIGN.md "CTZ skip-lists", SPEC.md "CTZ struct"; `lfs_ctz_index`,
 * `lfs_ctz_find` in lfs.c v2.9.2): block n ≥ 1 of a file starts with ctz(n)+1 little-endian
 * pointers (to blocks n-1, n-2, n-4, …) then data; block 0 is all data. The file is reached from
 * its last block (the head).
 */
import { LittlefsCorruptError } from './littlefs-errors.js';
import { le32 } from './littlefs-tags.js';

const popc = (x: number): number => {
  let n = 0;
  for (let v = x >>> 0; v; v &= v - 1) n++;
  return n;
};
export const ctz = (x: number): number => (x === 0 ? 32 : 31 - Math.clz32(x & -x));

/** Index of the block holding byte `off`, and the offset inside it (`lfs_ctz_index`). */
export function ctzIndex(blockSize: number, off: number): { index: number; off: number } {
  const b = blockSize - 8;
  let i = Math.floor(off / b);
  if (i === 0) return { index: 0, off };
  i = Math.floor((off - 4 * (popc(i - 1) + 2)) / b);
  return { index: i, off: off - b * i - 4 * popc(i) };
}

/** Bytes of pointers at the start of block `index`. */
export const ctzHeader = (index: number): number => (index === 0 ? 0 : 4 * (ctz(index) + 1));

/** Number of blocks a file of `size` bytes takes. */
export function ctzBlocks(blockSize: number, size: number): number {
  return size === 0 ? 0 : ctzIndex(blockSize, size - 1).index + 1;
}

/**
 * Reads a CTZ file: follows the first pointer of each block from the head back to block 0
 * (every pointer checked against `blockCount`, at most one step per block), then copies data.
 */
export function readCtz(img: Uint8Array, blockSize: number, blockCount: number, head: number, size: number): Uint8Array {
  const out = new Uint8Array(size);
  if (size === 0) return out;
  const last = ctzIndex(blockSize, size - 1).index;
  if (last + 1 > blockCount) throw new LittlefsCorruptError(head, `file claims ${size} bytes, ${last + 1} blocks, more than the image's ${blockCount}`);
  const blocks = new Array<number>(last + 1);
  let b = head;
  for (let i = last; i >= 0; i--) {
    if (b >= blockCount) throw new LittlefsCorruptError(head, `file's block ${i} pointer ${b} is outside the image (${blockCount} blocks)`);
    blocks[i] = b;
    if (i > 0) b = le32(img, b * blockSize);
  }
  let pos = 0;
  for (let i = 0; i <= last; i++) {
    const start = blocks[i]! * blockSize + ctzHeader(i);
    const n = Math.min(blockSize - ctzHeader(i), size - pos);
    out.set(img.subarray(start, start + n), pos);
    pos += n;
  }
  return out;
}
