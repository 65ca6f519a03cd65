import { describe, expect, it } from 'vitest';
import { UserError } from '../errors.js';
import { listSpiffs, readSpiffs } from './spiffs-reader.js';
import { checkSpiffs } from './spiffs-check.js';
import { fixtureFolder, prng, readFixture } from './testing/fixtures.js';

/** Flips bits of one byte (typed-array index access is checked under noUncheckedIndexedAccess). */
const xor = (b: Uint8Array, i: number, mask: number): void => { b[i] = (b[i] ?? 0) ^ mask; };

const sorted = <T extends { name: string }>(xs: T[]): T[] => [...xs].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

describe('SPIFFS reader on the mkspiffs reference images', () => {
  const cases = [
    ['basic-1408k.bin', 'basic'],
    ['basic-64k.bin', 'basic'],
    ['edge-64k.bin', 'edge'],
    ['gc-1408k.bin', 'gc'],
  ] as const;
  for (const [image, folder] of cases) {
    it(`${image} reads back to exactly ${folder}/`, async () => {
      const { files } = readSpiffs(readFixture(image));
      const want = await fixtureFolder(folder);
      expect(sorted(files).map((f) => f.name)).toEqual(want.map((f) => f.name));
      for (const w of want) {
        const got = files.find((f) => f.name === w.name)!;
        expect(got.size).toBe(w.data.length);
        expect(Buffer.from(got.data).equals(Buffer.from(w.data))).toBe(true);
      }
    });
    it(`${image} passes the mount audit (mkspiffs leftovers allowed)`, () => {
      const problems = checkSpiffs(readFixture(image), { clean: false })
        // mkspiffs stores 0xFFFFFFFF for empty files, as SPIFFS does: the audit only flags 0.
        .filter((p) => !p.includes('size 0 '));
      expect(problems).toEqual([]);
    });
  }

  it('lists in image order with mkspiffs\' deleted header copies counted (basic-64k)', () => {
    const { entries, usage } = listSpiffs(readFixture('basic-64k.bin'));
    expect(entries.map((e) => [e.name, e.size, e.id, e.headerPage])).toEqual([
      ['/style.css', 40, 1, 1],
      ['/empty.txt', 0, 2, 3],
      ['/index.html', 171, 3, 4],
      ['/sub/app.js', 19, 4, 6],
      ['/big.bin', 10240, 5, 93],
    ]);
    // big.bin: 40 chunks of 256 bytes leave 39 deleted header copies (docs/spiffs.md §3.5).
    expect(usage).toEqual({ blockCount: 16, livePages: 49, deletedPages: 39, freePages: 16 * 15 - 88 });
  });

  it('the 1408k image uses compaction-mode object ids 1, 11, 21 … (docs/spiffs.md §3.3)', () => {
    expect(listSpiffs(readFixture('basic-1408k.bin')).entries.map((e) => e.id)).toEqual([1, 11, 21, 31, 41]);
  });

  it('a blank partition does not mount (-10025)', () => {
    const blank = new Uint8Array(0x10000).fill(0xff);
    expect(() => readSpiffs(blank)).toThrow(expect.objectContaining({ code: 'fs.not-spiffs', spiffsErrno: -10025 }));
  });

  it('an image read at the wrong size does not mount, and the hint names the right size', () => {
    const img = readFixture('basic-64k.bin');
    const padded = new Uint8Array(0x20000).fill(0xff);
    padded.set(img);
    try {
      readSpiffs(padded);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(UserError);
      expect((e as UserError).code).toBe('fs.not-spiffs');
      expect((e as UserError).hint).toContain('65536');
    }
  });

  it('random bytes do not mount and get the generic hint, not a made-up size', () => {
    const r = prng(7);
    const junk = new Uint8Array(0x10000).map(() => Math.floor(r() * 256));
    expect(() => readSpiffs(junk)).toThrow(expect.objectContaining({ code: 'fs.not-spiffs', hint: expect.stringContaining('equal to the partition size') }));
  });

  it('one unused block without its magic mounts (SPIFFS erases it); one in use is corrupt', () => {
    const img = readFixture('basic-64k.bin');
    const unused = img.slice();
    xor(unused, 15 * 4096 + 252, 0xff);
    expect(readSpiffs(unused).files).toHaveLength(5);
    const used = img.slice();
    xor(used, 0 * 4096 + 252, 0xff);
    expect(() => readSpiffs(used)).toThrow(expect.objectContaining({ code: 'fs.corrupt', page: 0 }));
  });
});
