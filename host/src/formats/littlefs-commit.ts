/**
 * Writing one metadata block's commits, as littlefs' `lfs_dir_commitattr` / `lfs_dir_commitcrc`
 * do (v2.9.2 lfs.c:1580-1730; SPEC.md "Metadata pairs", "CRC tags"): tags big-endian, each
 * XORed with the previous one; a commit ends in a CCRC tag whose CRC covers everything since the
 * previous CRC (the revision count too, for the first); the CCRC's length pads the commit to
 * `prog` bytes, and its chunk bit 0 is the inverse of the top bit of the next unwritten word, so
 * a reader stops at erased bytes. In 2.1 mode an FCRC tag before the CCRC records the CRC of the
 * next `prog` erased bytes (the board's "can I append here" check).
 */
import { lfsCrc } from './littlefs-crc.js';
import { NO_ID, TYPE, crcTag, crcTagEnd, mkTag, putBe32, putLe32 } from './littlefs-tags.js';

export class MetaWriter {
  private crc: number;
  private ptag = 0xffffffff;
  /** Offset of the next tag inside the block. */
  off = 4;

  constructor(
    private readonly img: Uint8Array,
    private readonly base: number,
    private readonly blockSize: number,
    private readonly prog: number,
    rev: number,
  ) {
    putLe32(img, base, rev);
    this.crc = lfsCrc(0xffffffff, img, base, base + 4);
  }

  /** Appends a tag and its data; `size` overrides the length field (0x3ff = deleted, no data). */
  tag(type: number, id: number, data: Uint8Array = new Uint8Array(0), size = data.length): this {
    const t = mkTag(type, id, size);
    const at = this.base + this.off;
    putBe32(this.img, at, (t ^ this.ptag) >>> 0);
    this.img.set(data, at + 4);
    this.crc = lfsCrc(this.crc, this.img, at, at + 4 + data.length);
    this.ptag = t;
    this.off += 4 + data.length;
    return this;
  }

  /** Ends the commit: optional FCRC (disk 2.1), then the CCRC padded to the program size. */
  commit(fcrc = false): this {
    const end = alignUp(Math.min(this.off + (fcrc ? 20 : 8), this.blockSize), this.prog);
    while (this.off < end) {
      const noff = crcTagEnd(this.off, end);
      const perturb = noff < this.blockSize ? this.img[this.base + noff]! : 0xff;
      if (fcrc && noff >= end && noff <= this.blockSize - this.prog) {
        const f = new Uint8Array(8);
        putLe32(f, 0, this.prog);
        putLe32(f, 4, lfsCrc(0xffffffff, this.img, this.base + noff, this.base + noff + this.prog));
        this.tag(TYPE.FCRC, NO_ID, f);
      }
      const { tag: t, flip } = crcTag(this.off, noff, perturb);
      const at = this.base + this.off;
      putBe32(this.img, at, (t ^ this.ptag) >>> 0);
      this.crc = lfsCrc(this.crc, this.img, at, at + 4);
      putLe32(this.img, at + 4, this.crc);
      this.off = noff;
      this.ptag = (t ^ (flip << 31)) >>> 0;
      this.crc = 0xffffffff;
    }
    return this;
  }
}

export const alignUp = (n: number, a: number): number => Math.ceil(n / a) * a;
