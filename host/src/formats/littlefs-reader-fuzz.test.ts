/**
 * Property tests of the LittleFS reader on damaged reference images and random bytes: a typed
 * `fs.littlefs-*` error or a result that adds up, never another throw, and bounded time.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UserError } from '../errors.js';
import { buildLittlefs } from './littlefs-builder.js';
import { readLittlefs } from './littlefs-reader.js';
import { readLittlefsFixture, type LittlefsFixture } from './testing/littlefs-fixtures.js';

function attempt(img: Uint8Array): void {
  const t0 = performance.now();
  try {
    const { files } = readLittlefs(img);
    let total = 0;
    for (const f of files) {
      expect(f.data.length).toBe(f.size);
      total += f.size;
    }
    expect(total).toBeLessThanOrEqual(img.length);
  } catch (e) {
    if (!(e instanceof UserError) || !e.code.startsWith('fs.littlefs-')) throw e;
  }
  expect(performance.now() - t0).toBeLessThan(2000);
}

const hits = fc.array(fc.record({ at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }), { minLength: 1, maxLength: 8 });

describe('LittleFS reader (property-based)', () => {
  const images: LittlefsFixture[] = ['basic-64k.bin', 'edge-64k.bin', 'nested-256k.bin'];
  const originals = images.map(readLittlefsFixture);
  const built = buildLittlefs([{ name: '/a/b.txt', data: new Uint8Array(9000).fill(1) }, { name: '/c', data: new Uint8Array(3) }], 0x10000, { layout: 'native' });

  it('mutated images: typed error or a result that adds up', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: images.length }), hits, fc.constantFrom(0x200, 0x2000, 0x10000), (which, damage, span) => {
      const img = (originals[which] ?? built).slice();
      for (const { at, value } of damage) img[at % Math.min(span, img.length)] = value;
      attempt(img);
    }), { numRuns: 400 });
  });

  it('random bytes behind a valid-looking superblock magic, and plain random bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 0, maxLength: 0x4000 }), fc.boolean(), (bytes, magic) => {
      const img = new Uint8Array(0x4000);
      img.set(bytes);
      if (magic) {
        img.set(readLittlefsFixture('basic-64k.bin').subarray(0, 64));
        img.set(readLittlefsFixture('basic-64k.bin').subarray(4096, 4096 + 64), 4096);
      }
      attempt(img);
    }), { numRuns: 200 });
  });
});
