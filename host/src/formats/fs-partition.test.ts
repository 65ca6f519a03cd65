import { describe, expect, it } from 'vitest';
import { isUserError } from '../errors.js';
import { parseFsType } from './fs-type.js';
import { detectFsType } from './fs-volume.js';
import { buildLittlefs } from './littlefs-builder.js';
import { buildSpiffs } from './spiffs-builder.js';
import { fsTargetWarning, mountedPartition, pickFsPartition } from './fs-partition.js';
import { parsePartitionCsv } from './partition-csv.js';

const table = parsePartitionCsv(
  'nvs, data, nvs, 0x9000, 0x5000\napp0, app, factory, 0x10000, 0x200000\n'
  + 'spiffs, data, spiffs, 0x210000, 0x80000\nwww, data, littlefs, 0x290000, 0x80000\nffat, data, fat, 0x310000, 0x80000\n',
);
const source = { name: 'the table', hint: 'the hint' };

function thrown(f: () => unknown): { code: string; message: string; hint?: string } {
  try {
    f();
  } catch (e) {
    if (isUserError(e)) return { code: e.code, message: e.message, ...(e.hint ? { hint: e.hint } : {}) };
    throw e;
  }
  throw new Error('did not throw');
}

describe('pickFsPartition: the one home of which partition holds the filesystem', () => {
  it('PlatformIO writes the last filesystem partition; the board mounts the first spiffs one (SPIFFS) or the one labelled spiffs (LittleFS)', () => {
    expect(pickFsPartition(table, source).label).toBe('ffat');
    expect(pickFsPartition(table, source, { rule: { mounted: 'spiffs' } }).label).toBe('spiffs');
    const relabelled = table.map((p) => (p.label === 'spiffs' ? { ...p, label: 'data0' } : p.label === 'www' ? { ...p, label: 'spiffs' } : p));
    expect(mountedPartition(relabelled, 'littlefs')?.offset).toBe(0x290000);
    expect(mountedPartition(relabelled, 'spiffs')?.offset).toBe(0x210000);
  });

  it('each refusal has its code, the table named and the caller\'s hint', () => {
    expect(thrown(() => pickFsPartition(table, source, { label: 'nope' }))).toEqual({
      code: 'fs.no-partition', message: "the table has no partition named 'nope' (it has: nvs, app0, spiffs, www, ffat)", hint: 'the hint',
    });
    expect(thrown(() => pickFsPartition(table.filter((p) => p.type === 0), source)).code).toBe('fs.no-partition');
    expect(thrown(() => pickFsPartition(table.filter((p) => p.label !== 'spiffs'), source, { rule: { mounted: 'littlefs' } })).message)
      .toContain("no partition labelled 'spiffs', the one LittleFS.begin() mounts");
    expect(thrown(() => pickFsPartition([], { ...source, empty: { message: 'no table', hint: 'flash it' } }))).toEqual({ code: 'fs.no-partition', message: 'no table', hint: 'flash it' });
    expect(thrown(() => pickFsPartition(table, source, { label: 'nvs', require: 'filesystem' })).code).toBe('fs.not-filesystem');
    expect(thrown(() => pickFsPartition(table, source, { label: 'ffat', require: 'readable' })).code).toBe('fs.unsupported-filesystem');
    expect(pickFsPartition(table, source, { label: 'www', require: 'readable' }).label).toBe('www');
  });

  it('LittleFS: an image for a partition other than the one labelled spiffs is a warning naming LittleFS.begin()', () => {
    const w = fsTargetWarning(table, table.find((p) => p.label === 'www')!, 'littlefs');
    expect(w?.message).toContain("LittleFS.begin() mounts the partition labelled 'spiffs', 'spiffs' at 0x210000");
    expect(w?.hint).toContain('LittleFS.begin(false, "/littlefs", 10, "www")');
    expect(fsTargetWarning(table, table.find((p) => p.label === 'spiffs')!, 'littlefs')).toBeUndefined();
  });
});

describe('filesystem types', () => {
  it('only spiffs and littlefs; anything else is fs.unsupported-filesystem naming both', () => {
    expect(parseFsType('LittleFS', '--fs-type')).toBe('littlefs');
    const e = thrown(() => parseFsType('fatfs', 'board_build.filesystem', 'platformio.ini'));
    expect(e.code).toBe('fs.unsupported-filesystem');
    expect(e.message).toBe('board_build.filesystem = fatfs in platformio.ini is not supported; esp-sse handles spiffs and littlefs');
  });

  it('an image says which it holds: the LittleFS superblock magic, else SPIFFS', () => {
    const files = [{ name: '/a.txt', data: new TextEncoder().encode('hello') }];
    expect(detectFsType(buildLittlefs(files, 0x10000))).toBe('littlefs');
    expect(detectFsType(buildSpiffs(files, 0x10000))).toBe('spiffs');
    expect(detectFsType(new Uint8Array(0x10000).fill(0xff))).toBe('spiffs');
  });
});
