import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { emulatorAppImage, emulatorBootloaderImage } from '../src/emulator/boot/default-images.js';
import { cliTimeoutMs, makeProject, runCli, startEmulatorProcess, type EmulatorProcess } from './flash-helpers.js';

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
    expect(run.stdout).toMatch(/ok, 1 images \(1 written, 0 skipped\)/);
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
});
