/**
 * Writing one commit into a metadata block the way littlefs programs it (docs/littlefs.md §3,
 * "Commits in 2.1", and §5): tags go through a program cache of `prog` bytes that is written out
 * whenever it fills and at the end of the commit, so the last unit is padded with the cache's
 * 0xFF. The commit ends in one or more CCRC tags whose length reaches the next prog boundary; each
 * CCRC's chunk bit 0 is the inverse of the top bit of the word that follows it on disk (0xFF…
 * past the block's end), so a reader stops there.
 *
 * A tag that does not fit (a commit must leave 8 bytes for its CRC) aborts the commit: what the
 * cache had already written out stays on disk, the rest is dropped, as littlefs leaves it.
 */
import { lfsCrc } from './littlefs-crc.js';
import { crcTag, crcTagEnd, mkTag, putBe32, putLe32 } from './littlefs-tags.js';

/** One tag (without its valid bit) and its data. */
export interface MetaTag {
  tag: number;
  data: Uint8Array;
}

export const metaTag = (type: number, id: number, data: Uint8Array = new Uint8Array(0)): MetaTag => ({ tag: mkTag(type, id, data.length), data });

/** The end state of a written commit: where the next one starts, its tag chain, its CRCs. */
export interface CommitEnd {
  off: number;
  ptag: number;
  crcs: number[];
}

export class CommitCursor {
  private crc = 0xffffffff;
  private readonly staged: Uint8Array;
  private readonly start: number;

  constructor(
    private readonly disk: Uint8Array,
    private readonly base: number,
    private readonly blockSize: number,
    private readonly prog: number,
    public off: number,
    private ptag: number,
  ) {
    this.start = off;
    this.staged = new Uint8Array(blockSize).fill(0xff);
  }

  /** Whether a tag of `len` data bytes still fits before the room kept for the CRC. */
  fits(len: number): boolean {
    return this.off + 4 + len <= this.blockSize - 8;
  }

  /** Raw bytes (the revision count at the start of a compacted block). */
  bytes(b: Uint8Array): void {
    this.staged.set(b, this.off);
    this.crc = lfsCrc(this.crc, b);
    this.off += b.length;
  }

  put(t: MetaTag): void {
    const head = new Uint8Array(4);
    putBe32(head, 0, (t.tag ^ this.ptag) >>> 0);
    this.bytes(head);
    this.bytes(t.data);
    this.ptag = t.tag;
  }

  /** Gives up on the commit: only whole cache units already filled reached the disk. */
  abort(): void {
    const flushed = this.start + Math.floor((this.off - this.start) / this.prog) * this.prog;
    this.disk.set(this.staged.subarray(this.start, flushed), this.base + this.start);
  }

  /** Ends the commit with its CRC tag(s), padded to the prog size, and writes it out. */
  finish(): CommitEnd {
    const end = Math.ceil((this.off + 8) / this.prog) * this.prog;
    const crcs: number[] = [];
    while (this.off < end) {
      const body = this.off + 4;
      const next = crcTagEnd(this.off, end);
      const following = next < this.blockSize ? this.disk[this.base + next]! : 0xff;
      const { tag: t, flip } = crcTag(this.off, next, following);
      const head = new Uint8Array(4);
      putBe32(head, 0, (t ^ this.ptag) >>> 0);
      this.crc = lfsCrc(this.crc, head);
      this.staged.set(head, this.off);
      putLe32(this.staged, body, this.crc);
      crcs.push(this.crc);
      this.off = next;
      this.ptag = (t ^ (flip << 31)) >>> 0;
      this.crc = 0xffffffff;
    }
    this.disk.set(this.staged.subarray(this.start, end), this.base + this.start);
    return { off: this.off, ptag: this.ptag, crcs };
  }
}

/** littlefs' erase as mklittlefs implements it: the block reads 0x00 afterwards. */
export function eraseBlock(disk: Uint8Array, block: number, blockSize: number): void {
  disk.fill(0, block * blockSize, (block + 1) * blockSize);
}
