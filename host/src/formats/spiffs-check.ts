import {
  BLOCK_SIZE, DATA_PER_PAGE, FLAGS_DATA, FLAGS_INDEX, HEADER_TABLE_ENTRIES, INDEX_FIXED,
  INDEX_TABLE_ENTRIES, LOOKUP_ENTRIES, MAGIC_OFFSET, MAX_NAME_BYTES, NAME_FIELD, OBJ_ID_DELETED,
  OBJ_ID_FREE, OBJ_ID_IX_FLAG, PAGES_PER_BLOCK, PAGE_HEADER, PAGE_SIZE, TYPE_FILE, UNDEFINED_LEN,
  blockMagic, dataPages, entryPage, hdr, indexPages, indexSlot, tableOffset, u16, u32,
} from './spiffs-geometry.js';

/**
 * Audits an image against every rule of docs/spiffs.md §1–§2 and §4 that decides whether
 * SPIFFS on the ESP32 mounts it and reads each file back: geometry, magic per block, lookup
 * entries against page headers, header layout (type, NUL-terminated name of ≤ 31 bytes, meta,
 * table), index pages, data pages, and — for a clean image — no deleted or orphan pages and
 * erased bytes wherever nothing was written. Returns one line per violation; [] = clean.
 */
export function checkSpiffs(img: Uint8Array, opts: { clean?: boolean } = {}): string[] {
  const clean = opts.clean ?? true;
  const out: string[] = [];
  if (img.length === 0 || img.length % BLOCK_SIZE !== 0) return [`size ${img.length} is not a whole number of blocks`];
  const blocks = img.length / BLOCK_SIZE;
  const lookup = (pix: number): number => u16(img, Math.floor(pix / PAGES_PER_BLOCK) * BLOCK_SIZE + 2 * ((pix % PAGES_PER_BLOCK) - 1));
  const referenced = new Map<number, string>();
  const ref = (pix: number, by: string): void => {
    if (referenced.has(pix)) out.push(`page ${pix} referenced twice (${referenced.get(pix)}, ${by})`);
    referenced.set(pix, by);
  };
  const headers: number[] = [];
  const ids = new Set<number>();
  for (let b = 0; b < blocks; b++) {
    const lp = b * BLOCK_SIZE;
    if (u16(img, lp + MAGIC_OFFSET) !== blockMagic(blocks, b)) out.push(`block ${b}: magic 0x${u16(img, lp + MAGIC_OFFSET).toString(16)} ≠ 0x${blockMagic(blocks, b).toString(16)}`);
    if (clean && u16(img, lp + MAGIC_OFFSET + 2) !== 0) out.push(`block ${b}: erase count not 0`);
    for (let o = 2 * LOOKUP_ENTRIES; o < MAGIC_OFFSET; o++) if (img[lp + o] !== 0xff) { out.push(`block ${b}: lookup byte ${o} not erased`); break; }
    for (let e = 0; e < LOOKUP_ENTRIES; e++) {
      const id = u16(img, lp + 2 * e);
      const pix = entryPage(b, e);
      const p = pix * PAGE_SIZE;
      if (id === OBJ_ID_FREE) {
        if (img.subarray(p, p + PAGE_SIZE).some((x) => x !== 0xff)) out.push(`page ${pix}: free in lookup but not erased`);
        continue;
      }
      if (id === OBJ_ID_DELETED) { if (clean) out.push(`page ${pix}: deleted page in a clean image`); continue; }
      if (u16(img, p) !== id) out.push(`page ${pix}: header id 0x${u16(img, p).toString(16)} ≠ lookup 0x${id.toString(16)}`);
      const isIx = (id & OBJ_ID_IX_FLAG) !== 0;
      const want = isIx ? FLAGS_INDEX : FLAGS_DATA;
      if (img[p + 4] !== want) out.push(`page ${pix}: flags 0x${img[p + 4]?.toString(16)} ≠ 0x${want.toString(16)}`);
      const obj = id & ~OBJ_ID_IX_FLAG;
      if (obj === 0 || obj === 0x7fff) out.push(`page ${pix}: object id ${obj} is reserved`);
      if (isIx && u16(img, p + 2) === 0) {
        headers.push(pix);
        if (ids.has(obj)) out.push(`page ${pix}: second header for object ${obj}`);
        ids.add(obj);
      }
    }
  }
  const names = new Set<string>();
  for (const h of headers) checkFile(img, h, blocks, lookup, ref, names, out);
  for (let b = 0; b < blocks; b++) {
    for (let e = 0; e < LOOKUP_ENTRIES; e++) {
      const id = u16(img, b * BLOCK_SIZE + 2 * e);
      const pix = entryPage(b, e);
      if (id !== OBJ_ID_FREE && id !== OBJ_ID_DELETED && !referenced.has(pix)) out.push(`page ${pix}: live but no file refers to it`);
    }
  }
  return out;
}

function checkFile(
  img: Uint8Array, h: number, blocks: number, lookup: (pix: number) => number,
  ref: (pix: number, by: string) => void, names: Set<string>, out: string[],
): void {
  const p = h * PAGE_SIZE;
  const id = u16(img, p) & ~OBJ_ID_IX_FLAG;
  const field = img.subarray(p + hdr.name, p + hdr.name + NAME_FIELD);
  const nul = field.indexOf(0);
  const name = new TextDecoder().decode(field.subarray(0, nul < 0 ? NAME_FIELD : nul));
  const where = `file ${name} (header page ${h})`;
  ref(h, where);
  if (nul < 0 || nul > MAX_NAME_BYTES) out.push(`${where}: name not NUL-terminated within ${MAX_NAME_BYTES} bytes`);
  if (nul === 0) out.push(`${where}: empty name`);
  if (!name.startsWith('/')) out.push(`${where}: name does not start with '/'`);
  if (nul >= 0 && field.subarray(nul).some((x) => x !== 0)) out.push(`${where}: name padding not zero`);
  if (names.has(name)) out.push(`${where}: duplicate name`);
  names.add(name);
  if (img[p + hdr.type] !== TYPE_FILE) out.push(`${where}: type ${img[p + hdr.type]} ≠ 1`);
  if (img.subarray(p + hdr.meta, p + hdr.table).some((x) => x !== 0xff)) out.push(`${where}: meta not FF FF FF FF`);
  if (img[p + PAGE_SIZE - 1] !== 0xff) out.push(`${where}: byte 255 not erased`);
  const stored = u32(img, p + hdr.size);
  if (stored === 0) out.push(`${where}: size 0 (SPIFFS writes 0xFFFFFFFF for an empty file)`);
  const size = stored === UNDEFINED_LEN ? 0 : stored;
  const spans = dataPages(size);
  if (spans > blocks * LOOKUP_ENTRIES) { out.push(`${where}: size ${size} exceeds the image`); return; }
  const ixPages = [h];
  for (let s = 1; s < indexPages(size); s++) {
    const found = findIndexPage(img, blocks, id, s);
    if (found === undefined) { out.push(`${where}: index page ${s} missing`); return; }
    ref(found, `${where} index ${s}`);
    if (img.subarray(found * PAGE_SIZE + PAGE_HEADER, found * PAGE_SIZE + INDEX_FIXED).some((x) => x !== 0xff)) out.push(`${where}: index page ${s} padding not erased`);
    ixPages.push(found);
  }
  ixPages.forEach((ix, s) => {
    const first = s === 0 ? 0 : HEADER_TABLE_ENTRIES + (s - 1) * INDEX_TABLE_ENTRIES;
    const n = s === 0 ? HEADER_TABLE_ENTRIES : INDEX_TABLE_ENTRIES;
    for (let k = 0; k < n; k++) {
      const d = first + k;
      const slot = indexSlot(d);
      const pix = u16(img, ix * PAGE_SIZE + tableOffset(slot.span, slot.entry));
      if (d >= spans) { if (pix !== 0xffff) out.push(`${where}: table entry for span ${d} past the end is set`); continue; }
      if (pix >= blocks * PAGES_PER_BLOCK || pix % PAGES_PER_BLOCK === 0 || lookup(pix) !== id) { out.push(`${where}: span ${d} → bad page ${pix}`); continue; }
      ref(pix, `${where} span ${d}`);
      const dp = pix * PAGE_SIZE;
      if (u16(img, dp + 2) !== d) out.push(`${where}: page ${pix} has span ${u16(img, dp + 2)}, expected ${d}`);
      const used = Math.min(DATA_PER_PAGE, size - d * DATA_PER_PAGE);
      if (img.subarray(dp + PAGE_HEADER + used, dp + PAGE_SIZE).some((x) => x !== 0xff)) out.push(`${where}: page ${pix} not erased after the file end`);
    }
  });
}

function findIndexPage(img: Uint8Array, blocks: number, id: number, span: number): number | undefined {
  for (let b = 0; b < blocks; b++) {
    for (let e = 0; e < LOOKUP_ENTRIES; e++) {
      const pix = entryPage(b, e);
      if (u16(img, b * BLOCK_SIZE + 2 * e) === (id | OBJ_ID_IX_FLAG) && u16(img, pix * PAGE_SIZE + 2) === span) return pix;
    }
  }
  return undefined;
}
