import { safeText } from '../safe-text.js';
import { SpiffsCorruptError, SpiffsMountError } from './spiffs-errors.js';
import {
  BLOCK_SIZE, DATA_PER_PAGE, LOOKUP_ENTRIES, MAGIC_OFFSET, META_LEN, NAME_FIELD,
  OBJ_ID_DELETED, OBJ_ID_FREE, OBJ_ID_IX_FLAG, PAGES_PER_BLOCK, PAGE_HEADER, PAGE_SIZE,
  TYPE_FILE, UNDEFINED_LEN, blockMagic, dataPages, entryPage, flag, hdr, indexSlot, tableOffset,
  u16, u32,
} from './spiffs-geometry.js';

/** One file as listed from its object index header. */
export interface SpiffsEntry {
  /** Name as stored, leading '/' included (decoded as UTF-8). */
  name: string;
  size: number;
  /** Object id (without the index flag). */
  id: number;
  /** Page index of the live object index header. */
  headerPage: number;
  /**
   * The header's metadata bytes (`SPIFFS_OBJ_META_LEN` = 4): ESP-IDF keeps the file's mtime
   * there (`CONFIG_SPIFFS_USE_MTIME`); mkspiffs and `buildSpiffs` leave them FF FF FF FF.
   */
  meta: Uint8Array;
}

/** A file with its contents. */
export interface SpiffsFile extends SpiffsEntry {
  data: Uint8Array;
}

/** Counts of the lookup entries, as `mkspiffs -l` / `SPIFFS_info` see them. */
export interface SpiffsUsage {
  blockCount: number;
  livePages: number;
  deletedPages: number;
  freePages: number;
}

const decoder = new TextDecoder('utf-8');

/**
 * A mounted SPIFFS image. Mounting follows `SPIFFS_mount`: two or more blocks without their
 * magic → {@link SpiffsMountError}; then every lookup entry is checked against its page
 * header, strictly (anything SPIFFS would trip over later is a {@link SpiffsCorruptError}
 * naming the page), so a read is either exactly what is stored or a typed error.
 */
export class SpiffsVolume {
  readonly blockCount: number;
  readonly entries: SpiffsEntry[] = [];
  readonly usage: SpiffsUsage;
  private readonly indexPages = new Map<string, number>();
  private readonly liveData = new Map<number, number>();

  constructor(private readonly img: Uint8Array) {
    if (img.length === 0 || img.length % BLOCK_SIZE !== 0) {
      throw new SpiffsCorruptError(
        Math.floor(img.length / PAGE_SIZE),
        `image is ${img.length} bytes, not a whole number of ${BLOCK_SIZE}-byte blocks (truncated?)`,
      );
    }
    this.blockCount = img.length / BLOCK_SIZE;
    this.checkMagic();
    this.usage = this.scan();
  }

  /** Reads one listed file, checking every data page on the way. */
  read(entry: SpiffsEntry): Uint8Array {
    const out = new Uint8Array(entry.size);
    const spans = dataPages(entry.size);
    for (let d = 0; d < spans; d++) {
      const pix = this.dataPageOf(entry, d);
      const n = Math.min(DATA_PER_PAGE, entry.size - d * DATA_PER_PAGE);
      const at = pix * PAGE_SIZE + PAGE_HEADER;
      out.set(this.img.subarray(at, at + n), d * DATA_PER_PAGE);
    }
    const live = this.liveData.get(entry.id) ?? 0;
    if (live !== spans) {
      throw new SpiffsCorruptError(entry.headerPage, `${safeText(entry.name)} has size ${entry.size} (${spans} data pages) but ${live} live data pages carry its id ${entry.id}`);
    }
    return out;
  }

  /** Throws if live pages belong to an object no live header owns (a lost file). */
  checkOrphans(): void {
    const owned = new Set(this.entries.map((e) => e.id));
    for (let b = 0; b < this.blockCount; b++) {
      for (let e = 0; e < LOOKUP_ENTRIES; e++) {
        const id = u16(this.img, b * BLOCK_SIZE + 2 * e);
        if (id === OBJ_ID_FREE || id === OBJ_ID_DELETED) continue;
        if (!owned.has(id & ~OBJ_ID_IX_FLAG)) {
          throw new SpiffsCorruptError(entryPage(b, e), `live page of object ${id & ~OBJ_ID_IX_FLAG}, which has no file header`);
        }
      }
    }
  }

  private checkMagic(): void {
    const bad: number[] = [];
    for (let b = 0; b < this.blockCount; b++) {
      if (u16(this.img, b * BLOCK_SIZE + MAGIC_OFFSET) !== blockMagic(this.blockCount, b)) bad.push(b);
    }
    if (bad.length >= 2) {
      const m0 = u16(this.img, MAGIC_OFFSET);
      const guess = (m0 ^ blockMagic(0, 0)) & 0xffff;
      // Trust the guess only if block 1's magic agrees and the size is one SPIFFS can address (random bytes give nonsense).
      const plausible = guess >= 3 && guess <= 4096 && (this.blockCount < 2 || u16(this.img, BLOCK_SIZE + MAGIC_OFFSET) === blockMagic(guess, 1));
      const hint = bad.length === this.blockCount && plausible && guess !== this.blockCount
        ? `block 0's magic says the image was built for ${guess} blocks (${guess * BLOCK_SIZE} bytes); use that size`
        : undefined;
      throw new SpiffsMountError(
        `not a SPIFFS image of ${this.img.length} bytes: ${bad.length} of ${this.blockCount} blocks lack the magic (SPIFFS mount fails with -10025)`,
        hint,
      );
    }
    const b = bad[0];
    if (b === undefined) return;
    // SPIFFS takes one bad block for an interrupted erase and erases it: harmless only if it
    // holds nothing.
    for (let e = 0; e < LOOKUP_ENTRIES; e++) {
      if (u16(this.img, b * BLOCK_SIZE + 2 * e) !== OBJ_ID_FREE) {
        throw new SpiffsCorruptError(b * PAGES_PER_BLOCK, `block ${b} lacks its magic (SPIFFS would erase it on mount) but holds pages`);
      }
    }
  }

  private scan(): SpiffsUsage {
    let livePages = 0;
    let deletedPages = 0;
    let freePages = 0;
    const headers = new Map<number, number>();
    for (let b = 0; b < this.blockCount; b++) {
      for (let e = 0; e < LOOKUP_ENTRIES; e++) {
        const id = u16(this.img, b * BLOCK_SIZE + 2 * e);
        if (id === OBJ_ID_FREE) { freePages++; continue; }
        if (id === OBJ_ID_DELETED) { deletedPages++; continue; }
        livePages++;
        const pix = entryPage(b, e);
        const p = pix * PAGE_SIZE;
        const pid = u16(this.img, p);
        const span = u16(this.img, p + 2);
        const flags = this.img[p + 4] ?? 0xff;
        const what = (s: string): never => { throw new SpiffsCorruptError(pix, s); };
        if ((flags & flag.used) !== 0) what(`lookup says object ${id & 0x7fff} but the page was never written`);
        if ((flags & flag.delet) === 0) what('lookup says live but the page is marked deleted');
        if ((flags & flag.final) !== 0) what('page write was never finalised');
        if (pid !== id) what(`lookup entry 0x${id.toString(16)} disagrees with page header id 0x${pid.toString(16)}`);
        const isIndex = (id & OBJ_ID_IX_FLAG) !== 0;
        if (isIndex !== ((flags & flag.index) === 0)) what('index flag in the page header disagrees with the lookup entry');
        const obj = id & ~OBJ_ID_IX_FLAG;
        if (!isIndex) {
          this.liveData.set(obj, (this.liveData.get(obj) ?? 0) + 1);
        } else if (span === 0) {
          if ((flags & flag.ixdele) === 0) what('file header is marked as being deleted (interrupted delete)');
          if (headers.has(obj)) what(`second header for object ${obj} (first at page ${headers.get(obj)})`);
          headers.set(obj, pix);
          this.entries.push(this.parseHeader(pix, obj));
        } else {
          const key = `${obj}:${span}`;
          if (this.indexPages.has(key)) what(`second index page ${span} for object ${obj}`);
          this.indexPages.set(key, pix);
        }
      }
    }
    const names = new Set<string>();
    for (const e of this.entries) {
      if (names.has(e.name)) throw new SpiffsCorruptError(e.headerPage, `second file named ${safeText(e.name)}`);
      names.add(e.name);
    }
    return { blockCount: this.blockCount, livePages, deletedPages, freePages };
  }

  private parseHeader(pix: number, id: number): SpiffsEntry {
    const p = pix * PAGE_SIZE;
    const type = this.img[p + hdr.type];
    if (type !== TYPE_FILE) throw new SpiffsCorruptError(pix, `object type ${type} is not a file`);
    const field = this.img.subarray(p + hdr.name, p + hdr.name + NAME_FIELD);
    const nul = field.indexOf(0);
    const raw = nul < 0 ? field : field.subarray(0, nul);
    if (raw.length === 0) throw new SpiffsCorruptError(pix, 'file header has an empty name');
    const stored = u32(this.img, p + hdr.size);
    const size = stored === UNDEFINED_LEN ? 0 : stored;
    const meta = this.img.slice(p + hdr.meta, p + hdr.meta + META_LEN);
    const entry = { name: decoder.decode(raw), size, id, headerPage: pix, meta };
    if (dataPages(size) > this.blockCount * LOOKUP_ENTRIES) {
      throw new SpiffsCorruptError(pix, `${safeText(entry.name)} claims ${size} bytes, more than the image holds`);
    }
    return entry;
  }

  private dataPageOf(entry: SpiffsEntry, d: number): number {
    const slot = indexSlot(d);
    const ix = slot.span === 0 ? entry.headerPage : this.indexPages.get(`${entry.id}:${slot.span}`);
    if (ix === undefined) throw new SpiffsCorruptError(entry.headerPage, `${safeText(entry.name)} lacks index page ${slot.span}`);
    const pix = u16(this.img, ix * PAGE_SIZE + tableOffset(slot.span, slot.entry));
    const bad = (s: string): never => { throw new SpiffsCorruptError(ix, `${safeText(entry.name)} data page ${d}: ${s}`); };
    if (pix >= this.blockCount * PAGES_PER_BLOCK) bad(`page index ${pix} is outside the image`);
    if (pix % PAGES_PER_BLOCK === 0) bad(`page index ${pix} is a lookup page`);
    const b = Math.floor(pix / PAGES_PER_BLOCK);
    const lookup = u16(this.img, b * BLOCK_SIZE + 2 * ((pix % PAGES_PER_BLOCK) - 1));
    const p = pix * PAGE_SIZE;
    if (lookup !== entry.id) bad(`page ${pix} belongs to lookup id 0x${lookup.toString(16)}`);
    if (u16(this.img, p + 2) !== d) bad(`page ${pix} holds span ${u16(this.img, p + 2)}`);
    return pix;
  }
}

/** Lists an image without reading file contents. */
export function listSpiffs(image: Uint8Array): { entries: SpiffsEntry[]; usage: SpiffsUsage } {
  const v = new SpiffsVolume(image);
  return { entries: v.entries, usage: v.usage };
}

/** Reads every file, in image order; a typed error for anything that does not add up. */
export function readSpiffs(image: Uint8Array): { files: SpiffsFile[]; usage: SpiffsUsage } {
  const v = new SpiffsVolume(image);
  const files = v.entries.map((e) => ({ ...e, data: v.read(e) }));
  v.checkOrphans();
  return { files, usage: v.usage };
}

