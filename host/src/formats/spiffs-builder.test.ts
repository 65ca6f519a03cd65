import { describe, expect, it } from 'vitest';
import { buildSpiffs, pagesFor, spiffsCapacity, type SpiffsInput } from './spiffs-builder.js';
import { checkSpiffs } from './spiffs-check.js';
import { readSpiffs } from './spiffs-reader.js';
import { DATA_PER_PAGE, HEADER_TABLE_ENTRIES, INDEX_TABLE_ENTRIES, usablePages } from './spiffs-geometry.js';
import { bytes, fixtureFolder } from './testing/fixtures.js';

const K64 = 0x10000;

/** Build, audit every mount rule, read back, compare. */
function roundTrip(files: SpiffsInput[], size = K64): Uint8Array {
  const img = buildSpiffs(files, size);
  expect(checkSpiffs(img)).toEqual([]);
  const back = readSpiffs(img).files;
  const want = [...files].sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)));
  expect(back.map((f) => f.name)).toEqual(want.map((f) => f.name));
  back.forEach((f, i) => expect(Buffer.from(f.data).equals(Buffer.from(want[i]!.data))).toBe(true));
  return img;
}

describe('SPIFFS builder', () => {
  it('round-trips the reference folders, at their sizes', async () => {
    roundTrip(await fixtureFolder('basic'));
    roundTrip(await fixtureFolder('edge'));
    roundTrip(await fixtureFolder('basic'), 0x160000);
    roundTrip(await fixtureFolder('gc'), 0x160000);
  });

  it('edge cases: empty file, 31-byte name, exactly one page, one byte, empty folder', () => {
    const name31 = `/${'n'.repeat(30)}`;
    expect(Buffer.byteLength(name31)).toBe(31);
    roundTrip([
      { name: '/empty', data: new Uint8Array(0) },
      { name: name31, data: bytes(2) },
      { name: '/page.txt', data: bytes(DATA_PER_PAGE, 2) },
      { name: '/page+1.txt', data: bytes(DATA_PER_PAGE + 1, 3) },
      { name: '/one', data: new Uint8Array([0]) },
    ]);
    const empty = roundTrip([]);
    expect(readSpiffs(empty).usage.livePages).toBe(0);
  });

  it('multi-index-page files: right at and past each table boundary', () => {
    const spansHeader = HEADER_TABLE_ENTRIES * DATA_PER_PAGE;
    const spansOne = spansHeader + INDEX_TABLE_ENTRIES * DATA_PER_PAGE;
    roundTrip([
      { name: '/a', data: bytes(spansHeader, 4) },
      { name: '/b', data: bytes(spansHeader + 1, 5) },
      { name: '/c', data: bytes(spansOne, 6) },
      { name: '/d', data: bytes(spansOne + 1, 7) },
      { name: '/e', data: bytes(200_000, 8) },
    ], 0x80000);
  });

  it('fills an image exactly, and one byte more is refused with fs.too-big', () => {
    const size = 0x8000; // 8 blocks → 90 usable pages
    const usable = usablePages(size / 4096);
    // One file of 90 pages: header + index page? 88 data pages < 103 → 1 header + 89 data.
    const data = bytes((usable - 1) * DATA_PER_PAGE, 9);
    expect(pagesFor(data.length)).toBe(usable);
    const img = roundTrip([{ name: '/full.bin', data }], size);
    expect(readSpiffs(img).usage.freePages).toBe(8 * 15 - usable);
    expect(spiffsCapacity(size)).toBe(usable * DATA_PER_PAGE);
    expect(() => buildSpiffs([{ name: '/full.bin', data }, { name: '/x', data: new Uint8Array(0) }], size))
      .toThrow(expect.objectContaining({ code: 'fs.too-big' }));
  });

  it('refuses a 32-byte name and names the file and the limit', () => {
    const name = `/${'n'.repeat(31)}`;
    try {
      buildSpiffs([{ name, data: new Uint8Array(0) }], K64);
      expect.unreachable();
    } catch (e) {
      expect(e).toMatchObject({ code: 'fs.name-too-long' });
      expect((e as Error).message).toContain(name);
      expect((e as Error).message).toContain('32');
      expect((e as Error).message).toContain('31');
    }
  });

  it('counts name length in UTF-8 bytes, not characters', () => {
    expect(() => buildSpiffs([{ name: `/${'é'.repeat(16)}`, data: new Uint8Array(1) }], K64))
      .toThrow(expect.objectContaining({ code: 'fs.name-too-long' }));
    roundTrip([{ name: `/${'é'.repeat(15)}`, data: new Uint8Array(1) }]);
  });

  it('refuses bad sizes and duplicate names', () => {
    expect(() => buildSpiffs([], 0x10001)).toThrow(expect.objectContaining({ code: 'fs.bad-size' }));
    expect(() => buildSpiffs([], 0x2000)).toThrow(expect.objectContaining({ code: 'fs.bad-size' }));
    const f = { name: '/a', data: new Uint8Array(1) };
    expect(() => buildSpiffs([f, f], K64)).toThrow(expect.objectContaining({ code: 'fs.duplicate-name' }));
  });

  it('is deterministic and independent of input order', async () => {
    const files = await fixtureFolder('basic');
    const a = buildSpiffs(files, K64);
    const b = buildSpiffs([...files].reverse(), K64);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });

  it('golden layout: header then data, ids in name order, magic and erase count per block', () => {
    const img = buildSpiffs([{ name: '/b', data: new Uint8Array([1, 2, 3]) }, { name: '/a', data: new Uint8Array(0) }], K64);
    const hex = (o: number, n: number): string => Buffer.from(img.subarray(o, o + n)).toString('hex');
    // lookup of block 0: /a header (id 1|0x8000), /b header (2|0x8000), /b data (2), then free.
    expect(hex(0, 8)).toBe('01800280' + '0200' + 'ffff');
    expect(hex(252, 4)).toBe('3904' + '0000'); // magic 0x0439 for 16 blocks, erase count 0
    expect(hex(4096 + 252, 4)).toBe('2604' + '0000');
    // /a header page: id, span 0, flags F8, pad FF×3, size FFFFFFFF (empty), type 1, name
    expect(hex(256, 16)).toBe('01800000f8ffffffffffffff012f6100');
    expect(hex(256 + 45, 6)).toBe('ffffffffffff'); // meta FF×4, empty table
    // /b header: size 3, table[0] = page 3
    expect(hex(512 + 8, 4)).toBe('03000000');
    expect(hex(512 + 49, 4)).toBe('0300ffff');
    // data page 3: id 2, span 0, flags FC, bytes, then erased
    expect(hex(768, 10)).toBe('02000000fc010203ffff');
  });
});
