/**
 * Project settings as the commands load them (platformio.ini in a real folder, environment
 * variables passed in), partition table resolution, and the SPIFFS locate/extract helpers.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../src/errors.js';
import { encodePartitionTable } from '../src/formats/partition-binary.js';
import { builtinTables } from '../src/formats/partition-builtin.js';
import { parsePartitionCsv } from '../src/formats/partition-csv.js';
import { buildSpiffs } from '../src/formats/spiffs-builder.js';
import { locateSpiffs } from '../src/formats/spiffs-locate.js';
import { extractPath } from '../src/settings/fs-image.js';
import { resolvePartitionTable } from '../src/settings/partition-table.js';
import { DEFAULT_FLASH_SIZE, loadProjectSettings } from '../src/settings/project.js';
import { tempDir } from './fs-helpers.js';

async function codeOf(p: Promise<unknown> | (() => unknown)): Promise<string> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    if (e instanceof UserError) return e.code;
    throw e;
  }
  throw new Error('expected a UserError');
}

describe('loadProjectSettings', () => {
  it('without platformio.ini: PlatformIO defaults, PLATFORMIO_*_DIR honoured; --env is an error', async () => {
    const dir = tempDir();
    const s = await loadProjectSettings(dir, undefined, {});
    expect(s).toMatchObject({ iniFound: false, dataDir: join(dir, 'data'), buildDir: join(dir, '.pio', 'build'), filesystem: 'spiffs', partitions: 'default.csv', flashSize: DEFAULT_FLASH_SIZE, upload: {} });
    expect(s.env).toBeUndefined();
    const v = await loadProjectSettings(dir, undefined, { PLATFORMIO_DATA_DIR: 'www', PLATFORMIO_WORKSPACE_DIR: '/ws' });
    expect([v.dataDir, v.buildDir]).toEqual([join(dir, 'www'), '/ws/build']);
    expect((await v.partitionTable()).map((p) => p.label)).toEqual(['nvs', 'otadata', 'app0', 'app1', 'spiffs', 'coredump']);
    expect(await codeOf(loadProjectSettings(dir, 'esp32dev', {}))).toBe('project.no-ini');
  });

  it('reads the selected env through [env] and extends, with ${sysenv} and PLATFORMIO_UPLOAD_PORT', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'platformio.ini'), [
      '[platformio]', 'default_envs = b', 'data_dir = www', 'build_dir = out',
      '[env]', 'upload_speed = 115200', 'monitor_speed = 9600',
      '[common]', 'upload_port = /dev/tty${sysenv.PORT_SUFFIX}',
      '[env:a]', 'upload_speed = 1',
      '[env:b]', 'extends = common', 'upload_speed = 921600', 'board_build.partitions = huge_app.csv', '',
    ].join('\n'));
    const b = await loadProjectSettings(dir, undefined, { PORT_SUFFIX: 'ACM0' });
    expect(b).toMatchObject({ iniFound: true, env: 'b', dataDir: join(dir, 'www'), buildDir: join(dir, 'out', 'b'), partitions: 'huge_app.csv', upload: { uploadPort: '/dev/ttyACM0', uploadSpeed: '921600' }, monitorSpeed: '9600' });
    expect((await b.partitionTable()).find((p) => p.label === 'spiffs')).toMatchObject({ offset: 0x310000, size: 0xe0000 });
    const a = await loadProjectSettings(dir, 'a', { PLATFORMIO_UPLOAD_PORT: 'COM7' });
    expect(a.upload).toEqual({ uploadPort: 'COM7', uploadSpeed: '1' });
    expect(await codeOf(loadProjectSettings(dir, 'c', {}))).toBe('ini.unknown-env');
  });

  it('a broken platformio.ini is an ini.bad-syntax error naming the file and line', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'platformio.ini'), '[env:a]\nboard esp32dev\n');
    await expect(loadProjectSettings(dir, undefined, {})).rejects.toThrow(`${join(dir, 'platformio.ini')}:2: 'board esp32dev' is not 'name = value'`);
  });
});

describe('resolvePartitionTable', () => {
  it('built-in names first (as PlatformIO: the framework folder), then project files, CSV or binary', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'default.csv'), 'x, data, nvs, 0x9000, 0x1000\n');
    expect((await resolvePartitionTable('default.csv', dir)).source).toBe('built-in default.csv');
    mkdirSync(join(dir, 'p'));
    writeFileSync(join(dir, 'p', 't.csv'), 'only, data, spiffs, , 64K\n');
    expect((await resolvePartitionTable('p/t.csv', dir)).entries).toMatchObject([{ label: 'only', offset: 0x9000, size: 0x10000 }]);
    writeFileSync(join(dir, 'p', 't.bin'), encodePartitionTable(parsePartitionCsv(builtinTables['no_ota.csv']!)));
    const bin = await resolvePartitionTable('p/t.bin', dir);
    expect(bin.format).toBe('binary');
    expect(bin.entries.map((e) => e.label)).toEqual(['nvs', 'otadata', 'app0', 'spiffs', 'coredump']);
  });

  it('a missing file lists the built-in names; a table larger than the flash is refused with the file named', async () => {
    const dir = tempDir();
    await expect(resolvePartitionTable('nope.csv', dir)).rejects.toMatchObject({ code: 'partitions.not-found', hint: expect.stringContaining('min_spiffs.csv') });
    await expect(resolvePartitionTable('default_16MB.csv', dir, 0x400000)).rejects.toMatchObject({ code: 'partitions.too-big-for-flash', message: expect.stringMatching(/^built-in default_16MB\.csv: /) });
  });
});

describe('locateSpiffs', () => {
  const table = encodePartitionTable(parsePartitionCsv('nvs, data, nvs, 0x9000, 0x5000\nfs, data, spiffs, 0x10000, 0x10000\nfs2, data, spiffs, 0x20000, 0x10000\n'));
  it('a plain image is used whole; a flash dump by its last filesystem partition or by label; a range as given', () => {
    const img = buildSpiffs([], 0x10000);
    expect(locateSpiffs(img)).toMatchObject({ from: 'image', offset: 0, size: 0x10000 });
    const dump = new Uint8Array(0x30000).fill(0xff);
    dump.set(table, 0x8000);
    expect(locateSpiffs(dump)).toMatchObject({ from: 'flash', label: 'fs2', offset: 0x20000, size: 0x10000 });
    expect(locateSpiffs(dump, { label: 'fs' })).toMatchObject({ from: 'flash', label: 'fs', offset: 0x10000 });
    expect(locateSpiffs(dump, { offset: 0x10000, size: 0x1000 }).image.length).toBe(0x1000);
  });
  it('errors: range outside the file, partition past the end of a short dump, unknown label, label on a plain image', async () => {
    const dump = new Uint8Array(0x28000).fill(0xff);
    dump.set(table, 0x8000);
    expect(await codeOf(() => locateSpiffs(dump, { offset: 0x20000, size: 0x10000 }))).toBe('fs.bad-region');
    expect(await codeOf(() => locateSpiffs(dump))).toBe('fs.bad-region');
    expect(await codeOf(() => locateSpiffs(dump, { label: 'x' }))).toBe('fs.no-partition');
    expect(await codeOf(() => locateSpiffs(new Uint8Array(0x10000), { label: 'fs' }))).toBe('fs.no-partition');
  });
});

describe('extractPath', () => {
  it('maps SPIFFS names to relative paths and refuses names that climb out or are empty', async () => {
    expect(extractPath('/a/b.txt')).toEqual(['a', 'b.txt']);
    expect(extractPath('noslash')).toEqual(['noslash']);
    for (const bad of ['/../x', '/a/../../x', '//x', '/a/', '/./x', '/', '/a\\..\\x']) {
      expect(await codeOf(() => extractPath(bad))).toBe('fs.unsafe-name');
    }
  });
});
