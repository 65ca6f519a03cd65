/**
 * The whole loop a user runs against a board, through the ROM loader: esptool-js 0.7.0
 * (unmodified) resets the emulator into download mode over DTR/RTS, writes a new SPIFFS image
 * at the spiffs partition's offset, and an EN pulse boots the board from its flash, which now
 * serves the new page. (Persistence of such writes in a flash file: esptool-js-flash-boot and
 * boot-flash-file tests.)
 */
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { ESPLoader, Transport } from 'esptool-js';
import { serial as contract } from '../src/contract/board.js';
import { buildSpiffs } from '../src/formats/spiffs-builder.js';
import { startEmulator, type RunningEmulator } from '../src/emulator/index.js';
import { attachMemoryPort } from '../src/emulator/uart/memory-port.js';
import { createMemoryPair } from '../src/transport/memory.js';
import { WebSerialAdapter } from '../src/transport/webserial-adapter.js';
import { Collector } from './serial-helpers.js';

const silent = { clean() {}, writeLine() {}, write() {} };
const md5 = (b: Uint8Array): string => createHash('md5').update(b).digest('hex');
const enc = new TextEncoder();

const cleanup: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function boardWithLoader() {
  const log = new Collector();
  const emu: RunningEmulator = await startEmulator({
    httpPort: 0, loopTimer: false, onSerial: log.push, uart: { wireTiming: false },
  });
  cleanup.push(() => emu.close());
  const [host, device] = createMemoryPair();
  cleanup.push(await attachMemoryPort(emu.uart!.uart, device));
  const transport = new Transport(new WebSerialAdapter(host) as unknown as ConstructorParameters<typeof Transport>[0], false);
  cleanup.push(() => transport.disconnect().catch(() => {}));
  const loader = new ESPLoader({ transport, baudrate: 115200, terminal: silent, debugLogging: false });
  return { emu, log, transport, loader };
}

async function flashNewPage(loader: ESPLoader, text: string): Promise<Uint8Array> {
  expect(await loader.main()).toBe('ESP32-D0WD-V3 (revision 3)'); // ClassicReset over DTR/RTS → download mode
  const image = buildSpiffs([{ name: '/index.html', data: enc.encode(text) }], 0x160000);
  await loader.writeFlash({
    fileArray: [{ data: image, address: 0x290000 }],
    flashMode: 'keep', flashFreq: 'keep', flashSize: 'keep', eraseAll: false, compress: true,
    calculateMD5Hash: (img) => md5(img),
  });
  return image;
}

/** EN pulse as a dev board's auto-reset circuit sees it: RTS asserted (DTR not), then both released. */
async function enPulse(transport: Transport): Promise<void> {
  await transport.setSignals(false, true);
  await transport.setSignals(false, false);
}

// esptool-js's own reset and sync delays make each run take seconds; leave room on a loaded machine.
describe('a new filesystem through the ROM loader', { timeout: 120_000 }, () => {
  it('esptool-js writes a SPIFFS image; after an EN reset the board serves the new page', async () => {
    const { emu, log, transport, loader } = await boardWithLoader();
    const before = await (await fetch(emu.url)).text();
    expect(before).toContain('<html');
    const image = await flashNewPage(loader, '<h1>flashed through the ROM loader</h1>');
    expect(md5(emu.board.flash.read(0x290000, image.length))).toBe(md5(image));
    expect(emu.board.state).not.toBe('running'); // held in the ROM loader: no HTTP
    await expect(fetch(emu.url)).rejects.toThrow();

    log.clear();
    await enPulse(transport);
    await log.untilText(`${contract.lines.httpStarted}\r\n`);
    expect(log.text).toMatch(/^ets Jul 29 2019 12:21:46\r\n\r\nrst:0x1 \(POWERON_RESET\),boot:0x13 \(SPI_FAST_FLASH_BOOT\)\r\n[^]*entry 0x400805e4\r\nSPIFFS mounted successfully\r\n/);
    expect(await (await fetch(emu.url)).text()).toBe('<h1>flashed through the ROM loader</h1>');
  });
});
