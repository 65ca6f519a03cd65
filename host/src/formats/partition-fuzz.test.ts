/**
 * Property-based tests of the partition table codecs: whatever the input, a `partitions.*`
 * UserError or a result that converts exactly, never another kind of throw.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UserError } from '../errors.js';
import { decodePartitionTable, encodePartitionTable } from './partition-binary.js';
import { csvLabelProblem } from './partition-csv-text.js';
import { formatPartitionCsv, parsePartitionCsv } from './partition-csv.js';
import { TABLE_LENGTH, labelProblem, type PartitionEntry } from './partition-types.js';

/** Runs `f`; a UserError with a `partitions.*` code is returned, any other throw fails the property. */
function attempt<T>(f: () => T): { ok: true; value: T } | { ok: false; error: UserError } {
  try {
    return { ok: true, value: f() };
  } catch (e) {
    if (e instanceof UserError && e.code.startsWith('partitions.')) return { ok: false, error: e };
    throw e;
  }
}

const lineBreak = fc.constantFrom('\n', '\r\n', '\r', '\v', '\f', '\x1c', '\x1d', '\x1e', '\x85', '\u2028', '\u2029');
const numberText = fc.oneof(
  fc.integer({ min: 0, max: 0xffffffff }).map((n) => `0x${n.toString(16)}`),
  fc.integer({ min: 0, max: 0x400000 }).map(String),
  fc.bigInt({ min: -(2n ** 40n), max: 2n ** 40n }).map((n) => (n < 0n ? `-0x${(-n).toString(16)}` : `0x${n.toString(16)}`)),
  fc.constantFrom('', '1M', '64K', '0x100000000', '-0x1000', '0x1_0000', '0o777', '0b1', '4194304k', '9'.repeat(400), '1.5', '0x', 'lots', '$X'),
);
const typeText = fc.oneof(fc.constantFrom('app', 'data', 'DATA', 'bootloader', 'partition_table', '', 'constructor'), numberText);
const subtypeText = fc.oneof(fc.constantFrom('factory', 'ota_0', 'ota_15', 'nvs', 'spiffs', 'ota', 'undefined', '', 'toString'), numberText);
const labelText = fc.oneof(
  fc.constantFrom('nvs', 'app0', 'spiffs', '', '#x', 'a b', 'sixteen_bytes_ok', 'seventeen_bytes_x', 'a\x1bb', '\ufeffx'),
  fc.string({ maxLength: 18 }),
  fc.string({ unit: 'binary', maxLength: 6 }),
);
const flagText = fc.constantFrom('', 'encrypted', 'readonly', 'encrypted:readonly', 'secret', ' readonly');
const csvLine = fc.oneof(
  { weight: 5, arbitrary: fc.tuple(labelText, typeText, subtypeText, numberText, numberText, flagText, fc.constantFrom(',', ', ', ' ,\t'))
    .map(([l, t, s, o, z, f, sep]) => [l, t, s, o, z, f].join(sep)) },
  { weight: 1, arbitrary: fc.constantFrom('# comment', '', '   ', 'x') },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
);
/** Lines that read: blank offsets (placed by the reader), names, small sizes, odd spacing and labels. */
const goodLine = fc.tuple(
  fc.oneof(fc.constantFrom('nvs', 'app0', 'spiffs', '', 'a b', 'a\x1bb', '\ufeffx', 'ü'), fc.string({ unit: 'binary-ascii', maxLength: 16 }).filter((l) => !/[,#$\n\v\f\r\x1c-\x1e]/.test(l))),
  fc.constantFrom(['app', 'factory'], ['app', 'ota_3'], ['APP', 'test'], ['data', 'nvs'], ['data', 'spiffs'], ['data', ''], ['0x40', '0x99'], ['1', '0xff']),
  fc.oneof(fc.constant(''), fc.integer({ min: 0, max: 0x40 }).map((n) => `0x${(0x400000 + n * 0x10000).toString(16)}`)),
  fc.constantFrom('0x1000', '4K', '1M', '0x2000', '0x1234', '0', '100', '-0x800000'),
  fc.constantFrom('', 'encrypted', 'readonly', 'encrypted:readonly'),
).map(([label, [t, s], off, size, flags]) => `${label}, ${t} ,${s}, ${off},${size},${flags}`);
const csvText = fc.oneof(
  fc.tuple(fc.array(fc.oneof({ weight: 8, arbitrary: goodLine }, { weight: 1, arbitrary: fc.constantFrom('# c', '') }), { maxLength: 10 }), fc.array(lineBreak, { minLength: 10, maxLength: 10 })),
  fc.tuple(fc.array(csvLine, { maxLength: 10 }), fc.array(lineBreak, { minLength: 10, maxLength: 10 })),
).map(([lines, breaks]) => lines.map((l, i) => l + breaks[i]!).join(''));

const sameEntries = (a: readonly PartitionEntry[], b: readonly PartitionEntry[]) => expect(a).toEqual(b);

describe('partition CSV (property-based)', () => {
  it('any text: a partitions.* error or entries that fit; CSV → binary → CSV gives the same entries', () => {
    fc.assert(fc.property(csvText, (text) => {
      const parsed = attempt(() => parsePartitionCsv(text));
      if (!parsed.ok) return;
      const entries = parsed.value;
      expect(entries.length).toBeGreaterThan(0);
      for (const e of entries) {
        for (const [v, max] of [[e.type, 0xff], [e.subtype, 0xff], [e.offset, 0xffffffff], [e.size, 0xffffffff]] as const) {
          expect(Number.isInteger(v) && v >= 0 && v <= max).toBe(true);
        }
        expect(labelProblem(e.label)).toBeUndefined();
      }
      const bin = encodePartitionTable(entries);
      const decoded = decodePartitionTable(bin);
      sameEntries(decoded.entries, entries);
      expect(decoded.inexact).toEqual([]);
      const again = parsePartitionCsv(formatPartitionCsv(decoded.entries));
      sameEntries(again, entries);
      expect(Buffer.from(encodePartitionTable(again)).equals(Buffer.from(bin))).toBe(true);
    }), { numRuns: 400 });
  });
});

/** Tables of valid shape: fields in range, ascending offsets unless `shuffle`, labels of ≤ 16 bytes. */
const entryArb = fc.record({
  label: fc.oneof(fc.constantFrom('nvs', 'app0', 'a,b', ' x', '#c', 'a\nb', '$HOME', 'ok\x1b'), fc.string({ maxLength: 16 }), fc.string({ unit: 'binary', maxLength: 4 })),
  type: fc.integer({ min: 0, max: 0xff }),
  subtype: fc.integer({ min: 0, max: 0xff }),
  gap: fc.integer({ min: 0, max: 0x100000 }),
  size: fc.integer({ min: 0, max: 0x400000 }),
  encrypted: fc.boolean(),
  readonly: fc.boolean(),
});
const tableArb = fc.tuple(fc.array(entryArb, { minLength: 1, maxLength: 10 }), fc.boolean()).map(([rows, shuffle]) => {
  let at = 0x9000;
  const entries = rows.map(({ gap, ...r }) => {
    const e: PartitionEntry = { ...r, offset: at + gap };
    at = e.offset + e.size;
    return e;
  });
  return shuffle ? [...entries.slice(1), entries[0]!] : entries;
});

/** Whether the CSV form can state `entries` exactly: the rule formatPartitionCsv applies, written independently. */
function csvCanSay(entries: readonly PartitionEntry[]): boolean {
  let end = 0x9000;
  for (const e of entries) {
    if (csvLabelProblem(e.label) !== undefined || e.offset < end) return false;
    end = e.offset + e.size;
  }
  return true;
}

describe('partition binary (property-based)', () => {
  it('entries that fit encode, decode to the same entries, and write CSV exactly when the CSV form can say them', () => {
    fc.assert(fc.property(tableArb, fc.boolean(), (entries, md5) => {
      const enc = attempt(() => encodePartitionTable(entries, { md5 }));
      if (!enc.ok) {
        expect(entries.some((e) => labelProblem(e.label) !== undefined)).toBe(true);
        return;
      }
      const d = decodePartitionTable(enc.value);
      sameEntries(d.entries, entries);
      expect(d).toMatchObject({ md5, inexact: [] });
      const csv = attempt(() => formatPartitionCsv(d.entries));
      expect(csv.ok).toBe(csvCanSay(entries));
      if (!csv.ok) {
        expect(csv.error.code).toBe('partitions.not-exact');
        return;
      }
      expect(Buffer.from(encodePartitionTable(parsePartitionCsv(csv.value), { md5 })).equals(Buffer.from(enc.value))).toBe(true);
    }), { numRuns: 400 });
  });

  it('damaged tables: an error, or binary → CSV → binary gives the same 0xC00 bytes, or it is refused with a reason', () => {
    const damage = fc.array(fc.record({ at: fc.integer({ min: 0, max: TABLE_LENGTH - 1 }), value: fc.integer({ min: 0, max: 0xff }) }), { maxLength: 4 });
    fc.assert(fc.property(tableArb, fc.boolean(), damage, fc.integer({ min: 0, max: 320 }), (entries, md5, hits, near) => {
      const enc = attempt(() => encodePartitionTable(entries, { md5 }));
      if (!enc.ok) return;
      const bin = enc.value.slice();
      // Most damage near the entries, where it changes what the table says.
      for (const { at, value } of hits) bin[at % 2 === 0 ? at % (near + 32) : at] = value;
      const d = attempt(() => decodePartitionTable(bin));
      if (!d.ok) {
        expect(['partitions.bad-binary', 'partitions.bad-md5']).toContain(d.error.code);
        return;
      }
      if (d.value.inexact.length > 0 || d.value.entries.length === 0) return;
      const csv = attempt(() => formatPartitionCsv(d.value.entries));
      if (!csv.ok) {
        expect(csv.error.code).toBe('partitions.not-exact');
        return;
      }
      expect(Buffer.from(encodePartitionTable(parsePartitionCsv(csv.value), { md5: d.value.md5 })).equals(Buffer.from(bin))).toBe(true);
    }), { numRuns: 400 });
  });

  it('random bytes: a partitions.* error or a decoded table, never another throw', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: TABLE_LENGTH + 64 }), fc.boolean(), (bytes, magic) => {
      if (magic && bytes.length >= 2) bytes.set([0xaa, 0x50]);
      attempt(() => decodePartitionTable(bytes));
    }), { numRuns: 300 });
  });
});
