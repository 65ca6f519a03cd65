/**
 * SPIFFS geometry and on-flash constants for the arduino-esp32 configuration: page 256,
 * block 4096, object names of 32 bytes (31 characters + NUL), 4 bytes of metadata, magic with
 * length, unaligned object-index tables.
 * Source: pellepl/spiffs `spiffs_nucleus.h` as configured by arduino-esp32's sdkconfig and
 * mkspiffs' arduino-esp32 build; summarised in docs/spiffs.md §0–§2.
 */
export const PAGE_SIZE = 256;
export const BLOCK_SIZE = 4096;
export const PAGES_PER_BLOCK = BLOCK_SIZE / PAGE_SIZE; // 16
/** Page 0 of every block is its object-lookup page; entry e describes page e + 1. */
export const LOOKUP_ENTRIES = PAGES_PER_BLOCK - 1; // 15
/** SPIFFS_OBJ_NAME_LEN: the name field, NUL included. */
export const NAME_FIELD = 32;
/** The longest name SPIFFS_open accepts: strlen(name) ≤ 31, leading '/' included. */
export const MAX_NAME_BYTES = NAME_FIELD - 1;
export const META_LEN = 4;
/** Common page header: obj_id u16, span_ix u16, flags u8. */
export const PAGE_HEADER = 5;
export const DATA_PER_PAGE = PAGE_SIZE - PAGE_HEADER; // 251
/** Object index header: page header, 3 pad bytes, size u32, type u8, name, meta. */
export const HEADER_FIXED = 8 + 4 + 1 + NAME_FIELD + META_LEN; // 49
export const HEADER_TABLE_ENTRIES = Math.floor((PAGE_SIZE - HEADER_FIXED) / 2); // 103
/** Further object index pages: page header + 3 pad bytes, then the table. */
export const INDEX_FIXED = 8;
export const INDEX_TABLE_ENTRIES = (PAGE_SIZE - INDEX_FIXED) / 2; // 124

/** Header field offsets inside an object index header page. */
export const hdr = { size: 8, type: 12, name: 13, meta: 13 + NAME_FIELD, table: HEADER_FIXED } as const;

/** Lookup entry values. */
export const OBJ_ID_FREE = 0xffff;
export const OBJ_ID_DELETED = 0x0000;
export const OBJ_ID_IX_FLAG = 0x8000;

/** Page flag bits: a bit is set (active) when it reads 0. */
export const flag = { used: 0x01, final: 0x02, index: 0x04, ixdele: 0x40, delet: 0x80 } as const;
/** Flags of a finished page as SPIFFS and mkspiffs write them. */
export const FLAGS_INDEX = 0xf8;
export const FLAGS_DATA = 0xfc;
export const FLAGS_DELETED = 0x7e;

export const TYPE_FILE = 1;
/** Size of a created-but-never-written file (SPIFFS_UNDEFINED_LEN); readers report 0. */
export const UNDEFINED_LEN = 0xffffffff;

/** Offsets inside a lookup page. */
export const MAGIC_OFFSET = PAGE_SIZE - 4; // 252
export const ERASE_COUNT_OFFSET = PAGE_SIZE - 2; // 254

/** SPIFFS_MAGIC with SPIFFS_USE_MAGIC_LENGTH: encodes the block count, so the size must match. */
export function blockMagic(blockCount: number, block: number): number {
  return ((0x20140529 ^ PAGE_SIZE ^ (blockCount - block)) & 0xffff) >>> 0;
}

/** Global page index of lookup entry e in block b. */
export function entryPage(block: number, entry: number): number {
  return block * PAGES_PER_BLOCK + 1 + entry;
}

/** Which index page (0 = header) and which entry in it hold data span d. */
export function indexSlot(dataSpan: number): { span: number; entry: number } {
  if (dataSpan < HEADER_TABLE_ENTRIES) return { span: 0, entry: dataSpan };
  const rest = dataSpan - HEADER_TABLE_ENTRIES;
  return { span: 1 + Math.floor(rest / INDEX_TABLE_ENTRIES), entry: rest % INDEX_TABLE_ENTRIES };
}

/** Byte offset of the table entry for `entry` inside an index page of span `span`. */
export function tableOffset(span: number, entry: number): number {
  return (span === 0 ? HEADER_FIXED : INDEX_FIXED) + 2 * entry;
}

/** Data pages a file of `size` bytes occupies. */
export function dataPages(size: number): number {
  return Math.ceil(size / DATA_PER_PAGE);
}

/** Index pages (header included) a file of `size` bytes needs. */
export function indexPages(size: number): number {
  const d = dataPages(size);
  return d <= HEADER_TABLE_ENTRIES ? 1 : 1 + Math.ceil((d - HEADER_TABLE_ENTRIES) / INDEX_TABLE_ENTRIES);
}

/**
 * Pages a clean image may use: SPIFFS keeps two blocks free for its garbage collector and
 * reports `totalBytes()` from the rest, so a built image leaves them free and the board can
 * still write.
 */
export function usablePages(blockCount: number): number {
  return Math.max(0, (blockCount - 2) * LOOKUP_ENTRIES);
}

export function u16(b: Uint8Array, o: number): number {
  return (b[o] ?? 0) | ((b[o + 1] ?? 0) << 8);
}
export function u32(b: Uint8Array, o: number): number {
  return ((b[o] ?? 0) | ((b[o + 1] ?? 0) << 8) | ((b[o + 2] ?? 0) << 16) | ((b[o + 3] ?? 0) << 24)) >>> 0;
}
export function put16(b: Uint8Array, o: number, v: number): void {
  b[o] = v & 0xff;
  b[o + 1] = (v >>> 8) & 0xff;
}
export function put32(b: Uint8Array, o: number, v: number): void {
  put16(b, o, v & 0xffff);
  put16(b, o + 2, (v >>> 16) & 0xffff);
}
