import { describe, expect, it } from 'vitest';
import { isUserError } from '../errors.js';
import { makePlan, md5Hex, padImage, type FlashImage } from './plan.js';
import type { PartitionSlot } from '../formats/flash-layout.js';
import { findFilesystemPartition } from '../formats/fs-partition.js';

/** The arduino-esp32 default.csv (current era), as slots. */
const table: PartitionSlot[] = [
  { label: 'nvs', type: 1, subtype: 0x02, offset: 0x9000, size: 0x5000 },
  { label: 'otadata', type: 1, subtype: 0x00, offset: 0xe000, size: 0x2000 },
  { label: 'app0', type: 0, subtype: 0x10, offset: 0x10000, size: 0x140000 },
  { label: 'app1', type: 0, subtype: 0x11, offset: 0x150000, size: 0x140000 },
  { label: 'spiffs', type: 1, subtype: 0x82, offset: 0x290000, size: 0x160000 },
  { label: 'coredump', type: 1, subtype: 0x03, offset: 0x3f0000, size: 0x10000 },
];

function appImage(size: number, chip = 0): Uint8Array {
  const d = new Uint8Array(size).fill(0x11);
  d[0] = 0xe9;
  d[12] = chip & 0xff;
  d[13] = chip >> 8;
  return d;
}
const ptable = () => Uint8Array.from([0xaa, 0x50, 1, 2, ...new Array(28).fill(0)]);

function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (isUserError(e)) return e.code;
    throw e;
  }
  return 'no error';
}

describe('makePlan', () => {
  it('infers roles for the PlatformIO layout and sorts by address', () => {
    const images: FlashImage[] = [
      { address: 0x10000, data: appImage(1000), name: 'firmware.bin' },
      { address: 0x1000, data: appImage(500), name: 'bootloader.bin' },
      { address: 0x8000, data: ptable(), name: 'partitions.bin' },
      { address: 0xe000, data: new Uint8Array(0x2000).fill(0xff), name: 'boot_app0.bin' },
      { address: 0x290000, data: new Uint8Array(0x160000), name: 'spiffs.bin' },
    ];
    const plan = makePlan({ images, table, flashSize: 4 << 20 });
    expect(plan.images.map((i) => [i.address, i.role])).toEqual([
      [0x1000, 'bootloader'], [0x8000, 'partition-table'], [0xe000, 'otadata'], [0x10000, 'app'], [0x290000, 'filesystem'],
    ]);
    expect(plan.images[3]!.partition?.label).toBe('app0');
    expect(plan.totalBytes).toBe(1000 + 500 + 32 + 0x2000 + 0x160000);
  });

  it('hashes the image padded to 4 bytes with 0xFF, as esptool-js writes it', () => {
    const data = Uint8Array.from([1, 2, 3, 4, 5]);
    expect(padImage(data)).toEqual(Uint8Array.from([1, 2, 3, 4, 5, 0xff, 0xff, 0xff]));
    expect(md5Hex(new Uint8Array(0))).toBe('d41d8cd98f00b204e9800998ecf8427e');
    const plan = makePlan({ images: [{ address: 0x300000, data, name: 'x' }] });
    expect(plan.images[0]!.md5).toBe(md5Hex(padImage(data)));
  });

  it('rejects bad images before anything is written, with stable codes', () => {
    const bad = appImage(100);
    bad[0] = 0x00;
    expect(codeOf(() => makePlan({ images: [{ address: 0x10000, data: bad, name: 'fw' }] }))).toBe('image.bad-magic');
    expect(codeOf(() => makePlan({ images: [{ address: 0x10000, data: appImage(100, 9), name: 'fw' }] }))).toBe('image.wrong-chip');
    expect(codeOf(() => makePlan({ images: [{ address: 0x10000, data: appImage(0x140001), name: 'fw' }], table }))).toBe('image.too-big-for-partition');
    expect(codeOf(() => makePlan({ images: [{ address: 0x290000, data: new Uint8Array(0x100000), name: 'fs' }], table }))).toBe('image.fs-size-mismatch');
    expect(codeOf(() => makePlan({ images: [{ address: 0x10001, data: appImage(10), name: 'fw' }] }))).toBe('image.unaligned');
    expect(codeOf(() => makePlan({ images: [{ address: 0x3ff000, data: new Uint8Array(0x2000), name: 'x' }], flashSize: 4 << 20 }))).toBe('image.too-big-for-flash');
    expect(codeOf(() => makePlan({ images: [{ address: 0x8000, data: new Uint8Array(64), name: 'p' }] }))).toBe('image.bad-partition-table');
    expect(codeOf(() => makePlan({ images: [{ address: 0x20000, data: new Uint8Array(0), name: 'e' }] }))).toBe('image.empty');
    expect(codeOf(() => makePlan({
      images: [
        { address: 0x20000, data: new Uint8Array(0x2000), name: 'a' },
        { address: 0x21000, data: new Uint8Array(0x10), name: 'b' },
      ],
    }))).toBe('image.overlap');
  });

  it('finds the last filesystem data partition, like PlatformIO', () => {
    expect(findFilesystemPartition(table)?.label).toBe('spiffs');
    expect(findFilesystemPartition([...table, { label: 'ffat', type: 1, subtype: 0x81, offset: 0x3f0000, size: 0x10000 }])?.label).toBe('ffat');
    expect(findFilesystemPartition(table.filter((p) => p.subtype !== 0x82))).toBeUndefined();
  });
});
