/**
 * `esp-sse partitions` as a user runs it (compiled CLI in a subprocess): print, check and
 * convert CSV ↔ binary, built-in names, the project's table, and each user error.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodePartitionTable } from '../src/formats/partition-binary.js';
import { builtinTables } from '../src/formats/partition-builtin.js';
import { parsePartitionCsv } from '../src/formats/partition-csv.js';
import { esp, expectUserError, requireBuiltCli, tempDir } from './fs-helpers.js';

const T = 60_000;

requireBuiltCli();

describe('esp-sse partitions', () => {
  it('prints a built-in table by name as aligned columns', async () => {
    const r = await esp(['partitions', 'default.csv']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('# built-in default.csv (csv), 6 partitions, ending at 0x400000 (4 MB) of 4 MB flash');
    expect(lines[1]).toMatch(/^NAME\s+TYPE\s+SUBTYPE\s+OFFSET\s+SIZE\s+END\s+FLAGS$/);
    expect(lines[6]!.split(/\s+/)).toEqual(['spiffs', 'data', 'spiffs', '0x290000', '0x160000', '1.375', 'MB', '0x3f0000']);
    expect((await esp(['partitions', 'min_spiffs'])).stdout).toContain('0x3d0000');
  }, T);

  for (const name of ['default.csv', 'default-2017.csv', 'bare_minimum_2MB.csv']) {
    it(`${name}: CSV → bin → CSV → bin gives the same bytes, and the bin is the library's encoding`, async () => {
      const dir = tempDir();
      const a = await esp(['partitions', name, '--out', 'a.bin'], { cwd: dir });
      expect(a.code, a.stderr).toBe(0);
      expect(a.stdout).toMatch(/^wrote a\.bin: \d+ partitions as binary \(0xc00 bytes, MD5 entry\)\n$/);
      const bin = readFileSync(join(dir, 'a.bin'));
      expect(Buffer.from(encodePartitionTable(parsePartitionCsv(builtinTables[name]!))).equals(bin)).toBe(true);
      expect((await esp(['partitions', 'a.bin', '--out', 'b.csv'], { cwd: dir })).code).toBe(0);
      expect(readFileSync(join(dir, 'b.csv'), 'utf8')).toMatch(/^# ESP-IDF Partition Table\n# Name, Type, SubType, Offset, Size, Flags\nnvs,data,nvs,0x9000,/);
      expect((await esp(['partitions', 'b.csv', '--out', 'c.bin'], { cwd: dir })).code).toBe(0);
      expect(readFileSync(join(dir, 'c.bin')).equals(bin)).toBe(true);
    }, T);
  }

  it('--json of a binary table; --no-md5 and --format', async () => {
    const dir = tempDir();
    expect((await esp(['partitions', 'huge_app', '--out', 't.out', '--format', 'bin', '--no-md5'], { cwd: dir })).code).toBe(0);
    const bin = readFileSync(join(dir, 't.out'));
    expect(bin.subarray(5 * 32, 6 * 32).every((b) => b === 0xff)).toBe(true);
    const j = await esp(['partitions', '--json', 't.out'], { cwd: dir });
    expect(j.code, j.stderr).toBe(0);
    const doc = JSON.parse(j.stdout) as { format: string; entries: Array<{ label: string; subtypeName: string; offset: number }> };
    expect(doc.format).toBe('binary');
    expect(doc.entries.map((e) => [e.label, e.subtypeName, e.offset])).toEqual([['nvs', 'nvs', 0x9000], ['otadata', 'ota', 0xe000], ['app0', 'ota_0', 0x10000], ['spiffs', 'spiffs', 0x310000], ['coredump', 'coredump', 0x3f0000]]);
  }, T);

  it('with no FILE, prints the table platformio.ini selects (blank offsets placed)', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'platformio.ini'), '[env:a]\nboard_build.partitions = mine.csv\nboard_upload.flash_size = 2MB\n');
    writeFileSync(join(dir, 'mine.csv'), '# custom\nnvs, data, nvs, , 0x5000\nfactory, app, factory, , 1M\nstorage, data, spiffs, , 0x80000\n');
    const r = await esp(['partitions'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`# ${join(dir, 'mine.csv')} (csv), 3 partitions, ending at 0x190000 (1.563 MB) of 2 MB flash`);
    expect(r.stdout).toMatch(/factory\s+app\s+factory\s+0x10000\s+0x100000/);
    expect(r.stdout).toMatch(/storage\s+data\s+spiffs\s+0x110000\s+0x80000/);
  }, T);

  it('user errors: overlap, too big for the flash, bad CSV line, bad binary, unknown name — exit 2, no output file', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'overlap.csv'), 'nvs, data, nvs, 0x9000, 0x5000\napp0, app, factory, 0x10000, 0x100000\nfs, data, spiffs, 0x100000, 0x10000\n');
    const o = await esp(['partitions', 'overlap.csv', '--out', 'o.bin'], { cwd: dir });
    expectUserError(o, 'partitions.bad-csv');
    expect(o.stderr).toContain('line 3: offset 0x100000 overlaps the previous partition, which ends at 0x110000');
    writeFileSync(join(dir, 'unsorted.csv'), 'fs, data, spiffs, 0x100000, 0x20000\napp0, app, factory, 0x110000, 0x100000\n');
    const u = await esp(['partitions', 'unsorted.csv', '--out', 'o.bin'], { cwd: dir });
    expectUserError(u, 'partitions.bad-csv');
    const big = await esp(['partitions', 'default.csv', '--flash-size', '2MB', '--out', 'o.bin'], { cwd: dir });
    expectUserError(big, 'partitions.too-big-for-flash');
    expect(big.stderr).toContain('past the 2 MB flash');
    writeFileSync(join(dir, 'misaligned.csv'), 'app0, app, factory, 0x18000, 0x100000\n');
    expectUserError(await esp(['partitions', 'misaligned.csv', '--out', 'o.bin'], { cwd: dir }), 'partitions.misaligned');
    // --no-verify skips the checks (as gen_esp32part --no-verify).
    expect((await esp(['partitions', 'misaligned.csv', '--no-verify'], { cwd: dir })).code).toBe(0);
    const bin = encodePartitionTable(parsePartitionCsv(builtinTables['default.csv']!));
    bin[40] = bin[40]! ^ 0xff;
    writeFileSync(join(dir, 'damaged.bin'), bin);
    const d = await esp(['partitions', 'damaged.bin', '--out', 'o.csv'], { cwd: dir });
    expectUserError(d, 'partitions.bad-md5');
    expect(d.stderr).toContain('damaged.bin: partition table MD5');
    expectUserError(await esp(['partitions', 'nosuch.csv'], { cwd: dir }), 'partitions.not-found');
    expect(existsSync(join(dir, 'o.bin'))).toBe(false);
    expect(existsSync(join(dir, 'o.csv'))).toBe(false);
  }, T);
});

describe('esp-sse partitions: exact or refused (issue 14)', () => {
  it('each row of the issue: values that do not fit are refused naming the line, nothing written; U+2028 rows read; an empty table is refused', async () => {
    const dir = tempDir();
    const rows: Array<[string, string, RegExp]> = [
      ['offset.csv', 'nvs, data, nvs, 0x9000, 0x5000\nbig, data, spiffs, 0x100110000, 0x10000\n', /line 2 \('big'\): offset 0x100110000 does not fit/],
      ['size.csv', 'big, data, spiffs, 0x10000, 0x100000000\n', /line 1 \('big'\): size 0x100000000 does not fit/],
      ['type.csv', 'odd, 0x141, 0x01, 0x10000, 0x1000\n', /type 0x141 does not fit the 1-byte field/],
      ['subtype.csv', 'odd, data, 0x1ff, 0x10000, 0x1000\n', /subtype 0x1ff does not fit the 1-byte field/],
      ['digits.csv', `huge, data, spiffs, 0x10000, ${'7'.repeat(400)}\n`, /size Infinity does not fit .*400 characters/],
    ];
    for (const [file, csv, msg] of rows) {
      writeFileSync(join(dir, file), csv);
      // Refused while reading, so --no-verify does not let it through.
      const r = await esp(['partitions', file, '--no-verify', '--out', 'o.bin'], { cwd: dir });
      expectUserError(r, 'partitions.out-of-range');
      expect(r.stderr).toMatch(msg);
    }
    writeFileSync(join(dir, 'u2028.csv'), 'nvs, data, nvs, 0x9000, 0x5000\u2028app0, app, factory, 0x10000, 1M\u2029fs, data, spiffs, , 64K\n');
    const sep = await esp(['partitions', 'u2028.csv', '--out', 'u.bin'], { cwd: dir });
    expect(sep.code, sep.stderr).toBe(0);
    expect(sep.stdout).toContain('3 partitions');
    writeFileSync(join(dir, 'empty.csv'), '# Name, Type, SubType, Offset, Size, Flags\n');
    expectUserError(await esp(['partitions', 'empty.csv', '--out', 'o.bin'], { cwd: dir }), 'partitions.empty');
    expectUserError(await esp(['partitions', 'empty.csv'], { cwd: dir }), 'partitions.empty');
    expect(existsSync(join(dir, 'o.bin'))).toBe(false);
  }, T);

  it('binary → CSV refused with a reason when it could not come back the same: entries out of order, unknown flag bits; listing still works', async () => {
    const dir = tempDir();
    const entry = (label: string, type: number, subtype: number, offset: number, size: number) => ({ label, type, subtype, offset, size, encrypted: false, readonly: false });
    writeFileSync(join(dir, 'order.bin'), encodePartitionTable([entry('app0', 0, 0, 0x10000, 0x100000), entry('nvs', 1, 2, 0x9000, 0x5000)]));
    const o = await esp(['partitions', 'order.bin', '--out', 'o.csv'], { cwd: dir });
    expectUserError(o, 'partitions.not-exact');
    expect(o.stderr).toMatch(/entry 1 \('nvs'\) at 0x9000 comes before the end of the previous entry/);
    const flags = encodePartitionTable([entry('nvs', 1, 2, 0x9000, 0x5000)], { md5: false });
    flags[28] = 0x08;
    writeFileSync(join(dir, 'flags.bin'), flags);
    const f = await esp(['partitions', 'flags.bin', '--out', 'f.bin'], { cwd: dir });
    expectUserError(f, 'partitions.not-exact');
    expect(f.stderr).toContain("'nvs' has flag bits this tool does not know (0x8)");
    const list = await esp(['partitions', 'flags.bin'], { cwd: dir });
    expect(list.code, list.stderr).toBe(0);
    expect(list.stderr).toContain('warning[partitions.not-exact]');
    expect(existsSync(join(dir, 'o.csv'))).toBe(false);
    expect(existsSync(join(dir, 'f.bin'))).toBe(false);
  }, T);

  it('labels from a binary are printed escaped; --json keeps them exact', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'esc.bin'), encodePartitionTable([{ label: 'a\x1b[2J\nb', type: 1, subtype: 2, offset: 0x9000, size: 0x1000, encrypted: false, readonly: false }]));
    const r = await esp(['partitions', 'esc.bin', '--no-verify'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('a\\x1b[2J\\nb');
    expect(r.stdout).not.toContain('\x1b');
    const j = await esp(['partitions', 'esc.bin', '--json'], { cwd: dir });
    expect(JSON.parse(j.stdout).entries[0].label).toBe('a\x1b[2J\nb');
  }, T);
});
