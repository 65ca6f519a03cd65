/**
 * The round trip a user makes with a real board, against `startEmulator`: esptool-js 0.7.0 over
 * RFC 2217 resets the running board into download mode (its web server goes away), writes a new
 * SPIFFS image into the filesystem partition, and an EN pulse reboots the board, which boots
 * from its flash and serves the new page.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ESPLoader, Transport } from 'esptool-js';
import { startEmulator } from '../src/emulator/index.js';
import { defaultPartitions } from '../src/emulator/boot/default-flash.js';
import { buildSpiffs } from '../src/formats/spiffs-builder.js';
import { findFilesystemPartition } from '../src/formats/fs-partition.js';
import { createTransport } from '../src/transport/open-port.js';
import { WebSerialAdapter } from '../src/transport/webserial-adapter.js';
import { Collector } from './serial-helpers.js';

const md5 = (b: Uint8Array): string => createHash('md5').update(b).digest('hex');
const cleanup: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function page(url: string): Promise<string | Error> {
  try {
    const r = await fetch(url, { signal: AbortSignal.timeout(20_000) });
    return await r.text();
  } catch (e) {
    return e as Error;
  }
}

describe('flash over RFC 2217, reset, serve the new filesystem', () => {
  it('esptool-js writes a SPIFFS image; after an EN pulse the board serves it', async () => {
    const serial = new Collector();
    const emu = await startEmulator({ httpPort: 0, mdns: false, loopTimer: false, onSerial: serial.push, uart: { rfc2217Port: 0, wireTiming: false } });
    cleanup.push(() => emu.close());
    const before = await page(emu.url);
    expect(typeof before).toBe('string');
    expect(before).not.toContain('flashed over RFC 2217');

    const port = createTransport(`rfc2217://127.0.0.1:${emu.uart!.rfc2217Port}`);
    const transport = new Transport(new WebSerialAdapter(port) as unknown as ConstructorParameters<typeof Transport>[0], false);
    transport.trace = () => {};
    cleanup.push(() => transport.disconnect().catch(() => {}));
    const loader = new ESPLoader({ transport, baudrate: 921600, terminal: { clean() {}, writeLine() {}, write() {} }, debugLogging: false });
    await loader.main();
    expect(emu.uart!.side.state).toBe('download');
    expect(await page(emu.url)).toBeInstanceOf(Error); // the app (and its listener) stopped

    const part = findFilesystemPartition(defaultPartitions())!;
    const html = '<!DOCTYPE html><h1>flashed over RFC 2217</h1>';
    const image = buildSpiffs([{ name: '/index.html', data: new TextEncoder().encode(html) }], part.size);
    await loader.writeFlash({
      fileArray: [{ data: image, address: part.offset }],
      flashMode: 'keep', flashFreq: 'keep', flashSize: 'keep', eraseAll: false, compress: true,
      calculateMD5Hash: (img) => md5(img),
    });
    expect(md5(emu.board.flash.read(part.offset, image.length))).toBe(md5(image));

    serial.clear();
    await transport.setSignals(false, true); // EN low
    await transport.setSignals(false, false); // EN released, IO0 high: boot from flash
    await serial.untilText('SPIFFS mounted successfully');
    expect(serial.text).toMatch(/boot:0x13 \(SPI_FAST_FLASH_BOOT\)/);
    await expect.poll(() => emu.board.state, { timeout: 20_000 }).toBe('running');
    expect(await page(emu.url)).toContain('flashed over RFC 2217');
  });

  it('with a flash file, what esptool-js writes is in the file after the emulator stops', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'esp-sse-flashfile-')), 'board.bin');
    const emu = await startEmulator({ httpPort: 0, mdns: false, loopTimer: false, flashFile: file, uart: { rfc2217Port: 0, wireTiming: false } });
    cleanup.push(() => emu.close());
    const port = createTransport(`rfc2217://127.0.0.1:${emu.uart!.rfc2217Port}`);
    const transport = new Transport(new WebSerialAdapter(port) as unknown as ConstructorParameters<typeof Transport>[0], false);
    transport.trace = () => {};
    const loader = new ESPLoader({ transport, baudrate: 460800, terminal: { clean() {}, writeLine() {}, write() {} }, debugLogging: false });
    await loader.main();
    const data = Uint8Array.from({ length: 12345 }, (_, i) => (i * 31) & 0xff);
    await loader.writeFlash({
      fileArray: [{ data, address: 0x3f0000 }],
      flashMode: 'keep', flashFreq: 'keep', flashSize: 'keep', eraseAll: false, compress: true,
      calculateMD5Hash: (img) => md5(img),
    });
    await transport.disconnect();
    await emu.close();
    const saved = readFileSync(file);
    expect(saved.length).toBe(4 * 1024 * 1024);
    expect(md5(saved.subarray(0x3f0000, 0x3f0000 + data.length))).toBe(md5(data));
  });
});
