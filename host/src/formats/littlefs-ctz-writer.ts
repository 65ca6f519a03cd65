/**
 * Writing a file's data as littlefs does when it outgrows its inline storage (docs/littlefs.md §3
 * "Files" and §5): the first block takes the bytes so far and what follows; every later block n
 * is allocated when the previous one is full, erased, and starts with ctz(n) + 1 pointers to
 * blocks n − 1, n − 2, n − 4, … ; data goes through a program cache, so the last block is written
 * up to the next prog boundary with the cache's 0xFF and reads 0x00 (erased) after that.
 */
import { ctz } from './littlefs-ctz.js';
import { putLe32 } from './littlefs-tags.js';

export interface BlockSink {
  readonly disk: Uint8Array;
  readonly blockSize: number;
  readonly prog: number;
  /** A fresh, erased block, allocated while `open` are the file's blocks so far. */
  newBlock(open: readonly number[]): number;
}

/** Writes `data` into a chain of new blocks; returns them in file order (the last is the head). */
export function writeCtzFile(sink: BlockSink, data: Uint8Array): number[] {
  const { disk, blockSize, prog } = sink;
  const blocks: number[] = [];
  let pos = 0;
  for (let n = 0; pos < data.length; n++) {
    const block = sink.newBlock(blocks);
    const base = block * blockSize;
    let off = 0;
    if (n > 0) {
      for (let i = 0; i <= ctz(n); i++) putLe32(disk, base + 4 * i, blocks[n - (1 << i)]!);
      off = 4 * (ctz(n) + 1);
    }
    const len = Math.min(blockSize - off, data.length - pos);
    disk.set(data.subarray(pos, pos + len), base + off);
    off += len;
    pos += len;
    blocks.push(block);
    if (off < blockSize) disk.fill(0xff, base + off, base + Math.ceil(off / prog) * prog);
  }
  return blocks;
}
