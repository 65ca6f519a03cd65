/**
 * The emulator boots from its flash as a board does: the page comes out of the SPIFFS partition
 * (change the bytes in flash, reset, the page changes), a blank flash loops in the ROM with no
 * HTTP, a broken SPIFFS prints Arduino's mount failure, a missing app loops in the bootloader.
 * Real TCP on loopback, port 0; waits are for serial text, never sleeps.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { serial as contract } from '../src/contract/board.js';
import { buildSpiffs } from '../src/formats/spiffs-builder.js';
import { readSpiffs } from '../src/formats/spiffs-reader.js';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../src/emulator/index.js';
import { Collector } from './serial-helpers.js';

const running: RunningEmulator[] = [];
afterEach(async () => {
  for (const e of running.splice(0)) await e.close();
});

const enc = new TextEncoder();
const SPIFFS_AT = 0x290000;
const SPIFFS_SIZE = 0x160000;

function dataDir(page: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'esp-sse-boot-'));
  writeFileSync(join(dir, 'index.html'), page);
  writeFileSync(join(dir, 'app.css'), 'body{}');
  return dir;
}

async function boot(o: EmulatorOptions = {}): Promise<{ emu: RunningEmulator; log: Collector; warnings: string[] }> {
  const log = new Collector();
  const warnings: string[] = [];
  const emu = await startEmulator({ httpPort: 0, loopTimer: false, onSerial: log.push, onWarning: (c, m) => warnings.push(`${c}: ${m}`), ...o });
  running.push(emu);
  return { emu, log, warnings };
}

async function get(url: string): Promise<{ status: number; body: string }> {
  const r = await fetch(url);
  return { status: r.status, body: await r.text() };
}

describe('booting from flash', () => {
  it('prints the ROM lines, then the sketch, and serves / and static files out of the SPIFFS partition', async () => {
    const { emu, log } = await boot({ dataDir: dataDir('<h1>from spiffs</h1>') });
    await log.untilText(`${contract.lines.httpStarted}\r\n`);
    expect(log.text).toMatch(
      /^ets Jul 29 2019 12:21:46\r\n\r\nrst:0x1 \(POWERON_RESET\),boot:0x13 \(SPI_FAST_FLASH_BOOT\)\r\nconfigsip: 0, SPIWP:0xee\r\n.*\r\nmode:DIO, clock div:2\r\n(load:0x[0-9a-f]{8},len:\d+\r\n){3}entry 0x400805e4\r\nSPIFFS mounted successfully\r\n/s,
    );
    expect(await get(emu.url)).toEqual({ status: 200, body: '<h1>from spiffs</h1>' });
    expect((await get(`${emu.url}app.css`)).body).toBe('body{}');
    expect((await get(`${emu.url}nothing.txt`)).status).toBe(404);
  });

  it('after the SPIFFS bytes in flash change, the next reset serves the new page (not before: SPIFFS is mounted at boot)', async () => {
    const { emu, log } = await boot({ dataDir: dataDir('old page') });
    expect((await get(emu.url)).body).toBe('old page');
    emu.board.flash.write(SPIFFS_AT, buildSpiffs([{ name: '/index.html', data: enc.encode('new page') }], SPIFFS_SIZE));
    expect((await get(emu.url)).body).toBe('old page');
    log.clear();
    await emu.board.reset();
    await log.untilText(`${contract.lines.httpStarted}\r\n`);
    expect(await get(emu.url)).toEqual({ status: 200, body: 'new page' });
    expect((await get(`${emu.url}app.css`)).status).toBe(404); // gone with the old image
  });

  it('serveStatic\'s ETag from flash: a header mtime > 0 in hex, mkspiffs\' unset FF FF FF FF (-1) or a negative one the size', async () => {
    const { emu, log } = await boot({ dataDir: dataDir('old page') });
    const files = [
      { name: '/index.html', data: enc.encode('<p>made by mkspiffs</p>') },
      { name: '/app.css', data: enc.encode('body{color:red}') },
      { name: '/old.css', data: enc.encode('p{}') },
    ];
    const image = buildSpiffs(files, SPIFFS_SIZE);
    // The board's own writes store time(NULL) in the header's 4 metadata bytes (ESP-IDF, CONFIG_SPIFFS_USE_MTIME).
    const setMtime = (name: string, seconds: number) => {
      const entry = readSpiffs(image).files.find((f) => f.name === name)!;
      new DataView(image.buffer).setInt32(entry.headerPage * 256 + 45, seconds, true);
    };
    setMtime('/app.css', 0x65a0bc00);
    setMtime('/old.css', -0x7fffffff);
    expect(Object.fromEntries(readSpiffs(image).files.map((f) => [f.name, [...f.meta]]))).toEqual({
      '/index.html': [0xff, 0xff, 0xff, 0xff],
      '/app.css': [0x00, 0xbc, 0xa0, 0x65],
      '/old.css': [0x01, 0x00, 0x00, 0x80],
    });
    emu.board.flash.write(SPIFFS_AT, image);
    log.clear();
    await emu.board.reset();
    await log.untilText(`${contract.lines.httpStarted}\r\n`);
    const etag = async (path: string, ifNoneMatch?: string) => {
      const r = await fetch(`${emu.url}${path}`, ifNoneMatch ? { headers: { 'If-None-Match': ifNoneMatch } } : {});
      await r.arrayBuffer();
      return [r.status, r.headers.get('etag')];
    };
    expect(await etag('index.html')).toEqual([200, `"${(23).toString(16).padStart(8, '0')}"`]);
    expect(await etag('app.css')).toEqual([200, '"65a0bc00"']);
    expect(await etag('app.css', '"65a0bc00"')).toEqual([304, null]);
    expect(await etag('old.css')).toEqual([200, '"00000003"']);
  });

  it('a blank flash loops in the ROM (invalid header, RTC watchdog reset) with no HTTP; written back, the next watchdog reset boots it', async () => {
    const { emu, log } = await boot();
    const saved = emu.board.flash.read(0, emu.board.flash.size);
    emu.board.flash.eraseAll();
    log.clear();
    await emu.board.reset();
    expect(emu.board.state).toBe('halted');
    await log.untilText('rst:0x10 (RTCWDT_RTC_RESET),boot:0x13 (SPI_FAST_FLASH_BOOT)\r\ninvalid header: 0xffffffff\r\n');
    expect(log.text.startsWith('ets Jul 29 2019 12:21:46\r\n\r\nrst:0x1 (POWERON_RESET),boot:0x13 (SPI_FAST_FLASH_BOOT)\r\n' + 'invalid header: 0xffffffff\r\n'.repeat(7) + 'ets Jul 29 2019')).toBe(true);
    expect(log.text).not.toContain(contract.lines.spiffsMounted);
    await expect(fetch(emu.url)).rejects.toThrow();

    emu.board.flash.write(0, saved);
    await log.untilText(`${contract.lines.httpStarted}\r\n`);
    expect(log.text).toMatch(/rst:0x10 \(RTCWDT_RTC_RESET\),boot:0x13 \(SPI_FAST_FLASH_BOOT\)\r\nconfigsip: 0/);
    expect((await get(emu.url)).status).toBe(200);
  });

  it('the boot loop runs on the board\'s timer: 7 lines 40 ms apart, the watchdog reset, and a power-off cancels it', async () => {
    const pending = new Map<number, { fn: () => void; ms: number }>();
    let next = 0;
    let scheduled: (() => void) | undefined;
    const timer = {
      setTimeout: (fn: () => void, ms: number) => {
        pending.set(++next, { fn, ms });
        scheduled?.();
        return next;
      },
      clearTimeout: (h: unknown) => void pending.delete(h as number),
    };
    const fire = (): number => {
      const [id, t] = [...pending.entries()][0]!;
      pending.delete(id);
      t.fn();
      return t.ms;
    };
    const { emu, log } = await boot({ board: { timer } });
    emu.board.flash.erase(0x1000, 0x1000);
    log.clear();
    await emu.board.reset();
    const line = 'invalid header: 0xffffffff\r\n';
    expect(log.text.endsWith(`(SPI_FAST_FLASH_BOOT)\r\n${line}`)).toBe(true);
    const gaps: number[] = [];
    for (let i = 0; i < 7; i++) gaps.push(fire());
    expect(gaps).toEqual(Array(7).fill(40));
    expect(log.text.split(line).length - 1).toBe(7);
    // The watchdog reset boots again through the board's queue and arms the next loop.
    await new Promise<void>((r) => (scheduled = r));
    expect(log.text).toContain(`rst:0x10 (RTCWDT_RTC_RESET),boot:0x13 (SPI_FAST_FLASH_BOOT)\r\n${line}`);
    expect(pending.size).toBe(1);
    await emu.board.powerOff();
    expect(pending.size).toBe(0);
  });

  it('a SPIFFS partition that does not mount prints the ESP-IDF line and the sketch\'s error line; the app still serves HTTP', async () => {
    const { emu, log } = await boot();
    emu.board.flash.erase(SPIFFS_AT, SPIFFS_SIZE);
    log.clear();
    await emu.board.reset();
    await log.untilText(`${contract.lines.httpStarted}\r\n`);
    expect(log.text).toMatch(/entry 0x400805e4\r\nE \(\d+\) SPIFFS: mount failed, -10025\r\nAn error has occurred while mounting SPIFFS\r\nConnecting to WiFi/);
    expect((await get(emu.url)).status).not.toBe(200);
  });

  it('with no valid app the ROM loads the bootloader, which resets by software, again and again; HTTP stays off', async () => {
    const { emu, log, warnings } = await boot();
    emu.board.flash.erase(0x10000, 0x1000);
    log.clear();
    await emu.board.reset();
    await log.untilText('rst:0x3 (SW_RESET),boot:0x13 (SPI_FAST_FLASH_BOOT)\r\nconfigsip: 0');
    expect(log.text).toMatch(/^ets Jul 29 2019 12:21:46\r\n\r\nrst:0x1 \(POWERON_RESET\).*entry 0x400805e4\r\nets Jul 29 2019 12:21:46\r\n\r\nrst:0x3 \(SW_RESET\)/s);
    expect(warnings.filter((w) => w.startsWith('emulate.no-app'))).toHaveLength(1);
    await expect(fetch(emu.url)).rejects.toThrow();
  });

  it('a data folder SPIFFS cannot hold is refused before the board starts, naming the file', async () => {
    const dir = dataDir('x');
    writeFileSync(join(dir, `${'n'.repeat(40)}.html`), 'long name');
    await expect(startEmulator({ httpPort: 0, dataDir: dir })).rejects.toMatchObject({ code: 'fs.name-too-long', message: expect.stringContaining('n'.repeat(40)) });
    await expect(startEmulator({ httpPort: 0, dataDir: join(dir, 'missing') })).rejects.toMatchObject({ code: 'emulate.data-missing' });
  });

  it('files given directly skip the flash (the web-side tests\' app model alone)', async () => {
    const { emu, log } = await boot({ files: { read: (p) => (p === '/index.html' ? enc.encode('direct') : undefined) } });
    await log.untilText(`${contract.lines.httpStarted}\r\n`);
    expect(log.text.startsWith(contract.lines.spiffsMounted)).toBe(true);
    expect((await get(emu.url)).body).toBe('direct');
  });
});
