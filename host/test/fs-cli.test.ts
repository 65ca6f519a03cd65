/**
 * `esp-sse fs build|ls|extract` as a user runs them: the compiled CLI (`dist/cli/main.js`, built
 * by `npm run build`) in a subprocess, against the mkspiffs reference images and temp projects.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodePartitionTable } from '../src/formats/partition-binary.js';
import { parsePartitionCsv } from '../src/formats/partition-csv.js';
import { buildSpiffs } from '../src/formats/spiffs-builder.js';
import { checkSpiffs } from '../src/formats/spiffs-check.js';
import { fixtureFolder, gcLarge, spiffsFixtures } from '../src/formats/testing/fixtures.js';
import { esp, expectUserError, requireBuiltCli, sameFiles, tempDir, walk } from './fs-helpers.js';

const T = 60_000;

requireBuiltCli();

describe('fs ls / fs extract on every mkspiffs reference image', () => {
  const cases = [
    ['basic-1408k.bin', 'basic'],
    ['basic-64k.bin', 'basic'],
    ['edge-64k.bin', 'edge'],
    ['gc-1408k.bin', 'gc'],
  ] as const;
  for (const [image, folder] of cases) {
    it(`${image}: ls lists exactly ${folder}/, extract writes exactly ${folder}/`, async () => {
      const want = await fixtureFolder(folder);
      const path = join(spiffsFixtures, image);
      const ls = await esp(['fs', 'ls', '--json', path]);
      expect(ls.code, ls.stderr).toBe(0);
      const listed = (JSON.parse(ls.stdout) as { files: Array<{ name: string; size: number }> }).files;
      expect([...listed].sort((a, b) => (a.name < b.name ? -1 : 1))).toEqual(want.map((f) => ({ name: f.name, size: f.data.length })));

      const text = await esp(['fs', 'ls', path]);
      expect(text.code).toBe(0);
      expect(text.stdout.trim().split('\n').map((l) => l.trim().split(/\s+/)).sort((a, b) => (a[1]! < b[1]! ? -1 : 1)))
        .toEqual(want.map((f) => [String(f.data.length), f.name]));

      const dir = join(tempDir(), 'out');
      const ex = await esp(['fs', 'extract', path, dir]);
      expect(ex.code, ex.stderr).toBe(0);
      expect(ex.stdout).toContain(`extracted ${want.length} files`);
      expect(sameFiles(walk(dir), want)).toBe(true);
    }, T);
  }
});

describe('fs build', () => {
  function project(ini: string | undefined, files: Record<string, Uint8Array | string>): string {
    const dir = tempDir();
    if (ini !== undefined) writeFileSync(join(dir, 'platformio.ini'), ini);
    for (const [name, data] of Object.entries(files)) {
      mkdirSync(join(dir, name, '..'), { recursive: true });
      writeFileSync(join(dir, name), data);
    }
    return dir;
  }

  it('takes the data folder, size and output from platformio.ini and its partition table; ls/extract give the folder back; same input, same bytes', async () => {
    const big = gcLarge().subarray(0, 50_000);
    const dir = project(
      '[platformio]\ndefault_envs = board\ndata_dir = site\n[env]\nboard_build.partitions = parts.csv\n[env:other]\n[env:board]\nboard = esp32dev\n',
      {
        'parts.csv': 'nvs, data, nvs, 0x9000, 0x5000\napp0, app, factory, 0x10000, 0x100000\nstorage, data, spiffs, , 0x20000\n',
        'site/index.html': '<h1>hi</h1>',
        'site/empty.txt': '',
        'site/js/deep/er/app.js': 'x()',
        'site/big.bin': big,
        'site/.DS_Store': 'skipped by mkspiffs',
      },
    );
    const r = await esp(['fs', 'build', '--json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const res = JSON.parse(r.stdout) as { out: string; size: number; partition: { label: string; offset: number } };
    expect(res.out).toBe(join(dir, '.pio', 'build', 'board', 'spiffs.bin'));
    expect(res.size).toBe(0x20000);
    expect(res.partition).toMatchObject({ label: 'storage', offset: 0x110000 });
    expect(r.stderr).toMatch(/skipping .*\.DS_Store/);
    const image = readFileSync(res.out);
    expect(image.length).toBe(0x20000);
    expect(checkSpiffs(new Uint8Array(image))).toEqual([]); // every mount rule of docs/spiffs.md §1–§2, §4

    const want = walk(join(dir, 'site')).filter((f) => f.name !== '/.DS_Store');
    const ls = await esp(['fs', 'ls', '--json', res.out]);
    expect((JSON.parse(ls.stdout) as { files: Array<{ name: string; size: number }> }).files).toEqual(want.map((f) => ({ name: f.name, size: f.data.length })));
    const out = join(dir, 'x');
    expect((await esp(['fs', 'extract', res.out, out])).code).toBe(0);
    expect(sameFiles(walk(out), want)).toBe(true);

    // Flags win over the ini; the same folder gives the same bytes.
    const again = await esp(['fs', 'build', '--data', 'site', '--size', '0x20000', '--out', 'again.bin', '--project', dir], { cwd: dir });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/^wrote again\.bin: 4 files \(50014 bytes\) from site in a 131072-byte \(0x20000\) SPIFFS image; \d+ of \d+ pages used\n$/);
    expect(readFileSync(join(dir, 'again.bin')).equals(image)).toBe(true);
  }, T);

  it('without platformio.ini: ./data, the default table\'s spiffs partition (0x160000), ./spiffs.bin', async () => {
    const dir = project(undefined, { 'data/a.txt': 'a' });
    const r = await esp(['fs', 'build'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(dir, 'spiffs.bin')).length).toBe(0x160000);
    expect(r.stdout).toContain("for partition 'spiffs' at 0x290000");
  }, T);

  it('a name longer than SPIFFS allows: error naming the file and the limit, no output file, an existing output untouched', async () => {
    const long = `${'n'.repeat(27)}.txt`; // 31 bytes + leading '/' = 32
    const dir = project(undefined, { [`data/${long}`]: 'x', 'data/ok.txt': 'y' });
    writeFileSync(join(dir, 'keep.bin'), 'old contents');
    const r = await esp(['fs', 'build', '--data', 'data', '--size', '0x10000', '--out', 'keep.bin'], { cwd: dir });
    expectUserError(r, 'fs.name-too-long');
    expect(r.stderr).toContain(`/${long}`);
    expect(r.stderr).toContain('32 bytes, the limit is 31');
    expect(readFileSync(join(dir, 'keep.bin'), 'utf8')).toBe('old contents');
    const r2 = await esp(['fs', 'build', '--data', 'data', '--size', '0x10000', '--out', 'new.bin'], { cwd: dir });
    expectUserError(r2, 'fs.name-too-long');
    expect(existsSync(join(dir, 'new.bin'))).toBe(false);
  }, T);

  it('a folder that does not fit: error naming the folder and the sizes, no output file', async () => {
    const dir = project(undefined, { 'data/big.bin': gcLarge().subarray(0, 60_000) });
    const r = await esp(['fs', 'build', '--data', 'data', '--size', '0x10000', '--out', 'o.bin'], { cwd: dir });
    expectUserError(r, 'fs.too-big');
    expect(r.stderr).toMatch(/data folder \S*data does not fit: 1 file \(60000 bytes\) need \d+ pages of 256 bytes; a 65536-byte \(0x10000\) SPIFFS has \d+ usable pages/);
    expect(existsSync(join(dir, 'o.bin'))).toBe(false);
  }, T);

  it('a missing data folder, a bad size, a table without a filesystem partition: clear errors, no output', async () => {
    const dir = project('[env:e]\nboard_build.partitions = no_fs.csv\n', { 'data/a': 'a' });
    const missing = await esp(['fs', 'build', '--data', 'nowhere', '--size', '0x10000', '--out', 'o.bin'], { cwd: dir });
    expectUserError(missing, 'fs.no-data-dir');
    expect(missing.stderr).toContain('nowhere does not exist');
    const bad = await esp(['fs', 'build', '--size', '0x10001', '--out', 'o.bin'], { cwd: dir });
    expectUserError(bad, 'fs.bad-size');
    const nofs = await esp(['fs', 'build', '--out', 'o.bin'], { cwd: dir });
    expectUserError(nofs, 'fs.no-partition');
    expect(nofs.stderr).toContain('no_fs.csv has no filesystem partition');
    const env = await esp(['fs', 'build', '--env', 'nope'], { cwd: dir });
    expectUserError(env, 'ini.unknown-env');
    writeFileSync(join(dir, 'platformio.ini'), '[env:e]\nboard_build.filesystem = fatfs\n');
    const fat = await esp(['fs', 'build', '--out', 'o.bin'], { cwd: dir });
    expectUserError(fat, 'fs.unsupported-filesystem');
    expect(fat.stderr).toContain('board_build.filesystem = fatfs');
    expect(existsSync(join(dir, 'o.bin'))).toBe(false);
  }, T);
});

/** A 192 KB flash dump: the table at 0x8000 and a 64 KB SPIFFS image of the given files at each offset. */
function writeDump(path: string, tableCsv: string, volumes: Record<number, Record<string, string>>): void {
  const dump = new Uint8Array(0x30000).fill(0xff);
  dump.set(encodePartitionTable(parsePartitionCsv(tableCsv)), 0x8000);
  for (const [offset, files] of Object.entries(volumes)) {
    dump.set(buildSpiffs(Object.entries(files).map(([name, text]) => ({ name, data: new TextEncoder().encode(text) })), 0x10000), Number(offset));
  }
  writeFileSync(path, dump);
}

describe('fs ls / extract: flash dumps and bad images', () => {
  it('reads the filesystem partition of a full flash dump through its partition table', async () => {
    const dir = tempDir();
    writeDump(join(dir, 'flash.bin'), 'nvs, data, nvs, 0x9000, 0x5000\napp0, app, factory, 0x10000, 0x10000\nfs, data, spiffs, 0x20000, 0x10000\n',
      { 0x20000: { '/in-flash.txt': 'from the dump' } });
    const r = await esp(['fs', 'ls', 'flash.bin'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('  13  /in-flash.txt\n');
    expect(r.stderr).toContain("reading partition 'fs' at 0x20000");
    const given = await esp(['fs', 'ls', '--json', '--offset', '0x20000', '--size', '0x10000', 'flash.bin'], { cwd: dir });
    expect((JSON.parse(given.stdout) as { files: unknown[] }).files).toEqual([{ name: '/in-flash.txt', size: 13 }]);
    expectUserError(await esp(['fs', 'ls', '--partition', 'nvs', 'flash.bin'], { cwd: dir }), 'fs.not-spiffs');
    expectUserError(await esp(['fs', 'ls', '--partition', 'nope', 'flash.bin'], { cwd: dir }), 'fs.no-partition');
    expectUserError(await esp(['fs', 'ls', '--offset', '0x28000', '--size', '0x10000', 'flash.bin'], { cwd: dir }), 'fs.bad-region');
  }, T);

  it('a dump with two spiffs partitions: reads the last (PlatformIO\'s) and notes the one the board mounts', async () => {
    const dir = tempDir();
    writeDump(join(dir, 'flash.bin'), 'nvs, data, nvs, 0x9000, 0x5000\nspiffs, data, spiffs, 0x10000, 0x10000\nwww, data, spiffs, 0x20000, 0x10000\n',
      { 0x10000: { '/mounted.txt': 'seen' }, 0x20000: { '/unseen.txt': 'never served' } });
    const last = await esp(['fs', 'ls', 'flash.bin'], { cwd: dir });
    expect(last.stdout).toBe('  12  /unseen.txt\n');
    expect(last.stderr).toContain("the board mounts 'spiffs' at 0x10000 (SPIFFS.begin() takes the first spiffs partition); --partition spiffs for the files it serves");
    const first = await esp(['fs', 'ls', '--partition', 'spiffs', 'flash.bin'], { cwd: dir });
    expect(first.stdout).toBe('   4  /mounted.txt\n');
    expect(first.stderr).not.toContain('the board mounts');
  }, T);

  it('a corrupt image is a typed error naming the page, and extract writes nothing', async () => {
    const dir = tempDir();
    const img = readFileSync(join(spiffsFixtures, 'basic-64k.bin'));
    img[0x100 + 13] = 0; // the first file's header page loses its name
    writeFileSync(join(dir, 'bad.bin'), img);
    const ls = await esp(['fs', 'ls', 'bad.bin'], { cwd: dir });
    expectUserError(ls, 'fs.corrupt');
    expect(ls.stderr).toMatch(/at page 1 \(offset 0x100\)/);
    const ex = await esp(['fs', 'extract', 'bad.bin', 'out'], { cwd: dir });
    expectUserError(ex, 'fs.corrupt');
    expect(existsSync(join(dir, 'out'))).toBe(false);
    writeFileSync(join(dir, 'blank.bin'), new Uint8Array(0x10000).fill(0xff));
    expectUserError(await esp(['fs', 'ls', 'blank.bin'], { cwd: dir }), 'fs.not-spiffs');
    expectUserError(await esp(['fs', 'ls', 'missing.bin'], { cwd: dir }), 'fs.no-image');
  }, T);

  it('names that would escape the target folder are refused before anything is written', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'evil.bin'), buildSpiffs([{ name: '/a.txt', data: new Uint8Array([1]) }, { name: '/../escape.txt', data: new Uint8Array([2]) }], 0x10000));
    const r = await esp(['fs', 'extract', 'evil.bin', 'out'], { cwd: dir });
    expectUserError(r, 'fs.unsafe-name');
    expect(r.stderr).toContain('"/../escape.txt"');
    expect(existsSync(join(dir, 'out'))).toBe(false);
    expect(existsSync(join(dir, 'escape.txt'))).toBe(false);
  }, T);
});

describe('fs ls / extract: names that hold control characters (issue 14)', () => {
  it('ls prints them escaped, --json keeps them exact; extract writes the exact name and prints no control character', async () => {
    const dir = tempDir();
    const name = '/a\x1b[2J\nb\x9b.txt';
    writeFileSync(join(dir, 'esc.bin'), buildSpiffs([{ name, data: new TextEncoder().encode('hi') }, { name: '/ok.txt', data: new Uint8Array(3) }], 0x10000));
    const ls = await esp(['fs', 'ls', 'esc.bin'], { cwd: dir });
    expect(ls.code, ls.stderr).toBe(0);
    expect(ls.stdout).toContain('   2  /a\\x1b[2J\\nb\\u009b.txt\n');
    expect(ls.stdout).not.toMatch(/[\x1b\x9b]/);
    expect(ls.stdout.split('\n')).toHaveLength(3);
    const json = await esp(['fs', 'ls', '--json', 'esc.bin'], { cwd: dir });
    expect((JSON.parse(json.stdout) as { files: Array<{ name: string }> }).files.map((f) => f.name)).toContain(name);
    expect(json.stdout).not.toMatch(/[\x1b\x9b]/);
    const ex = await esp(['fs', 'extract', 'esc.bin', 'out'], { cwd: dir });
    expect(ex.code, ex.stderr).toBe(0);
    expect(readFileSync(join(dir, 'out', name.slice(1)), 'utf8')).toBe('hi');
    expect(ex.stdout + ex.stderr).not.toMatch(/[\x1b\x9b]/);
  }, T);
});

