/**
 * Property-based tests of the SPIFFS reader (the builder's output and damaged or random
 * images): a typed `fs.*` error or files that add up, never another kind of throw; the memory
 * a read takes is bounded by the image (no file claims more than the image holds).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UserError } from '../errors.js';
import { buildSpiffs } from './spiffs-builder.js';
import { checkSpiffs } from './spiffs-check.js';
import { BLOCK_SIZE, MAGIC_OFFSET, blockMagic, put16 } from './spiffs-geometry.js';
import { readSpiffs, type SpiffsFile } from './spiffs-reader.js';

function attempt<T>(f: () => T): { ok: true; value: T } | { ok: false; error: UserError } {
  try {
    return { ok: true, value: f() };
  } catch (e) {
    if (e instanceof UserError && e.code.startsWith('fs.')) return { ok: false, error: e };
    throw e;
  }
}

const nameArb = fc.oneof(
  fc.constantFrom('/index.html', '/a/b/c.js', '/ü.txt', '/\x1b[2J', '/a\nb', '/'),
  fc.string({ minLength: 1, maxLength: 30 }).map((s) => `/${s}`),
);
const fileArb = fc.record({
  name: nameArb,
  data: fc.oneof(
    { weight: 4, arbitrary: fc.uint8Array({ maxLength: 600 }) },
    // Past 103 data pages (25,853 bytes) a file needs a second index page.
    { weight: 1, arbitrary: fc.integer({ min: 25_000, max: 30_000 }).map((n) => new Uint8Array(n).fill(0x5a)) },
  ),
});
const filesArb = fc.uniqueArray(fileArb, { selector: (f) => f.name, maxLength: 6 });
const sizeArb = fc.constantFrom(0x10000, 0x20000);

/** Checks what a successful read returned adds up. */
function sane(image: Uint8Array, files: SpiffsFile[]): void {
  let total = 0;
  const names = new Set<string>();
  for (const f of files) {
    expect(f.data.length).toBe(f.size);
    expect(names.has(f.name)).toBe(false);
    names.add(f.name);
    total += f.size;
  }
  expect(total).toBeLessThanOrEqual(image.length);
}

describe('SPIFFS reader (property-based)', () => {
  it('what the builder writes reads back exactly (or the builder refuses it with an fs.* error)', () => {
    fc.assert(fc.property(filesArb, sizeArb, (files, size) => {
      const built = attempt(() => buildSpiffs(files, size));
      if (!built.ok) return;
      expect(checkSpiffs(built.value)).toEqual([]);
      const { files: back } = readSpiffs(built.value);
      // The builder orders files itself (deterministic images), so compare as sets.
      const byName = (list: ReadonlyArray<{ name: string; data: Uint8Array }>) => list.map((f) => [f.name, Buffer.from(f.data).toString('hex')]).sort(([a], [b]) => (a! < b! ? -1 : 1));
      expect(byName(back)).toEqual(byName(files));
    }), { numRuns: 60 });
  });

  it('damaged images: an fs.* error or files that add up', () => {
    const hits = fc.array(fc.record({ at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }), { minLength: 1, maxLength: 8 });
    fc.assert(fc.property(filesArb, hits, fc.boolean(), (files, damage, nearHeaders) => {
      const built = attempt(() => buildSpiffs(files, 0x10000));
      if (!built.ok) return;
      const img = built.value.slice();
      // Half the runs aim at the first pages, where the lookup table and headers are.
      for (const { at, value } of damage) img[at % (nearHeaders ? 0x400 : img.length)] = value;
      const r = attempt(() => readSpiffs(img));
      if (r.ok) sane(img, r.value.files);
      else expect(['fs.corrupt', 'fs.not-spiffs']).toContain(r.error.code);
    }), { numRuns: 300 });
  });

  it('random bytes with and without valid block magics: an fs.* error or files that add up', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 8 }), fc.boolean(), fc.integer(), (blocks, magic, seed) => {
      const img = new Uint8Array(blocks * BLOCK_SIZE + (seed % 7 === 0 ? 100 : 0));
      let x = seed >>> 0 || 1;
      for (let i = 0; i < img.length; i++) {
        x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
        img[i] = x & 0xff;
      }
      if (magic) for (let b = 0; b < blocks; b++) put16(img, b * BLOCK_SIZE + MAGIC_OFFSET, blockMagic(blocks, b));
      const r = attempt(() => readSpiffs(img));
      if (r.ok) sane(img, r.value.files);
    }), { numRuns: 300 });
  });
});
