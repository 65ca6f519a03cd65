import { UserError } from '../errors.js';
import {
  BLOCK_SIZE, DATA_PER_PAGE, ERASE_COUNT_OFFSET, FLAGS_DATA, FLAGS_INDEX,
  MAGIC_OFFSET, MAX_NAME_BYTES, OBJ_ID_IX_FLAG, PAGES_PER_BLOCK, PAGE_HEADER,
  PAGE_SIZE, TYPE_FILE, UNDEFINED_LEN, blockMagic, dataPages, hdr, indexPages, indexSlot, put16,
  put32, tableOffset, usablePages,
} from './spiffs-geometry.js';

/** A file to put in the image: `name` is the SPIFFS object name, leading '/' included. */
export interface SpiffsInput {
  name: string;
  data: Uint8Array;
}

/** The largest image page indices (u16) can address. */
export const MAX_IMAGE_SIZE = 0x10000 * PAGE_SIZE;
const encoder = new TextEncoder();

/** Checks an image size: whole blocks, at least three, addressable by u16 page indices. */
export function checkImageSize(size: number): void {
  if (!Number.isInteger(size) || size % BLOCK_SIZE !== 0 || size < 3 * BLOCK_SIZE || size > MAX_IMAGE_SIZE) {
    throw new UserError(
      'fs.bad-size',
      `SPIFFS size ${size} (0x${size.toString(16)}) is not a multiple of ${BLOCK_SIZE} between ${3 * BLOCK_SIZE} and ${MAX_IMAGE_SIZE}`,
      'give the size of the spiffs partition from the partition table, e.g. --size 0x160000',
    );
  }
}

/** Bytes of file data a clean image of `size` bytes can hold (every page full). */
export function spiffsCapacity(size: number): number {
  return usablePages(size / BLOCK_SIZE) * DATA_PER_PAGE;
}

/** Pages one file takes in a clean image: its index pages and its data pages. */
export function pagesFor(bytes: number): number {
  return indexPages(bytes) + dataPages(bytes);
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return (a[i] ?? 0) - (b[i] ?? 0);
  return a.length - b.length;
}

interface Prepared { name: string; raw: Uint8Array; data: Uint8Array }

function prepare(files: readonly SpiffsInput[], size: number): Prepared[] {
  const out = files.map((f) => ({ name: f.name, raw: encoder.encode(f.name), data: f.data }));
  for (const f of out) {
    if (!f.name.startsWith('/') || f.raw.includes(0)) {
      throw new UserError('fs.bad-name', `SPIFFS name ${JSON.stringify(f.name)} must start with '/' and contain no NUL`);
    }
    if (f.raw.length > MAX_NAME_BYTES) {
      throw new UserError(
        'fs.name-too-long',
        `${f.name}: SPIFFS name is ${f.raw.length} bytes, the limit is ${MAX_NAME_BYTES} (leading '/' included, so ${MAX_NAME_BYTES - 1} for the path inside the data folder)`,
        'shorten the file name or its folder path',
      );
    }
  }
  out.sort((a, b) => compareBytes(a.raw, b.raw));
  for (let i = 1; i < out.length; i++) {
    if (compareBytes(out[i - 1]!.raw, out[i]!.raw) === 0) throw new UserError('fs.duplicate-name', `two files named ${out[i]!.name}`);
  }
  if (out.length >= OBJ_ID_IX_FLAG - 1) throw new UserError('fs.too-many-files', `${out.length} files; SPIFFS object ids allow ${OBJ_ID_IX_FLAG - 2}`);
  const need = out.reduce((n, f) => n + pagesFor(f.data.length), 0);
  const have = usablePages(size / BLOCK_SIZE);
  if (need > have) {
    const bytes = out.reduce((n, f) => n + f.data.length, 0);
    throw new UserError(
      'fs.too-big',
      `${out.length} file${out.length === 1 ? '' : 's'} (${bytes} bytes) need ${need} pages of ${PAGE_SIZE} bytes; a ${size}-byte (0x${size.toString(16)}) SPIFFS has ${have} usable pages (two blocks stay free for SPIFFS' garbage collector): ${need - have} pages (${(need - have) * PAGE_SIZE} bytes) too many`,
      'remove files from the data folder or use a partition table with a bigger spiffs partition',
    );
  }
  return out;
}

/**
 * Builds a clean SPIFFS image: files sorted by name (bytewise), object ids 1, 2, 3 …, each file's
 * header, then its data pages, an index page before each run of 124 data spans past the
 * header's 103; no deleted pages; erase count 0 and the block's magic in every block
 * (docs/spiffs.md §1, §2, §7). Throws `UserError` (`fs.name-too-long`, `fs.too-big`,
 * `fs.bad-size`, `fs.duplicate-name`) before producing anything. Same input → same bytes.
 */
export function buildSpiffs(files: readonly SpiffsInput[], size: number): Uint8Array {
  checkImageSize(size);
  const list = prepare(files, size);
  const img = new Uint8Array(size).fill(0xff);
  const blockCount = size / BLOCK_SIZE;
  for (let b = 0; b < blockCount; b++) {
    put16(img, b * BLOCK_SIZE + MAGIC_OFFSET, blockMagic(blockCount, b));
    put16(img, b * BLOCK_SIZE + ERASE_COUNT_OFFSET, 0);
  }
  let next = 1;
  const alloc = (lookupId: number): number => {
    const pix = next++;
    if (next % PAGES_PER_BLOCK === 0) next++;
    put16(img, Math.floor(pix / PAGES_PER_BLOCK) * BLOCK_SIZE + 2 * ((pix % PAGES_PER_BLOCK) - 1), lookupId);
    return pix;
  };
  list.forEach((f, i) => {
    const id = i + 1;
    const header = alloc(id | OBJ_ID_IX_FLAG);
    const h = header * PAGE_SIZE;
    writePageHeader(img, h, id | OBJ_ID_IX_FLAG, 0, FLAGS_INDEX);
    put32(img, h + hdr.size, f.data.length === 0 ? UNDEFINED_LEN : f.data.length);
    img[h + hdr.type] = TYPE_FILE;
    img.fill(0, h + hdr.name, h + hdr.meta);
    img.set(f.raw, h + hdr.name);
    let ixPage = header;
    for (let d = 0; d < dataPages(f.data.length); d++) {
      const slot = indexSlot(d);
      if (slot.span > 0 && slot.entry === 0) {
        ixPage = alloc(id | OBJ_ID_IX_FLAG);
        writePageHeader(img, ixPage * PAGE_SIZE, id | OBJ_ID_IX_FLAG, slot.span, FLAGS_INDEX);
      }
      const pix = alloc(id);
      writePageHeader(img, pix * PAGE_SIZE, id, d, FLAGS_DATA);
      img.set(f.data.subarray(d * DATA_PER_PAGE, (d + 1) * DATA_PER_PAGE), pix * PAGE_SIZE + PAGE_HEADER);
      put16(img, ixPage * PAGE_SIZE + tableOffset(slot.span, slot.entry), pix);
    }
  });
  return img;
}

function writePageHeader(img: Uint8Array, at: number, id: number, span: number, flags: number): void {
  put16(img, at, id);
  put16(img, at + 2, span);
  img[at + 4] = flags;
}

