/**
 * The `pio` layout against mklittlefs itself: each reference image (host/test/fixtures/littlefs,
 * made by mklittlefs 3.2.0) rebuilt from its folder, with the files added in the order the tool
 * added them, is the same image byte for byte. A failure names the first differing byte and the
 * block and commit of the reference it falls in. Also: the default add order, and what happens
 * past the steps the write model covers.
 */
import { describe, expect, it } from 'vitest';
import { buildLittlefs } from './littlefs-builder.js';
import { buildPioImage, pioAddOrder } from './littlefs-pio-layout.js';
import { readLittlefs } from './littlefs-reader.js';
import { FIXTURE_ADD_ORDER, FIXTURE_TIME, LITTLEFS_FIXTURES, littlefsFolder, readLittlefsFixture } from './testing/littlefs-fixtures.js';
import { firstDifference, whereInLittlefs } from './testing/littlefs-where.js';

describe('LittleFS pio layout = mklittlefs', () => {
  for (const fx of LITTLEFS_FIXTURES) {
    it(`${fx}: rebuilt byte for byte`, async () => {
      const folder = await littlefsFolder(fx);
      const want = readLittlefsFixture(fx);
      const got = buildLittlefs(folder, want.length, { layout: 'pio', time: FIXTURE_TIME, order: FIXTURE_ADD_ORDER[fx] });
      const at = firstDifference(got, want);
      const report = at < 0 ? 'identical' : `differs at ${whereInLittlefs(want, at)}: ours 0x${got[at]?.toString(16)}, mklittlefs' 0x${want[at]?.toString(16)}`;
      expect(report).toBe('identical');
    });
  }

  it('the default add order is the paths sorted bytewise, whatever order the files come in', async () => {
    const folder = await littlefsFolder('nested-256k.bin');
    const sorted = folder.map((f) => f.name).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    const size = 0x40000;
    const byDefault = buildLittlefs([...folder].reverse(), size, { time: FIXTURE_TIME });
    expect(Buffer.from(byDefault).equals(Buffer.from(buildLittlefs(folder, size, { time: FIXTURE_TIME, order: sorted })))).toBe(true);
    // Another order gives other bytes with the same listing.
    const other = buildLittlefs(folder, size, { time: FIXTURE_TIME, order: FIXTURE_ADD_ORDER['nested-256k.bin'] });
    expect(Buffer.from(other).equals(Buffer.from(byDefault))).toBe(false);
    const listing = (img: Uint8Array) => readLittlefs(img).volume.entries.map((e) => [e.path, e.size, e.mtime]);
    expect(listing(other)).toEqual(listing(byDefault));
  });

  it('an order that is not every path once is refused', async () => {
    const folder = await littlefsFolder('basic-64k.bin');
    const order = FIXTURE_ADD_ORDER['basic-64k.bin'];
    expect(() => buildLittlefs(folder, 0x10000, { order: order.slice(1) })).toThrow(TypeError);
    expect(() => buildLittlefs(folder, 0x10000, { order: [...order.slice(1), order[1]!] })).toThrow(TypeError);
  });

  it('a folder needing a step the model leaves out (a superblock expansion) still builds, readable', () => {
    const files = Array.from({ length: 400 }, (_, i) => ({ name: `/f${i}`, data: new TextEncoder().encode(`x${i}`) }));
    const size = 0x100000;
    expect(buildPioImage(pioAddOrder(files), 4096, size / 4096, 0)).toMatchObject({ ok: false, why: 'not-modelled' });
    const back = readLittlefs(buildLittlefs(files, size)).files;
    expect(back.length).toBe(400);
    expect(readLittlefs(buildLittlefs(files, size)).volume.superblock.nameMax).toBe(32);
  });
});
