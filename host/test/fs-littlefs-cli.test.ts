/**
 * LittleFS through every filesystem command (issue 15, items 2 and 4), as a user runs them: the
 * compiled CLI in a subprocess, a temporary project with `board_build.filesystem = littlefs`,
 * and for uploadfs / fs pull an emulator (`esp-sse emulate`) whose flash is written and read.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readFsImage } from '../src/formats/fs-volume.js';
import { mountLittlefs } from '../src/formats/littlefs-reader.js';
import { cliTimeoutMs, makeProject, runCli, startEmulatorProcess, type EmulatorProcess } from './flash-helpers.js';
import { esp, expectUserError, requireBuiltCli, sameFiles, tempDir, walk } from './fs-helpers.js';

requireBuiltCli();

const T = 60_000;
const pattern = (n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 31 + (i >> 8)) & 0xff);

/** A project folder: platformio.ini (`filesystem` set when given) and data/ with `files`. */
function project(filesystem: string | undefined, files: Record<string, string | Uint8Array>): string {
  const dir = tempDir('esp-sse-lfs-');
  writeFileSync(join(dir, 'platformio.ini'), `[env:esp32dev]\nboard = esp32dev\n${filesystem ? `board_build.filesystem = ${filesystem}\n` : ''}`);
  for (const [name, data] of Object.entries(files)) {
    mkdirSync(join(dir, 'data', name, '..'), { recursive: true });
    writeFileSync(join(dir, 'data', name), data);
  }
  return dir;
}

const site = {
  'index.html': '<h1>littlefs</h1>',
  'css/style.css': 'body { color: teal }',
  'js/deep/app.js': pattern(9000), // a CTZ list of three blocks
  'empty.txt': '',
};

describe('fs build / ls / extract with a LittleFS project', () => {
  it('fs build makes the LittleFS image of the data folder for the filesystem partition; fs ls lists it and says LittleFS; extract gives the folder back; same folder, same bytes', async () => {
    const dir = project('littlefs', site);
    const r = await esp(['fs', 'build', '--json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const res = JSON.parse(r.stdout) as { out: string; fsType: string; size: number; partition: { label: string } };
    expect(res).toMatchObject({ out: join(dir, '.pio', 'build', 'esp32dev', 'littlefs.bin'), fsType: 'littlefs', size: 0x160000, partition: { label: 'spiffs' } });
    const image = new Uint8Array(readFileSync(res.out));
    expect(image.length).toBe(0x160000);
    // PlatformIO's mklittlefs layout: disk version 2.0, names up to 32 bytes, 4096-byte blocks.
    expect(mountLittlefs(image).superblock).toMatchObject({ version: 0x20000, nameMax: 32, blockSize: 4096, blockCount: 0x160 });

    const want = walk(join(dir, 'data'));
    const ls = await esp(['fs', 'ls', res.out]);
    expect(ls.code, ls.stderr).toBe(0);
    expect(ls.stdout.trim().split('\n').map((l) => l.trim().split(/\s+/))).toEqual(want.map((f) => [String(f.data.length), f.name]));
    expect(ls.stderr).toContain('reading a LittleFS image (recognised from its contents)');
    const json = JSON.parse((await esp(['fs', 'ls', '--json', res.out])).stdout) as { fsType: string; files: Array<{ name: string; size: number }> };
    expect(json.fsType).toBe('littlefs');
    expect(json.files).toEqual(want.map((f) => ({ name: f.name, size: f.data.length })));

    const out = join(dir, 'back');
    const ex = await esp(['fs', 'extract', res.out, out]);
    expect(ex.stdout).toContain(`extracted ${want.length} files`);
    expect(ex.stdout).toContain('of a LittleFS image');
    expect(sameFiles(walk(out), want)).toBe(true);

    const again = await esp(['fs', 'build', '--out', 'again.bin'], { cwd: dir });
    expect(again.stdout).toMatch(/in a 1441792-byte \(0x160000\) LittleFS image for partition 'spiffs' at 0x290000; \d+ of 352 blocks used/);
    expect(readFileSync(join(dir, 'again.bin')).equals(Buffer.from(image))).toBe(true);
    // --fs-type wins over platformio.ini, and over the contents for ls.
    const spiffs = await esp(['fs', 'build', '--fs-type', 'spiffs', '--out', 'spiffs.bin'], { cwd: dir });
    expect(spiffs.stdout).toContain('SPIFFS image');
    expect((await esp(['fs', 'ls', join(dir, 'spiffs.bin')])).stderr).toContain('reading a SPIFFS image');
    expectUserError(await esp(['fs', 'ls', '--fs-type', 'littlefs', join(dir, 'spiffs.bin')]), 'fs.littlefs-not-found');
  }, T);

  it('a name too long for LittleFS (33 bytes), a folder too big: refused before writing; an unknown filesystem names the supported ones', async () => {
    const long = `${'n'.repeat(29)}.txt`; // 33 bytes
    const dir = project('littlefs', { [long]: 'x' });
    const r = await esp(['fs', 'build', '--out', 'o.bin'], { cwd: dir });
    expectUserError(r, 'fs.littlefs-name-too-long');
    expect(r.stderr).toContain(long);
    const big = project('littlefs', { 'a.bin': pattern(20_000) });
    const tooBig = await esp(['fs', 'build', '--size', '0x4000', '--out', 'o.bin'], { cwd: big });
    expectUserError(tooBig, 'fs.littlefs-too-big');
    expect(tooBig.stderr).toMatch(/data folder \S+ does not fit/);
    const fat = project('fatfs', { 'a.txt': 'a' });
    const unknown = await esp(['fs', 'build', '--out', 'o.bin'], { cwd: fat });
    expectUserError(unknown, 'fs.unsupported-filesystem');
    expect(unknown.stderr).toContain('board_build.filesystem = fatfs');
    expect(unknown.stderr).toContain('spiffs and littlefs');
    const flag = await esp(['fs', 'build', '--fs-type', 'fat', '--out', 'o.bin'], { cwd: dir });
    expectUserError(flag, 'fs.unsupported-filesystem');
    expect(flag.stderr).toContain('--fs-type = fat is not supported; esp-sse handles spiffs and littlefs');
    for (const d of [dir, big, fat]) expect(existsSync(join(d, 'o.bin'))).toBe(false);
  }, T);
});

describe('fs convert', () => {
  it('spiffs → littlefs → spiffs keeps the files, and gives back the very bytes fs build makes', async () => {
    const dir = project(undefined, site);
    expect((await esp(['fs', 'build', '--size', '0x40000', '--out', 'a.bin'], { cwd: dir })).code).toBe(0);
    const toLfs = await esp(['fs', 'convert', 'a.bin', 'b.bin'], { cwd: dir });
    expect(toLfs.code, toLfs.stderr).toBe(0);
    expect(toLfs.stdout).toBe(`wrote b.bin: 4 files (9037 bytes) from the SPIFFS image a.bin, as a 262144-byte (0x40000) LittleFS image\n`);
    const lfs = new Uint8Array(readFileSync(join(dir, 'b.bin')));
    expect(readFsImage(lfs)).toMatchObject({ type: 'littlefs' });
    expect((await esp(['fs', 'ls', 'b.bin'], { cwd: dir })).stderr).toContain('LittleFS');
    const back = await esp(['fs', 'convert', 'b.bin', 'c.bin', '--to', 'spiffs'], { cwd: dir });
    expect(back.code, back.stderr).toBe(0);
    expect(readFileSync(join(dir, 'c.bin')).equals(readFileSync(join(dir, 'a.bin')))).toBe(true);
    const out = join(dir, 'files');
    expect((await esp(['fs', 'extract', 'c.bin', out], { cwd: dir })).code).toBe(0);
    expect(sameFiles(walk(out), walk(join(dir, 'data')))).toBe(true);
    // --size: a bigger image of the same files.
    expect((await esp(['fs', 'convert', 'a.bin', 'd.bin', '--size', '0x80000'], { cwd: dir })).code).toBe(0);
    expect(readFileSync(join(dir, 'd.bin')).length).toBe(0x80000);
  }, T);

  it('refused, with nothing written: files that do not fit, a name too long for SPIFFS, an unknown --to', async () => {
    const name = `/${'n'.repeat(27)}.txt`; // 32 bytes: fine for LittleFS (32), too long for SPIFFS (31)
    const dir = project('littlefs', { [name.slice(1)]: 'x', 'big.bin': pattern(40_000) });
    expect((await esp(['fs', 'build', '--size', '0x20000', '--out', 'l.bin'], { cwd: dir })).code).toBe(0);
    writeFileSync(join(dir, 'keep.bin'), 'untouched');
    const tooLong = await esp(['fs', 'convert', 'l.bin', 'keep.bin'], { cwd: dir });
    expectUserError(tooLong, 'fs.name-too-long');
    expect(tooLong.stderr).toContain(name);
    expect(readFileSync(join(dir, 'keep.bin'), 'utf8')).toBe('untouched');
    const small = await esp(['fs', 'convert', 'l.bin', 'small.bin', '--to', 'littlefs', '--size', '0x4000'], { cwd: dir });
    expectUserError(small, 'fs.littlefs-too-big');
    expectUserError(await esp(['fs', 'convert', 'l.bin', 'small.bin', '--to', 'fatfs'], { cwd: dir }), 'fs.unsupported-filesystem');
    expect(existsSync(join(dir, 'small.bin'))).toBe(false);
  }, T);
});

describe('uploadfs and fs pull of LittleFS, against the emulator', () => {
  const running: EmulatorProcess[] = [];
  afterEach(async () => {
    for (const e of running.splice(0)) await e.stop();
  });

  it('uploadfs --fs-type littlefs writes the LittleFS image; fs pull (board_build.filesystem = littlefs) gets the same files back', async () => {
    const e = await startEmulatorProcess();
    running.push(e);
    const files = { 'index.html': '<h1>from littlefs</h1>', 'www/app.js': pattern(5000) };
    const p = makeProject(files); // platformio.ini without board_build.filesystem: spiffs unless --fs-type
    const up = await runCli(['uploadfs', '--project', p.dir, '--fs-type', 'littlefs', '--port', e.port, '--baud', '921600']);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout).toMatch(/ok, 1 image \(1 written, 0 skipped\)/);

    const lfsProject = project('littlefs', {});
    const out = join(lfsProject, 'pulled');
    const raw = join(lfsProject, 'raw.bin');
    const pull = await runCli(['fs', 'pull', out, '--image', raw, '--port', e.port, '--baud', '921600'], { cwd: lfsProject });
    expect(pull.code, pull.stderr).toBe(0);
    expect(pull.stdout).toContain(`from partition 'spiffs' at 0x290000 into ${out} (a LittleFS volume)`);
    expect(sameFiles(walk(out), walk(p.dataDir))).toBe(true);
    expect(readFsImage(new Uint8Array(readFileSync(raw))).type).toBe('littlefs');
  }, cliTimeoutMs);

  it('a LittleFS sketch in the emulator: fs build → uploadfs → the board resets → the new page is served', async () => {
    const dir = project('littlefs', { 'index.html': '<h1>first</h1>' });
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src', 'main.cpp'), littlefsSketch);
    const e = await startEmulatorProcess({ project: dir });
    running.push(e);
    await e.waitForSerial(/HTTP server started/, 1);
    expect(await page(e.url)).toBe('<h1>first</h1>');

    writeFileSync(join(dir, 'data', 'index.html'), '<h1>second</h1>');
    const image = join(dir, 'lfs.bin');
    const built = await runCli(['fs', 'build', '--out', image], { cwd: dir });
    expect(built.code, built.stderr).toBe(0);
    const up = await runCli(['uploadfs', '--image', image, '--port', e.port, '--baud', '921600'], { cwd: dir });
    expect(up.code, up.stderr).toBe(0);
    // esptool's hard reset after the write: the sketch boots again and mounts the new image.
    await e.waitForSerial(/HTTP server started/, 2);
    expect(await page(e.url)).toBe('<h1>second</h1>');
  }, 4 * cliTimeoutMs);
});

/** A sketch that serves its LittleFS data folder, as tutorial sketches do. */
const littlefsSketch = `#include <Arduino.h>
#include <LittleFS.h>
#include <WiFi.h>
#include <ESPAsyncWebServer.h>

AsyncWebServer server(80);

void setup() {
  Serial.begin(115200);
  WiFi.mode(WIFI_STA);
  WiFi.begin("ssid", "password");
  if (!LittleFS.begin(true)) Serial.println("LittleFS mount failed");
  server.serveStatic("/", LittleFS, "/").setDefaultFile("index.html");
  server.begin();
  Serial.println("HTTP server started");
}

void loop() { delay(100); }
`;

async function page(url: string): Promise<string> {
  const res = await fetch(url);
  return res.text();
}
