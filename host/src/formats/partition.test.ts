import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { UserError } from '../errors.js';
import { decodePartitionTable, encodePartitionTable, looksBinary, parsePartitionBinary } from './partition-binary.js';
import { builtinFlashSize, builtinTable, builtinTables } from './partition-builtin.js';
import { formatPartitionCsv, parseNumber, parsePartitionCsv } from './partition-csv.js';
import { SUBTYPES, TABLE_LENGTH, TYPES, subtypeName, type PartitionEntry } from './partition-types.js';
import { findFilesystemPartition, fsTargetWarning, mountedSpiffsPartition } from './fs-partition.js';
import { validatePartitions } from './partition-validate.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

function errorOf(f: () => unknown): UserError {
  try { f(); } catch (e) { if (e instanceof UserError) return e; throw e; }
  throw new Error('expected a UserError');
}

const entry = (label: string, type: number, subtype: number, offset: number, size: number, flags: Partial<PartitionEntry> = {}): PartitionEntry =>
  ({ label, type, subtype, offset, size, encrypted: false, readonly: false, ...flags });

describe('parseNumber (int(v, 0) with k/m suffixes)', () => {
  it('accepts hex, decimal, octal, binary, underscores and K/M suffixes in either case', () => {
    expect(['0x9000', '36864', '36K', '36k', '0o110000', '0b1001000000000000', '36_864'].map(parseNumber)).toEqual(Array(7).fill(0x9000));
    expect(parseNumber('1M')).toBe(0x100000);
    expect(parseNumber('0x10k')).toBe(0x4000);
    expect(parseNumber('0')).toBe(0);
  });
  it('rejects what Python int(v, 0) rejects', () => {
    for (const bad of ['', '012', '0x', '1.5', 'ten', '1_', '0xg', '1MB']) expect(parseNumber(bad)).toBeUndefined();
  });
});

describe('parsePartitionCsv', () => {
  it('parses the current default.csv exactly', () => {
    expect(parsePartitionCsv(builtinTables['default.csv']!)).toEqual([
      entry('nvs', 1, 0x02, 0x9000, 0x5000),
      entry('otadata', 1, 0x00, 0xe000, 0x2000),
      entry('app0', 0, 0x10, 0x10000, 0x140000),
      entry('app1', 0, 0x11, 0x150000, 0x140000),
      entry('spiffs', 1, 0x82, 0x290000, 0x160000),
      entry('coredump', 1, 0x03, 0x3f0000, 0x10000),
    ]);
  });

  it('places blank offsets after the previous partition: apps on 64 KiB, data on 4 KiB', () => {
    const t = parsePartitionCsv([
      '# blank offsets',
      'nvs, data, nvs, , 0x6000',
      'phy_init, data, phy, , 0x1000',
      'factory, app, factory, , 1M',
      'storage, data, spiffs, , 100K',
      'ota_0, app, ota_0, , 0x100000',
      'last, data, fat, , 0x3000',
    ].join('\n'));
    expect(t.map((p) => [p.label, p.offset, p.size])).toEqual([
      ['nvs', 0x9000, 0x6000],
      ['phy_init', 0xf000, 0x1000],
      ['factory', 0x10000, 0x100000],
      ['storage', 0x110000, 100 * 1024],
      ['ota_0', 0x130000, 0x100000], // 0x129000 rounded up to 64 KiB
      ['last', 0x230000, 0x3000],
    ]);
    // The table at another offset moves the first partition (gen_esp32part --offset).
    expect(parsePartitionCsv('nvs, data, nvs, , 0x4000', 0x10000)[0]!.offset).toBe(0x11000);
  });

  it('a data partition after an odd-sized one is aligned up to 4 KiB', () => {
    const t = parsePartitionCsv('a, data, nvs, 0x9000, 0x1234\nb, data, spiffs, , 0x1000\n');
    expect(t[1]!.offset).toBe(0xb000);
  });

  it('a negative size means "up to this address"', () => {
    expect(parsePartitionCsv('fs, data, spiffs, 0x100000, -0x400000')[0]!.size).toBe(0x300000);
  });

  it('knows every type and subtype name, numbers for custom ones, and the empty data subtype', () => {
    const lines: string[] = [];
    let off = 0x10000;
    const want: Array<[number, number]> = [];
    for (const [tname, t] of Object.entries(TYPES)) {
      for (const [sname, s] of Object.entries(SUBTYPES[t] ?? {})) {
        lines.push(`p${lines.length}, ${tname.toUpperCase()}, ${sname}, 0x${off.toString(16)}, 0x10000`);
        want.push([t, s]);
        off += 0x10000;
      }
    }
    lines.push(`c${lines.length}, 0x40, 0x99, 0x${off.toString(16)}, 0x1000`);
    want.push([0x40, 0x99]);
    lines.push(`d${lines.length}, data, , 0x${(off + 0x1000).toString(16)}, 0x1000`);
    want.push([1, 0x06]);
    const t = parsePartitionCsv(lines.join('\n'));
    expect(t.map((p) => [p.type, p.subtype])).toEqual(want);
    expect(want.length).toBe(16 + 2 + 11 + 2 + 2 + 2);
  });

  it('reads the encrypted and readonly flags', () => {
    const t = parsePartitionCsv('a, app, factory, 0x10000, 1M, encrypted\nb, data, nvs, , 0x4000, readonly:encrypted\n');
    expect(t.map((p) => [p.encrypted, p.readonly])).toEqual([[true, false], [true, true]]);
  });

  it('errors name the line and what is wrong', () => {
    const cases: Array<[string, RegExp]> = [
      ['a, , nvs, 0x9000, 0x1000', /line 1: field 'type' can't be left empty/],
      ['\na, data, nvs, 0x9000,', /line 2: size field can't be empty/],
      ['a, app, , 0x10000, 1M', /app partition cannot have an empty subtype/],
      ['a, data, bogus, 0x9000, 0x1000', /subtype 'bogus' is not valid; known: ota, phy/],
      ['a, disk, nvs, 0x9000, 0x1000', /type 'disk' is not valid/],
      ['a, data, nvs, 0x9000, 0x1000, secret', /unknown flag 'secret'/],
      ['a, data, nvs, 0x7000, 0x1000', /first partition offset 0x7000 overlaps the partition table, which ends at 0x9000/],
      ['a, data, nvs, 0x9000, 0x2000\nb, data, nvs, 0xa000, 0x1000', /line 2: offset 0xa000 overlaps the previous partition, which ends at 0xb000/],
      ['a, data, nvs, $OFFSET, 0x1000', /environment variables/],
      ['a, data, nvs, 0x9000, lots', /size 'lots' is not valid/],
    ];
    for (const [csv, msg] of cases) {
      const e = errorOf(() => parsePartitionCsv(csv));
      expect(e.code).toBe('partitions.bad-csv');
      expect(e.message).toMatch(msg);
      expect(e.hint).toBeTruthy();
    }
  });
});

describe('binary table', () => {
  it('default.csv encodes to the golden 0xC00 bytes (independent Python struct.pack of <2sBBLL16sL + MD5 entry)', () => {
    const bin = encodePartitionTable(parsePartitionCsv(builtinTables['default.csv']!));
    expect(bin.length).toBe(TABLE_LENGTH);
    expect(sha256(bin)).toBe('148b959cbff1c38aa8e1d5c0ba9d612c54997b945e56a63f41223eef650653a1');
    // nvs entry, byte by byte: magic, type, subtype, offset, size, label, flags.
    expect(hex(bin.subarray(0, 32))).toBe(`aa500102${'00900000'}${'00500000'}${'6e7673'}${'00'.repeat(13)}${'00000000'}`);
    // MD5 entry after six entries.
    expect(hex(bin.subarray(192, 208))).toBe(`ebeb${'ff'.repeat(14)}`);
    expect(hex(bin.subarray(208, 224))).toBe('972dae2ff872a0142d60bad124c0666b');
    expect(bin.subarray(224).every((b) => b === 0xff)).toBe(true);
    expect(looksBinary(bin)).toBe(true);
  });

  it('flags are bits 0 and 1 of the last word, and decode back', () => {
    const e = [entry('x', 0, 0, 0x10000, 0x10000, { encrypted: true }), entry('y', 1, 2, 0x20000, 0x1000, { readonly: true })];
    const bin = encodePartitionTable(e);
    expect(hex(bin.subarray(28, 32))).toBe('01000000');
    expect(hex(bin.subarray(60, 64))).toBe('02000000');
    expect(decodePartitionTable(bin)).toEqual({ entries: e, md5: true, unknownFlags: [], inexact: [] });
  });

  it('without the MD5 entry (gen_esp32part --disable-md5sum) it still decodes', () => {
    const e = parsePartitionCsv(builtinTables['huge_app.csv']!);
    const bin = encodePartitionTable(e, { md5: false });
    expect(hex(bin.subarray(e.length * 32, e.length * 32 + 32))).toBe('ff'.repeat(32));
    expect(decodePartitionTable(bin)).toEqual({ entries: e, md5: false, unknownFlags: [], inexact: [] });
  });

  it('a flipped entry byte fails the MD5 check; bad magic and no end marker are errors naming the byte', () => {
    const bin = encodePartitionTable(parsePartitionCsv(builtinTables['default.csv']!));
    const flipped = bin.slice();
    flipped[40] = flipped[40]! ^ 1;
    expect(errorOf(() => decodePartitionTable(flipped)).code).toBe('partitions.bad-md5');
    const magic = bin.slice();
    magic[64] = 0x12;
    const em = errorOf(() => decodePartitionTable(magic));
    expect(em.code).toBe('partitions.bad-binary');
    expect(em.message).toContain('byte 0x40');
    const full = new Uint8Array(TABLE_LENGTH);
    for (let o = 0; o < TABLE_LENGTH; o += 32) full.set(bin.subarray(0, 32), o);
    expect(errorOf(() => decodePartitionTable(full)).message).toMatch(/no end-of-table marker/);
    expect(errorOf(() => decodePartitionTable(bin.subarray(0, 40))).message).toMatch(/truncated/);
    expect(errorOf(() => parsePartitionBinary(magic, 'build/partitions.bin')).message).toMatch(/^build\/partitions\.bin: /);
  });

  it('unknown flag bits are reported, not dropped silently', () => {
    const bin = encodePartitionTable([entry('x', 1, 2, 0x9000, 0x1000)], { md5: false });
    bin[28] = 0x05;
    expect(decodePartitionTable(bin).unknownFlags).toEqual([{ label: 'x', bits: 4 }]);
  });

  it('labels longer than 16 bytes and too many entries are refused', () => {
    expect(errorOf(() => encodePartitionTable([entry('a'.repeat(17), 1, 2, 0x9000, 0x1000)])).code).toBe('partitions.label-too-long');
    // gen_esp32part refuses when entries + MD5 entry reach 0xC00 bytes: 94 fit, 95 do not (95/96 without MD5).
    const many = (n: number) => Array.from({ length: n }, (_, i) => entry(`p${i}`, 1, 2, 0x9000 + i * 0x1000, 0x1000));
    expect(decodePartitionTable(encodePartitionTable(many(94))).entries).toHaveLength(94);
    expect(errorOf(() => encodePartitionTable(many(95))).code).toBe('partitions.too-many');
    expect(decodePartitionTable(encodePartitionTable(many(95), { md5: false })).entries).toHaveLength(95);
    expect(errorOf(() => encodePartitionTable(many(96), { md5: false })).code).toBe('partitions.too-many');
  });
});

describe('built-in tables', () => {
  const names = Object.keys(builtinTables);
  it('include the current default, the older ones and the common alternatives', () => {
    for (const n of ['default.csv', 'default-2019.csv', 'default-2017.csv', 'min_spiffs.csv', 'huge_app.csv', 'no_ota.csv', 'minimal.csv', 'no_fs.csv', 'default_16MB.csv']) {
      expect(names).toContain(n);
    }
    expect(builtinTable('min_spiffs')).toBe(builtinTables['min_spiffs.csv']);
    expect(builtinTable('nope')).toBeUndefined();
  });

  for (const name of names) {
    it(`${name}: valid for its flash, CSV → bin → CSV → bin round-trips`, () => {
      const entries = parsePartitionCsv(builtinTables[name]!);
      validatePartitions(entries, { flashSize: builtinFlashSize[name]! });
      const bin = encodePartitionTable(entries);
      const decoded = decodePartitionTable(bin);
      expect(decoded.entries).toEqual(entries);
      const csv = formatPartitionCsv(decoded.entries);
      expect(parsePartitionCsv(csv)).toEqual(entries);
      expect(hex(encodePartitionTable(parsePartitionCsv(csv)))).toBe(hex(bin));
    });
  }

  it('the filesystem partition is the last spiffs/fat/littlefs data partition', () => {
    expect(findFilesystemPartition(parsePartitionCsv(builtinTables['default.csv']!))).toMatchObject({ label: 'spiffs', offset: 0x290000, size: 0x160000 });
    expect(findFilesystemPartition(parsePartitionCsv(builtinTables['default_ffat.csv']!))).toMatchObject({ label: 'ffat', subtype: 0x81 });
    expect(findFilesystemPartition(parsePartitionCsv(builtinTables['no_fs.csv']!))).toBeUndefined();
  });
});

describe('formatPartitionCsv', () => {
  it('writes gen_esp32part\'s form: names, hex offsets, K/M sizes, flags', () => {
    const csv = formatPartitionCsv([
      entry('nvs', 1, 2, 0x9000, 0x5000),
      entry('f', 0, 0, 0x10000, 0x100000, { encrypted: true, readonly: true }),
      entry('odd', 0x40, 0x99, 0x110000, 0x1234),
    ]);
    expect(csv).toBe('# ESP-IDF Partition Table\n# Name, Type, SubType, Offset, Size, Flags\nnvs,data,nvs,0x9000,20K,\nf,app,factory,0x10000,1M,encrypted:readonly\nodd,0x40,0x99,0x110000,0x1234,\n');
    expect(subtypeName(0, 0x1f)).toBe('ota_15');
  });
});

describe('validatePartitions', () => {
  const ok = parsePartitionCsv(builtinTables['default.csv']!);
  const cases: Array<[string, PartitionEntry[], { flashSize?: number }, string, RegExp]> = [
    ['overlap', [...ok.slice(0, 4), entry('x', 1, 0x82, 0x280000, 0x20000)], {}, 'partitions.overlap', /'x' at 0x280000 overlaps 'app1' \(0x150000–0x28ffff\)/],
    ['app misaligned', [entry('a', 0, 0, 0x18000, 0x10000)], {}, 'partitions.misaligned', /not aligned to 0x10000/],
    ['data misaligned', [entry('d', 1, 2, 0x9800, 0x1000)], {}, 'partitions.misaligned', /not aligned to 0x1000/],
    ['app size not whole sectors', [entry('a', 0, 0, 0x10000, 0x10800)], {}, 'partitions.misaligned', /size 0x10800/],
    ['below the table', [entry('d', 1, 2, 0x8000, 0x1000)], {}, 'partitions.overlap', /below 0x9000/],
    ['duplicate label', [entry('d', 1, 2, 0x9000, 0x1000), entry('d', 1, 2, 0xa000, 0x1000)], {}, 'partitions.duplicate-label', /'d'/],
    ['two otadata', [entry('o1', 1, 0, 0x9000, 0x2000), entry('o2', 1, 0, 0xb000, 0x2000)], {}, 'partitions.duplicate-otadata', /2 otadata/],
    ['otadata size', [entry('o', 1, 0, 0x9000, 0x1000)], {}, 'partitions.bad-size', /must be 0x2000/],
    ['too big for the flash', ok, { flashSize: 0x200000 }, 'partitions.too-big-for-flash', /end at 0x400000 \(4\.00 MB\), past the 2 MB flash/],
  ];
  for (const [what, entries, opts, code, msg] of cases) {
    it(`refuses: ${what}`, () => {
      const e = errorOf(() => validatePartitions(entries, opts));
      expect(e.code).toBe(code);
      expect(e.message).toMatch(msg);
      expect(e.hint).toBeTruthy();
    });
  }
  it('accepts a table that exactly fills the flash', () => {
    expect(() => validatePartitions(ok, { flashSize: 0x400000 })).not.toThrow();
  });
});

describe('the filesystem partition: where images go (PlatformIO) and what the board mounts (SPIFFS.begin)', () => {
  const twoSpiffs = parsePartitionCsv(
    'nvs, data, nvs, 0x9000, 0x5000\notadata, data, ota, 0xe000, 0x2000\napp0, app, ota_0, 0x10000, 0x140000\n' +
      'app1, app, ota_1, 0x150000, 0x140000\nspiffs, data, spiffs, 0x290000, 0xb0000\nwww, data, spiffs, 0x340000, 0xb0000\n',
  );

  it('PlatformIO writes the last spiffs partition, the board mounts the first', () => {
    expect(findFilesystemPartition(twoSpiffs)?.label).toBe('www');
    expect(mountedSpiffsPartition(twoSpiffs)?.label).toBe('spiffs');
  });

  it('an image for any spiffs partition but the first is a warning naming both and the two fixes', () => {
    const w = fsTargetWarning(twoSpiffs, findFilesystemPartition(twoSpiffs)!);
    expect(w).toEqual({
      code: 'fs.not-mounted',
      message: "the image is for spiffs partition 'www' at 0x340000, but SPIFFS.begin() mounts the first spiffs partition, 'spiffs' at 0x290000: a sketch that calls it without a label will not see these files",
      hint: 'write the image to \'spiffs\', the partition the board mounts (uploadfs --partition spiffs), or mount \'www\' in the sketch: SPIFFS.begin(false, "/spiffs", 10, "www")',
    });
  });

  it('no warning for the mounted partition, a one-spiffs table, or a non-spiffs target', () => {
    expect(fsTargetWarning(twoSpiffs, twoSpiffs.find((p) => p.label === 'spiffs')!)).toBeUndefined();
    const table = parsePartitionCsv(builtinTable('default')!);
    expect(fsTargetWarning(table, findFilesystemPartition(table)!)).toBeUndefined();
    expect(fsTargetWarning(twoSpiffs, twoSpiffs.find((p) => p.label === 'nvs')!)).toBeUndefined();
    const fat = parsePartitionCsv('nvs, data, nvs, 0x9000, 0x5000\napp0, app, factory, 0x10000, 0x100000\nffat, data, fat, 0x110000, 0x100000\n');
    expect(fsTargetWarning(fat, findFilesystemPartition(fat)!)).toBeUndefined();
  });
});
