import { describe, expect, it } from 'vitest';
import { UserError } from '../errors.js';
import { buildSpiffs } from './spiffs-builder.js';
import { checkSpiffs } from './spiffs-check.js';
import { readSpiffs, type SpiffsFile } from './spiffs-reader.js';
import { BLOCK_SIZE, HEADER_FIXED, LOOKUP_ENTRIES, OBJ_ID_DELETED, OBJ_ID_FREE, OBJ_ID_IX_FLAG, PAGE_SIZE, entryPage, u16 } from './spiffs-geometry.js';
import { bytes, fixtureFolder, prng, readFixture } from './testing/fixtures.js';

/** Flips bits of one byte (typed-array index access is checked under noUncheckedIndexedAccess). */
const xor = (b: Uint8Array, i: number, mask: number): void => { b[i] = (b[i] ?? 0) ^ mask; };

/**
 * "Never a crash or a wrong file": every metadata byte SPIFFS relies on is corrupted, one at a
 * time, with several XOR masks; the reader must either throw a typed error or return exactly
 * the original files. SPIFFS stores no checksums, so bytes whose every value is a valid
 * image (file contents, names, the low byte of a size) are left out: no reader can tell.
 */
function structuralOffsets(img: Uint8Array): number[] {
  const out: number[] = [];
  for (let b = 0; b < img.length / BLOCK_SIZE; b++) {
    const lp = b * BLOCK_SIZE;
    for (let o = 0; o < 2 * LOOKUP_ENTRIES; o++) out.push(lp + o);
    out.push(lp + 252, lp + 253, lp + 254, lp + 255);
    for (let e = 0; e < LOOKUP_ENTRIES; e++) {
      const id = u16(img, lp + 2 * e);
      const p = entryPage(b, e) * PAGE_SIZE;
      if (id === OBJ_ID_FREE) { out.push(p, p + 4, p + 100); continue; }
      for (let o = 0; o < 5; o++) out.push(p + o); // page header (live and deleted)
      if (id === OBJ_ID_DELETED || (id & OBJ_ID_IX_FLAG) === 0) continue;
      if (u16(img, p + 2) === 0) {
        out.push(p + 5, p + 6, p + 7, p + 9, p + 10, p + 11, p + 12, p + 45, p + 48); // pad, size (not byte 0), type, meta
        for (let o = HEADER_FIXED; o < PAGE_SIZE; o++) out.push(p + o); // table
      } else {
        for (let o = 5; o < PAGE_SIZE; o++) out.push(p + o);
      }
    }
  }
  return out;
}

function same(a: SpiffsFile[], b: SpiffsFile[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((f, i) => f.name === b[i]!.name && Buffer.from(f.data).equals(Buffer.from(b[i]!.data)));
}

function attempt(img: Uint8Array, want: SpiffsFile[]): 'error' | 'same' {
  try {
    const got = readSpiffs(img).files;
    if (!same(got, want)) throw new Error('reader returned a wrong file set');
    return 'same';
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    expect(['fs.corrupt', 'fs.not-spiffs']).toContain(e.code);
    if (e.code === 'fs.corrupt') {
      const page = (e as UserError & { page: number }).page;
      expect(page).toBeGreaterThanOrEqual(0);
      expect(page).toBeLessThanOrEqual(Math.ceil(img.length / PAGE_SIZE));
      expect(e.message).toContain(`page ${page}`);
    }
    return 'error';
  }
}

describe('SPIFFS reader under corruption', () => {
  const images: Array<[string, () => Promise<Uint8Array>]> = [
    ['mkspiffs basic-64k', async () => readFixture('basic-64k.bin')],
    ['mkspiffs edge-64k', async () => readFixture('edge-64k.bin')],
    ['built basic', async () => buildSpiffs(await fixtureFolder('basic'), 0x10000)],
    ['built multi-index', async () => buildSpiffs([{ name: '/big', data: bytes(30_000, 11) }, { name: '/e', data: new Uint8Array(0) }], 0x10000)],
  ];
  for (const [label, make] of images) {
    it(`${label}: every structural byte × 4 masks → typed error or exact read`, async () => {
      const img = await make();
      const want = readSpiffs(img).files;
      const tally = { error: 0, same: 0 };
      for (const off of structuralOffsets(img)) {
        for (const mask of [0x01, 0x80, 0xff, 0x5a]) {
          const bad = img.slice();
          xor(bad, off, mask);
          tally[attempt(bad, want)]++;
        }
      }
      // Both outcomes occur: flips in unused bytes read fine, flips in used ones are caught.
      expect(tally.error).toBeGreaterThan(100);
      expect(tally.same).toBeGreaterThan(10);
    });
  }

  it('random multi-byte damage to the gc image (deterministic seed)', async () => {
    const img = readFixture('gc-1408k.bin');
    const want = readSpiffs(img).files;
    const offsets = structuralOffsets(img);
    const rnd = prng(42);
    for (let i = 0; i < 150; i++) {
      const bad = img.slice();
      for (let k = 0; k < 3; k++) xor(bad, offsets[Math.floor(rnd() * offsets.length)]!, 1 + Math.floor(rnd() * 255));
      attempt(bad, want);
    }
  });

  it('truncated images are typed errors, at every page boundary and odd lengths', () => {
    const img = readFixture('basic-64k.bin');
    for (let n = 0; n < img.length; n += 97) {
      expect(attempt(img.subarray(0, n), [])).toBe('error');
    }
  });

  it('the audit catches what the builder must never produce', async () => {
    const img = buildSpiffs(await fixtureFolder('basic'), 0x10000);
    const mutate = (f: (b: Uint8Array) => void): string[] => { const b = img.slice(); f(b); return checkSpiffs(b); };
    expect(mutate((b) => { xor(b, 252, 1); })).not.toEqual([]); // magic
    expect(mutate((b) => { b[256 + 4] = 0xfc; })).not.toEqual([]); // header flags
    expect(mutate((b) => { b[256 + 13 + 31] = 0x41; b[256 + 13 + 30] = 0x41; })).not.toEqual([]); // padding / NUL
    expect(mutate((b) => { b[3 * 4096 + 100] = 0; })).not.toEqual([]); // free page not erased
    expect(mutate((b) => { b[0] = 0; })).not.toEqual([]); // deleted page in a clean image
  });
});
