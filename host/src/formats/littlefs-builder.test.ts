/**
 * The LittleFS builder: its images read back exactly (reference folders and random ones), are
 * byte-identical run to run, and refuse what does not fit or is too long before writing.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UserError } from '../errors.js';
import { buildLittlefs, littlefsBlocksNeeded, type LittlefsInput } from './littlefs-builder.js';
import { ctzBlocks } from './littlefs-ctz.js';
import { mountLittlefs, readLittlefs } from './littlefs-reader.js';
import { userErrorCode } from './testing/fixtures.js';
import { FIXTURE_TIME, LITTLEFS_FIXTURES, littlefsFolder, readLittlefsFixture } from './testing/littlefs-fixtures.js';

function roundTrip(files: LittlefsInput[], size: number, layout: 'pio' | 'native'): Uint8Array {
  const img = buildLittlefs(files, size, { layout, time: FIXTURE_TIME });
  const { volume, files: back } = readLittlefs(img);
  expect(volume.superblock.version).toBe(layout === 'pio' ? 0x20000 : 0x20001);
  expect(volume.superblock.nameMax).toBe(layout === 'pio' ? 32 : 255);
  const want = [...files].sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)));
  // The reader sorts by UTF-16 path; compare as sets keyed by path.
  const key = (l: ReadonlyArray<{ path?: string; name?: string; data: Uint8Array }>) => l.map((f) => `${f.path ?? f.name}:${Buffer.from(f.data).toString('hex')}`).sort();
  expect(key(back)).toEqual(key(want));
  return img;
}

describe('LittleFS builder', () => {
  for (const fx of LITTLEFS_FIXTURES) {
    it(`${fx}'s folder, both layouts: reads back exactly, same bytes twice, the same listing as mklittlefs'`, async () => {
      const folder = await littlefsFolder(fx);
      const size = readLittlefsFixture(fx).length;
      for (const layout of ['pio', 'native'] as const) {
        const img = roundTrip(folder, size, layout);
        expect(Buffer.from(buildLittlefs(folder, size, { layout, time: FIXTURE_TIME })).equals(Buffer.from(img))).toBe(true);
        const ours = readLittlefs(img).volume.entries.map((e) => [e.path, e.type, e.size, e.mtime]);
        const theirs = readLittlefs(readLittlefsFixture(fx)).volume.entries.map((e) => [e.path, e.type, e.size, e.mtime]);
        expect(ours).toEqual(theirs);
      }
    });
  }

  it('inline limits: 64 bytes in the pio layout, 512 in the native one', () => {
    const files = [64, 65, 512, 513].map((n) => ({ name: `/f${n}`, data: new Uint8Array(n).fill(n & 0xff) }));
    const kinds = (layout: 'pio' | 'native') => Object.fromEntries(readLittlefs(buildLittlefs(files, 0x10000, { layout })).volume.entries.map((e) => [e.path, e.storage.kind]));
    expect(kinds('pio')).toEqual({ '/f64': 'inline', '/f65': 'ctz', '/f512': 'ctz', '/f513': 'ctz' });
    expect(kinds('native')).toEqual({ '/f64': 'inline', '/f65': 'inline', '/f512': 'inline', '/f513': 'ctz' });
  });

  it('names: 32 bytes per part in pio, 255 in native; longer refused before anything is written', () => {
    const n32 = `/${'a'.repeat(32)}/${'b'.repeat(32)}`;
    roundTrip([{ name: n32, data: new Uint8Array(1) }], 0x10000, 'pio');
    expect(userErrorCode(() => buildLittlefs([{ name: `/${'a'.repeat(33)}`, data: new Uint8Array(1) }], 0x10000))).toBe('fs.littlefs-name-too-long');
    roundTrip([{ name: `/${'ü'.repeat(127)}x`, data: new Uint8Array(1) }], 0x10000, 'native');
    expect(userErrorCode(() => buildLittlefs([{ name: `/${'a'.repeat(256)}`, data: new Uint8Array(1) }], 0x10000, { layout: 'native' }))).toBe('fs.littlefs-name-too-long');
    expect(userErrorCode(() => buildLittlefs([{ name: 'a', data: new Uint8Array(1) }], 0x10000))).toBe('fs.littlefs-bad-name');
    expect(userErrorCode(() => buildLittlefs([{ name: '/a//b', data: new Uint8Array(1) }], 0x10000))).toBe('fs.littlefs-bad-name');
    expect(userErrorCode(() => buildLittlefs([{ name: '/a', data: new Uint8Array(1) }, { name: '/a/b', data: new Uint8Array(1) }], 0x10000))).toBe('fs.littlefs-duplicate-name');
    expect(userErrorCode(() => buildLittlefs([], 0x10001))).toBe('fs.littlefs-bad-size');
  });

  it('a directory of 300 files splits over HARDTAIL-linked pairs', () => {
    const files = Array.from({ length: 300 }, (_, i) => ({ name: `/many/file-${String(i).padStart(3, '0')}.txt`, data: new TextEncoder().encode(`file ${i}\n`) }));
    const img = roundTrip(files, 0x40000, 'pio');
    expect(readLittlefs(img).volume.mdirCount).toBeGreaterThan(3);
  });

  it('fills an image exactly, and one block more is refused with fs.littlefs-too-big', () => {
    const size = 16 * 4096;
    // Root pair (2 blocks) + one CTZ file of 14 blocks.
    let n = 0;
    while (ctzBlocks(4096, n + 1) <= 14) n += 1000;
    while (ctzBlocks(4096, n) > 14) n--;
    const fits = [{ name: '/big', data: new Uint8Array(n).fill(7) }];
    expect(littlefsBlocksNeeded(fits)).toBe(16);
    const full = roundTrip(fits, size, 'pio');
    // As littlefs counts a volume's size: both blocks of each pair, every CTZ block.
    expect(mountLittlefs(full).blocksInUse).toBe(16);
    expect(mountLittlefs(buildLittlefs([], size)).blocksInUse).toBe(2);
    expect(mountLittlefs(buildLittlefs([{ name: '/d/a.txt', data: new Uint8Array(10) }], size)).blocksInUse).toBe(4);
    expect(userErrorCode(() => buildLittlefs([{ name: '/big', data: new Uint8Array(n + 1) }], size))).toBe('fs.littlefs-too-big');
  });

  it('random folders (names, nested dirs, empty/inline/CTZ sizes) read back exactly, deterministically', () => {
    const part = fc.stringMatching(/^[a-zA-Z0-9._ü-]{1,12}$/).filter((s) => s !== '.' && s !== '..');
    const path = fc.array(part, { minLength: 1, maxLength: 4 }).map((p) => `/${p.join('/')}`);
    const size = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 64 }), fc.integer({ min: 65, max: 600 }), fc.integer({ min: 4000, max: 13000 }));
    const file = fc.record({ name: path, len: size, seed: fc.nat(255) });
    fc.assert(fc.property(fc.uniqueArray(file, { selector: (f) => f.name, maxLength: 12 }), fc.constantFrom('pio', 'native' as const), (spec, layout) => {
      const files = spec.map((f) => ({ name: f.name, data: new Uint8Array(f.len).map((_, i) => (i * 7 + f.seed) & 0xff) }));
      let img: Uint8Array;
      try {
        img = buildLittlefs(files, 0x40000, { layout: layout as 'pio' | 'native' });
      } catch (e) {
        // Only a file that is also a folder ('/a' and '/a/b') is refused here.
        expect((e as UserError).code).toBe('fs.littlefs-duplicate-name');
        return;
      }
      roundTrip(files, 0x40000, layout as 'pio' | 'native');
      expect(Buffer.from(buildLittlefs(files, 0x40000, { layout: layout as 'pio' | 'native' })).equals(Buffer.from(img))).toBe(true);
    }), { numRuns: 80 });
  });
});
