/**
 * Tables are exact or refused (issue 14): values that do not fit their binary fields, lines
 * split as gen_esp32part splits them, empty tables, and conversions that could not give the
 * same table back.
 */
import { describe, expect, it } from 'vitest';
import { UserError } from '../errors.js';
import { decodePartitionTable, encodePartitionTable } from './partition-binary.js';
import { csvLabelProblem, pyStrip, splitLines } from './partition-csv-text.js';
import { formatPartitionCsv, parsePartitionCsv } from './partition-csv.js';
import { TABLE_LENGTH, type PartitionEntry } from './partition-types.js';

function errorOf(f: () => unknown): UserError {
  try { f(); } catch (e) { if (e instanceof UserError) return e; throw e; }
  throw new Error('expected a UserError');
}

const entry = (label: string, type: number, subtype: number, offset: number, size: number, flags: Partial<PartitionEntry> = {}): PartitionEntry =>
  ({ label, type, subtype, offset, size, encrypted: false, readonly: false, ...flags });

describe('CSV values that do not fit their binary field are refused, naming the line (the issue\'s rows)', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['offset 0x100110000', 'nvs, data, nvs, 0x9000, 0x5000\nbig, data, spiffs, 0x100110000, 0x1000', /line 2 \('big'\): offset 0x100110000 does not fit the 4-byte field \(at most 0xffffffff\)/],
    ['size 0x100000000', 'big, data, spiffs, 0x9000, 0x100000000', /line 1 \('big'\): size 0x100000000 does not fit the 4-byte field/],
    ['type 0x141', 'odd, 0x141, 0x01, 0x9000, 0x1000', /line 1 \('odd'\): type 0x141 does not fit the 1-byte field \(at most 0xff\)/],
    ['subtype 0x1ff', 'odd, data, 0x1ff, 0x9000, 0x1000', /line 1 \('odd'\): subtype 0x1ff does not fit the 1-byte field/],
    ['a 400-digit size', `huge, data, spiffs, 0x9000, ${'9'.repeat(400)}`, /line 1 \('huge'\): size Infinity does not fit the 4-byte field \(at most 0xffffffff\) \(written '9{20}…9{8}, 400 characters'\)/],
    ['a negative offset', 'neg, data, nvs, -0x9000, 0x1000', /offset -0x9000 is negative/],
    ['4 GiB written with a k suffix', 'k, data, nvs, 0x9000, 4194304k', /size 0x100000000 does not fit/],
    ['a blank offset pushed past 4 GiB', 'a, data, nvs, 0xfffff000, 0x1000\nb, data, nvs, , 0x1000', /line 2 \('b'\): offset 0x100000000 does not fit .*: a blank offset goes after the previous partition, which ends at 0x100000000/],
    ['a negative size ending below the offset', 'fs, data, spiffs, 0x100000, -0x8000', /size -0x8000 means "up to 0x8000", which is below the offset 0x100000/],
  ];
  for (const [what, csv, msg] of cases) {
    it(what, () => {
      const e = errorOf(() => parsePartitionCsv(csv));
      expect(e.code).toBe('partitions.out-of-range');
      expect(e.message).toMatch(msg);
      expect(e.hint).toMatch(/32-bit/);
    });
  }

  it('the largest values that fit are kept exactly', () => {
    const t = parsePartitionCsv('x, 0xff, 0xff, 0x9000, 0xffffffff');
    expect(t).toEqual([entry('x', 0xff, 0xff, 0x9000, 0xffffffff)]);
    expect(decodePartitionTable(encodePartitionTable(t)).entries).toEqual(t);
  });

  it('non-numbers stay syntax errors (partitions.bad-csv), including names of Object.prototype', () => {
    for (const csv of ['a, data, nvs, 0x9000, 1.5', 'a, constructor, nvs, 0x9000, 0x1000', 'a, data, __proto__, 0x9000, 0x1000', 'a, data, nvs, 0x9000, 0x1000\ufeff']) {
      expect(errorOf(() => parsePartitionCsv(csv)).code).toBe('partitions.bad-csv');
    }
  });

  it('labels that do not fit the 16-byte field, or hold NUL, are refused naming the line', () => {
    expect(errorOf(() => parsePartitionCsv('\nseventeen_bytes_x, data, nvs, 0x9000, 0x1000'))).toMatchObject({ code: 'partitions.label-too-long', message: expect.stringMatching(/line 2: label 'seventeen_bytes_x' is 17 bytes/) });
    expect(errorOf(() => parsePartitionCsv('a\0b, data, nvs, 0x9000, 0x1000')).code).toBe('partitions.bad-label');
  });

  it('$NAME and ${NAME} anywhere in a line are refused (os.path.expandvars would expand them, backslash or not)', () => {
    for (const csv of ['a, data, nvs, $OFFSET, 0x1000', 'a\\$HOME, data, nvs, 0x9000, 0x1000', '${X}, data, nvs, 0x9000, 0x1000', 'a, data, nvs, 0x9000, $1']) {
      expect(errorOf(() => parsePartitionCsv(csv)).message).toMatch(/environment variables/);
    }
    expect(parsePartitionCsv('# $HOME in a comment is fine\na$, data, nvs, 0x9000, 0x1000')[0]!.label).toBe('a$');
  });
});

describe('lines are split and stripped as gen_esp32part (Python splitlines/strip) does', () => {
  const rows = ['nvs, data, nvs, 0x9000, 0x5000', 'app0, app, factory, 0x10000, 1M'];
  for (const sep of ['\n', '\r\n', '\r', '\v', '\f', '\x1c', '\x1d', '\x1e', '\x85', '\u2028', '\u2029']) {
    it(`rows separated by ${JSON.stringify(sep)} are two partitions`, () => {
      expect(parsePartitionCsv(rows.join(sep)).map((p) => p.label)).toEqual(['nvs', 'app0']);
    });
  }

  it('line numbers count every such break', () => {
    expect(errorOf(() => parsePartitionCsv('# one\u2028# two\x85a, data, bogus, 0x9000, 0x1000')).message).toMatch(/line 3:/);
  });

  it('\\x1f and \\x85 are stripped like spaces; U+FEFF is not (Python str.strip)', () => {
    expect(pyStrip('\x1f\x85 a \u3000')).toBe('a');
    expect(pyStrip('\ufeffa')).toBe('\ufeffa');
    expect(parsePartitionCsv('\x1fnvs\x1f, data, nvs, 0x9000, 0x1000\x1f')[0]!.label).toBe('nvs');
    expect(parsePartitionCsv('\ufeffnvs, data, nvs, 0x9000, 0x1000')[0]!.label).toBe('\ufeffnvs');
  });

  it('splitLines drops only the break after the last line', () => {
    expect(splitLines('a\nb\n')).toEqual(['a', 'b']);
    expect(splitLines('a\n\nb\r\n\r\n')).toEqual(['a', '', 'b', '']);
    expect(splitLines('')).toEqual(['']);
  });
});

describe('an empty table is refused', () => {
  it('a CSV with no partitions (nothing, blank lines or comments only)', () => {
    for (const csv of ['', '\n\n', '# Name, Type, SubType, Offset, Size, Flags\n# nothing\n', '\u2028 \u2029']) {
      expect(errorOf(() => parsePartitionCsv(csv)).code).toBe('partitions.empty');
    }
  });

  it('encoding or writing CSV for no entries', () => {
    expect(errorOf(() => encodePartitionTable([])).code).toBe('partitions.empty');
    expect(errorOf(() => encodePartitionTable([], { md5: false })).code).toBe('partitions.empty');
    expect(errorOf(() => formatPartitionCsv([])).code).toBe('partitions.empty');
  });

  it('erased flash still decodes as no table (the emulator boots it as a blank board)', () => {
    expect(decodePartitionTable(new Uint8Array(TABLE_LENGTH).fill(0xff)).entries).toEqual([]);
  });
});

describe('encodePartitionTable refuses entries that do not fit, naming the entry', () => {
  const cases: Array<[PartitionEntry, string, RegExp]> = [
    [entry('o', 1, 2, 2 ** 32, 0x1000), 'partitions.out-of-range', /entry 1 \('o'\): offset 0x100000000 does not fit/],
    [entry('s', 1, 2, 0x10000, -1), 'partitions.out-of-range', /size -0x1 is negative/],
    [entry('t', 256, 2, 0x10000, 0x1000), 'partitions.out-of-range', /type 0x100 does not fit the 1-byte field/],
    [entry('u', 1, 1.5, 0x10000, 0x1000), 'partitions.out-of-range', /subtype 1.5 is not a whole number/],
    [entry('n', 1, 2, Number.NaN, 0x1000), 'partitions.out-of-range', /offset is not a number/],
    [entry('i', 1, 2, 0x10000, Number.POSITIVE_INFINITY), 'partitions.out-of-range', /size Infinity does not fit/],
    [entry('a\0b', 1, 2, 0x10000, 0x1000), 'partitions.bad-label', /NUL/],
    [entry('\ud800', 1, 2, 0x10000, 0x1000), 'partitions.bad-label', /surrogate/],
    [entry('ü'.repeat(9), 1, 2, 0x10000, 0x1000), 'partitions.label-too-long', /18 bytes/],
  ];
  for (const [bad, code, msg] of cases) {
    it(`${code}: ${msg.source}`, () => {
      const e = errorOf(() => encodePartitionTable([entry('nvs', 1, 2, 0x9000, 0x5000), bad]));
      expect(e.code).toBe(code);
      expect(e.message).toMatch(msg);
    });
  }
});

describe('binary → CSV → binary is exact or refused', () => {
  const good = [entry('nvs', 1, 2, 0x9000, 0x5000), entry('app0', 0, 0x10, 0x10000, 0x100000, { readonly: true })];

  it('a plain table round-trips to the same bytes, with and without the MD5 entry', () => {
    for (const md5 of [true, false]) {
      const bin = encodePartitionTable(good, { md5 });
      const d = decodePartitionTable(bin);
      expect(d.inexact).toEqual([]);
      expect(Buffer.from(encodePartitionTable(parsePartitionCsv(formatPartitionCsv(d.entries)), { md5: d.md5 })).equals(bin)).toBe(true);
    }
  });

  it('entries out of offset order: the binary is valid, the CSV form cannot say it, so writing CSV is refused', () => {
    const swapped = [good[1]!, good[0]!];
    const d = decodePartitionTable(encodePartitionTable(swapped));
    expect(d.entries).toEqual(swapped);
    const e = errorOf(() => formatPartitionCsv(d.entries));
    expect(e.code).toBe('partitions.not-exact');
    expect(e.message).toMatch(/entry 1 \('nvs'\) at 0x9000 comes before the end of the previous entry \(0x110000\)/);
  });

  it('overlapping entries and a first partition inside the table\'s sector are refused the same way', () => {
    expect(errorOf(() => formatPartitionCsv([entry('a', 1, 2, 0x9000, 0x2000), entry('b', 1, 2, 0xa000, 0x1000)])).code).toBe('partitions.not-exact');
    expect(errorOf(() => formatPartitionCsv([entry('a', 1, 2, 0x8000, 0x1000)])).message).toMatch(/inside the partition table's sector/);
    // At another table offset the same entry is fine.
    expect(formatPartitionCsv([entry('a', 1, 2, 0x8000, 0x1000)], 0x6000)).toContain('a,data,nvs,0x8000,4K,');
  });

  it('labels a CSV line cannot carry are refused with the reason', () => {
    const labels: Array<[string, RegExp]> = [
      ['a,b', /comma/], [' lead', /whitespace/], ['tail\x1f', /whitespace/], ['#x', /comment/], ['a\nb', /line break/],
      ['a\u2028b', /line break/], ['a\x0bb', /line break/], ['$HOME', /environment variable/],
    ];
    for (const [label, why] of labels) {
      const e = errorOf(() => formatPartitionCsv([entry(label, 1, 2, 0x9000, 0x1000)]));
      expect(e.code).toBe('partitions.not-exact');
      expect(e.message).toMatch(why);
    }
    expect(csvLabelProblem('ok-label_1')).toBeUndefined();
    // ESC and other controls do not break a CSV line: such a label converts exactly.
    const esc = [entry('a\x1b[2Jb', 1, 2, 0x9000, 0x1000)];
    expect(parsePartitionCsv(formatPartitionCsv(esc))).toEqual(esc);
  });

  it('bytes the entries do not capture are reported in `inexact`', () => {
    const bin = () => encodePartitionTable(good, { md5: false });
    const flags = bin();
    flags[28] = 0x04;
    expect(decodePartitionTable(flags).inexact).toEqual(["'nvs' has flag bits this tool does not know (0x4)"]);
    const afterNul = bin();
    afterNul[12 + 5] = 0x41;
    expect(decodePartitionTable(afterNul).inexact).toEqual(["the label field of 'nvs' has bytes after its NUL terminator"]);
    const notUtf8 = bin();
    notUtf8[12] = 0xc3;
    notUtf8[13] = 0x28;
    expect(decodePartitionTable(notUtf8).inexact[0]).toMatch(/label of the entry at byte 0x0 is not UTF-8/);
    const trailing = bin();
    trailing[0x200] = 0;
    expect(decodePartitionTable(trailing).inexact).toEqual(['byte 0x200, after the end marker, is not 0xff']);
    const withMd5 = encodePartitionTable(good);
    withMd5[64 + 5] = 0;
    expect(decodePartitionTable(withMd5).inexact).toEqual(['the MD5 entry at byte 0x40 has bytes 2–15 other than 0xff']);
  });

  it('an entry after the MD5 entry is reported', () => {
    const first = encodePartitionTable(good.slice(0, 1));
    const second = encodePartitionTable(good.slice(1), { md5: false });
    const bin = new Uint8Array(TABLE_LENGTH).fill(0xff);
    bin.set(first.subarray(0, 64));
    bin.set(second.subarray(0, 32), 64);
    const d = decodePartitionTable(bin);
    expect(d.entries).toEqual(good);
    expect(d.inexact).toEqual(['entry at byte 0x40 comes after the MD5 entry']);
  });

  it('a label that starts with U+FEFF keeps it (the decoder does not eat a BOM)', () => {
    const bom = [entry('\ufeffx', 1, 2, 0x9000, 0x1000)];
    expect(decodePartitionTable(encodePartitionTable(bom)).entries).toEqual(bom);
  });
});
