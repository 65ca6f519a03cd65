/**
 * littlefs' block allocator, as the littlefs inside mklittlefs runs it (docs/littlefs.md §5):
 * a window of up to `windowMax` blocks (8 × lookahead size) starting at `off`, marked from a
 * walk of everything in use when the window is (re)filled; blocks are handed out in window order
 * and never marked as they go, so a block taken since the last walk is simply behind the cursor.
 * `budget` counts the blocks looked at since the last acknowledgement: when it runs out, nothing
 * in the window can be trusted as free any more and the file system is full.
 *
 * After mounting, the window starts at `seed % blockCount`, the seed being folded from the CRC of
 * every commit the mount read (`mountSeed`); during a format it starts at block 0 with every
 * block free and no walk.
 */
import { lfsCrc } from './littlefs-crc.js';
import { putLe32 } from './littlefs-tags.js';

/** No block is left that is not in use (littlefs' LFS_ERR_NOSPC from its allocator). */
export class LittlefsNoSpace extends Error {}

export class Lookahead {
  private off: number;
  private size = 0;
  private cursor = 0;
  private budget: number;
  private marked = new Uint8Array(0);

  private constructor(private readonly blockCount: number, start: number, private readonly windowMax: number) {
    this.off = start % blockCount;
    this.budget = blockCount;
  }

  /** The allocator after a mount: an empty window at the seed, filled by the first `take`. */
  static mounted(blockCount: number, seed: number, windowMax: number): Lookahead {
    return new Lookahead(blockCount, seed >>> 0, windowMax);
  }

  /** The allocator during a format: a window at block 0 in which every block counts as free. */
  static formatting(blockCount: number, windowMax: number): Lookahead {
    const a = new Lookahead(blockCount, 0, windowMax);
    a.size = Math.min(windowMax, blockCount);
    a.marked = new Uint8Array(a.size);
    return a;
  }

  /** Progress was made: every block the window still offers may be trusted again. */
  ack(): void {
    this.budget = this.blockCount;
  }

  /** The next free block; `inUse` lists the blocks in use when the window must be refilled. */
  take(inUse: () => Iterable<number>): number {
    for (;;) {
      while (this.cursor !== this.size) {
        const at = this.cursor;
        this.step();
        if (!this.marked[at]) {
          // The cursor moves on past marked blocks at once: they are spent from the budget now.
          while (this.cursor !== this.size && this.marked[this.cursor]) this.step();
          return (this.off + at) % this.blockCount;
        }
      }
      if (this.budget === 0) throw new LittlefsNoSpace('no free block left');
      this.refill(inUse());
    }
  }

  private step(): void {
    this.cursor++;
    this.budget = (this.budget - 1) >>> 0;
  }

  private refill(used: Iterable<number>): void {
    this.off = (this.off + this.size) % this.blockCount;
    this.size = Math.min(this.windowMax, this.budget);
    this.cursor = 0;
    this.marked = new Uint8Array(this.size);
    for (const b of used) {
      const rel = (b - this.off + this.blockCount) % this.blockCount;
      if (rel < this.size) this.marked[rel] = 1;
    }
  }
}

/** The seed a mount leaves: each commit CRC it read, as 4 little-endian bytes, CRC'd from 0. */
export function mountSeed(commitCrcs: Iterable<number>): number {
  let seed = 0;
  const le = new Uint8Array(4);
  for (const c of commitCrcs) {
    putLe32(le, 0, c >>> 0);
    seed = lfsCrc(seed, le);
  }
  return seed;
}
