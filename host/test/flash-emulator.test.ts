import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { emulatorAppImage, emulatorBootloaderImage } from '../src/emulator/boot/default-images.js';
import { encodePartitionTable } from '../src/formats/partition-binary.js';
import { parsePartitionCsv } from '../src/formats/partition-csv.js';
import { readSpiffs } from '../src/formats/spiffs-reader.js';
import { cliTimeoutMs, makeProject, runCli, startEmulatorProcess, type EmulatorProcess } from './flash-helpers.js';
import { sameFiles, walk } from './fs-helpers.js';

/**
 * Both sides as shipped: `esp-sse emulate --rfc2217-port 0` (boots from its flash) and the
 * flasher CLI, each a subprocess. After the flasher's EN pulse the emulator boots what was
 * written and serves the new page over HTTP.
 */
const running: EmulatorProcess[] = [];
afterEach(async () => {
  for (const e of running.splice(0)) await e.stop();
});
async function emulator(): Promise<EmulatorProcess> {
  const e = await startEmulatorProcess();
  running.push(e);
  await e.waitForSerial(/HTTP server started/, 1);
  return e;
}
const page = async (url: string) => (await fetch(url)).text();

describe('flashing the emulator, which then boots what was written', () => {
  it('uploadfs --data DIR: after the reset the board serves the new page', async () => {
    const e = await emulator();
    expect(await page(e.url)).not.toContain('uploaded by uploadfs');
    const p = makeProject({ 'index.html': '<h1>uploaded by uploadfs</h1>' });
    // no platformio.ini where it runs: PlatformIO's defaults (Arduino default.csv, spiffs at 0x290000)
    const run = await runCli(['uploadfs', '--data', p.dataDir, '--port', e.port, '--baud', '921600'], { cwd: mkdtempSync(join(tmpdir(), 'esp-sse-noini-')) });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/ok, 1 image \(1 written, 0 skipped\)/);
    await e.waitForSerial(/HTTP server started/, 2);
    expect(await page(e.url)).toBe('<h1>uploaded by uploadfs</h1>');
  }, cliTimeoutMs);

  it('flash --fs writes bootloader, table, otadata, app and SPIFFS; the board boots them and serves the page; read-flash returns the app', async () => {
    const e = await emulator();
    const p = makeProject({ 'index.html': '<p>everything flashed</p>' });
    const app = emulatorAppImage('9.8.7');
    writeFileSync(join(p.buildDir, 'bootloader.bin'), emulatorBootloaderImage());
    writeFileSync(join(p.buildDir, 'firmware.bin'), app);
    const run = await runCli(['flash', '--project', p.dir, '--port', e.port, '--baud', '921600', '--fs', '--force']);
    expect(run.stderr).toMatch(/firmware\.bin: wrote \d+ bytes \(\d+ compressed\) at 0x00010000 .* hash verified/);
    expect(run.code).toBe(0);
    await e.waitForSerial(/HTTP server started/, 2);
    expect(e.serial.split('SPIFFS mounted successfully').length - 1).toBe(2);
    expect(await page(e.url)).toBe('<p>everything flashed</p>');

    const out = join(p.dir, 'app-back.bin');
    const read = await runCli(['read-flash', '--port', e.port, '--baud', '921600', '0x10000', String(app.length), out]);
    expect(read.code).toBe(0);
    expect(new Uint8Array(readFileSync(out))).toEqual(app);
  }, cliTimeoutMs);

  it('a table with two spiffs partitions: fs build, flash --fs and uploadfs warn that the board mounts the first, and indeed it never serves the files written to the last; uploadfs --partition with the first does', async () => {
    const e = await emulator();
    const fresh = '<h1>two spiffs</h1>';
    const p = makeProject({ 'index.html': fresh }, { ini: '[env:esp32dev]\nplatform = espressif32\nboard = esp32dev\nframework = arduino\nboard_build.partitions = two.csv\n' });
    const table = 'nvs, data, nvs, 0x9000, 0x5000\notadata, data, ota, 0xe000, 0x2000\napp0, app, ota_0, 0x10000, 0x140000\n' +
      'app1, app, ota_1, 0x150000, 0x140000\nspiffs, data, spiffs, 0x290000, 0xb0000\nwww, data, spiffs, 0x340000, 0xb0000\n';
    writeFileSync(join(p.dir, 'two.csv'), table);
    writeFileSync(join(p.buildDir, 'partitions.bin'), encodePartitionTable(parsePartitionCsv(table)));
    writeFileSync(join(p.buildDir, 'bootloader.bin'), emulatorBootloaderImage());
    writeFileSync(join(p.buildDir, 'firmware.bin'), emulatorAppImage('2.0.0'));
    const warning = "warning[fs.not-mounted]: the image is for spiffs partition 'www' at 0x340000, but SPIFFS.begin() mounts the first spiffs partition, 'spiffs' at 0x290000";
    const built = await runCli(['fs', 'build', '--project', p.dir]);
    expect(built.code).toBe(0);
    expect(built.stderr).toContain(warning);

    const flashed = await runCli(['flash', '--project', p.dir, '--port', e.port, '--baud', '921600', '--force', '--fs']);
    expect(flashed.code).toBe(0);
    expect(flashed.stderr).toContain(warning);
    await e.waitForSerial(/HTTP server started/, 2);
    expect(await page(e.url)).not.toBe(fresh); // written to 'www'; the board mounts 'spiffs'

    const last = await runCli(['uploadfs', '--project', p.dir, '--port', e.port, '--baud', '921600', '--force']);
    expect(last.code).toBe(0);
    expect(last.stderr).toContain(warning);
    expect(last.stderr).toContain("  hint: write the image to 'spiffs', the partition the board mounts (uploadfs --partition spiffs)");
    await e.waitForSerial(/HTTP server started/, 3);
    expect(await page(e.url)).not.toBe(fresh);

    const first = await runCli(['uploadfs', '--project', p.dir, '--port', e.port, '--baud', '921600', '--partition', 'spiffs']);
    expect(first.code).toBe(0);
    expect(first.stderr).not.toContain('warning[');
    await e.waitForSerial(/HTTP server started/, 4);
    expect(await page(e.url)).toBe(fresh);
  }, cliTimeoutMs);

  it('over the pseudo-terminal of esp-sse emulate --pty --boot-mode download: the full build and --fs, read back byte for byte', async () => {
    const e = await startEmulatorProcess({ pty: true });
    running.push(e);
    const p = makeProject({ 'index.html': '<p>over a pty</p>' });
    const app = emulatorAppImage('1.2.3');
    writeFileSync(join(p.buildDir, 'bootloader.bin'), emulatorBootloaderImage());
    writeFileSync(join(p.buildDir, 'firmware.bin'), app);
    const noReset = ['--port', e.port, '--before', 'no_reset', '--after', 'no_reset'];
    const run = await runCli(['flash', '--project', p.dir, ...noReset, '--baud', '921600', '--fs', '--force', '--json']);
    expect(run.code).toBe(0);
    const images = (JSON.parse(run.stdout) as { boards: { result: { images: { address: number; status: string }[] } }[] }).boards[0]!.result.images;
    expect(images.map((i) => [i.address, i.status])).toEqual([[0x1000, 'written'], [0x8000, 'written'], [0xe000, 'written'], [0x10000, 'written'], [0x290000, 'written']]);
    const out = join(p.dir, 'app-back.bin');
    expect((await runCli(['read-flash', ...noReset, '0x10000', String(app.length), out])).code).toBe(0);
    expect(new Uint8Array(readFileSync(out))).toEqual(app);
    const fsOut = join(p.dir, 'fs-back.bin');
    expect((await runCli(['read-flash', ...noReset, '--baud', '921600', '0x290000', '0x160000', fsOut])).code).toBe(0);
    const files = readSpiffs(new Uint8Array(readFileSync(fsOut))).files;
    expect(files.map((f) => [f.name, Buffer.from(f.data).toString()])).toEqual([['/index.html', '<p>over a pty</p>']]);
  }, cliTimeoutMs);

  it('fs pull: the files the board serves, from the partition its own table names, MD5-verified; --image keeps the raw partition; the board then runs again', async () => {
    const e = await emulator();
    const dir = mkdtempSync(join(tmpdir(), 'esp-sse-pull-'));
    const out = join(dir, 'pulled');
    const image = join(dir, 'spiffs.bin');
    const run = await runCli(['fs', 'pull', out, '--port', e.port, '--baud', '921600', '--image', image]);
    expect(run.code, run.stderr).toBe(0);
    const data = walk(resolve(import.meta.dirname, '../../firmware/data'));
    const bytes = data.reduce((n, f) => n + f.data.length, 0);
    expect(run.stdout).toContain(`pulled ${data.length} file${data.length === 1 ? '' : 's'} (${bytes} bytes) from partition 'spiffs' at 0x290000 into ${out}`);
    expect(sameFiles(walk(out), data)).toBe(true); // the emulator's flash holds firmware/data, as PlatformIO lays it out
    const raw = new Uint8Array(readFileSync(image));
    expect(raw.length).toBe(0x160000);
    expect(readSpiffs(raw).files.map((f) => f.name).sort()).toEqual(data.map((f) => f.name).sort());
    await e.waitForSerial(/HTTP server started/, 2); // --after hard_reset: the app boots again
    expect(await page(e.url)).toBe(Buffer.from(data.find((f) => f.name === '/index.html')!.data).toString());
  }, cliTimeoutMs);

  it('fs pull: a partition that is not SPIFFS, a label the table lacks, an erased board: coded errors, exit 2, nothing written', async () => {
    const e = await emulator();
    const out = join(mkdtempSync(join(tmpdir(), 'esp-sse-pull-')), 'pulled');
    const nvs = await runCli(['fs', 'pull', out, '--port', e.port, '--partition', 'nvs']);
    expect(nvs.stderr).toContain("error[fs.unsupported-filesystem]: partition 'nvs' is not a spiffs partition");
    expect(nvs.code).toBe(2);
    const none = await runCli(['fs', 'pull', out, '--port', e.port, '--partition', 'www']);
    expect(none.stderr).toMatch(/error\[fs\.no-partition\]: the board's partition table has no partition named 'www' \(it has: nvs, otadata, app0, app1, spiffs, coredump\)/);
    expect(none.code).toBe(2);
    expect((await runCli(['erase', '--port', e.port])).code).toBe(0);
    const erased = await runCli(['fs', 'pull', out, '--port', e.port]);
    expect(erased.stderr).toContain('error[fs.no-partition]: the board holds no partition table at 0x8000');
    expect(erased.code).toBe(2);
    expect(existsSync(out)).toBe(false);
  }, cliTimeoutMs);
});
