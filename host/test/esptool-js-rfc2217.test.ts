import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { ESPLoader, Transport } from 'esptool-js';
import { VirtualBoard } from '../src/emulator/board.js';
import { FolderFileSource } from '../src/emulator/app/file-source.js';
import { defaultDataDir } from '../src/emulator/package-root.js';
import { attachUart, type AttachedUart } from '../src/emulator/uart/attach.js';
import { createTransport } from '../src/transport/open-port.js';
import { WebSerialAdapter } from '../src/transport/webserial-adapter.js';
import { Collector } from './serial-helpers.js';

/**
 * esptool-js 0.7.0, unmodified, through the Web Serial adapter over a real RFC 2217 connection
 * to the emulator's UART: the board runs its app; ClassicReset over DTR/RTS puts it in download
 * mode; the stub is uploaded and flashes; an EN pulse boots the app again.
 */
const silent = { clean() {}, writeLine() {}, write() {} };
const md5 = (b: Uint8Array): string => createHash('md5').update(b).digest('hex');

function pattern(n: number, seed: number): Uint8Array {
  let x = seed;
  return Uint8Array.from({ length: n }, () => ((x = (x * 1103515245 + 12345) >>> 0), x >>> 24));
}

const cleanup: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function setup(wireTiming = false) {
  const board = new VirtualBoard({ httpPort: 0, loopTimer: false, files: new FolderFileSource(defaultDataDir()) });
  const uart: AttachedUart = await attachUart(board, { rfc2217Port: 0, wireTiming });
  cleanup.push(() => board.powerOff());
  cleanup.push(() => uart.close());
  await board.powerOn();
  const port = createTransport(`rfc2217://127.0.0.1:${uart.rfc2217Port}`);
  const adapter = new WebSerialAdapter(port);
  const transport = new Transport(adapter as unknown as ConstructorParameters<typeof Transport>[0], false);
  transport.trace = () => {}; // esptool-js prints "TRACE … readLoop exited" even with tracing off
  cleanup.push(() => transport.disconnect().catch(() => {}));
  return { board, uart, port, adapter, transport };
}

describe('esptool-js 0.7.0 over RFC 2217 (real TCP)', () => {
  it('resets into download mode, detects the chip, uploads the stub, writes compressed + plain, verifies MD5, reads back; an EN pulse boots the app', async () => {
    const { board, uart, transport } = await setup();
    expect(board.state).toBe('running');
    const loader = new ESPLoader({ transport, baudrate: 460800, terminal: silent, debugLogging: false });
    expect(await loader.main()).toBe('ESP32-D0WD-V3 (revision 3)');
    expect(uart.side.state).toBe('download');
    expect(uart.side.loader?.mode).toBe('stub');
    expect(board.state).not.toBe('running'); // the app is stopped while the ROM loader runs
    expect(await loader.chip.readMac(loader)).toBe('24:0a:c4:ab:cd:ef');

    const app = pattern(70000, 1);
    const fs = new Uint8Array(40000).fill(0xff);
    fs.set(pattern(1000, 2), 100);
    await loader.writeFlash({
      fileArray: [{ data: app, address: 0x10000 }, { data: fs, address: 0x290000 }],
      flashMode: 'keep', flashFreq: 'keep', flashSize: 'keep', eraseAll: false, compress: true,
      calculateMD5Hash: (img) => md5(img),
    });
    const plain = pattern(20000, 3);
    await loader.writeFlash({
      fileArray: [{ data: plain, address: 0x300000 }],
      flashMode: 'keep', flashFreq: 'keep', flashSize: 'keep', eraseAll: false, compress: false,
      calculateMD5Hash: (img) => md5(img),
    });
    expect(md5(board.flash.read(0x10000, app.length))).toBe(md5(app));
    expect(md5(board.flash.read(0x290000, fs.length))).toBe(md5(fs));
    expect(md5(board.flash.read(0x300000, plain.length))).toBe(md5(plain));
    expect(await loader.flashMd5sum(0x300000, plain.length)).toBe(md5(plain));
    const back = await loader.readFlash(0x10000, 9000);
    expect(Buffer.compare(Buffer.from(back), Buffer.from(app.subarray(0, 9000)))).toBe(0);

    // esptool-js's own HardReset leaves DTR asserted (docs/serial-protocol.md §3.4): pulse EN the way a flasher should.
    await transport.setSignals(false, true);
    expect(uart.side.state).toBe('reset');
    await transport.setSignals(false, false);
    expect(uart.side.state).toBe('app');
    await expect.poll(() => board.state, { timeout: 20_000 }).toBe('running');
  });
});

describe('esptool-js 0.7.0 over RFC 2217 with a paced wire', () => {
  it('changes to 921600 (reply at the old rate, both ends switch) and writes + verifies at the new rate', async () => {
    const { board, uart, transport } = await setup(true);
    const loader = new ESPLoader({ transport, baudrate: 921600, terminal: silent, debugLogging: false });
    expect(await loader.main()).toBe('ESP32-D0WD-V3 (revision 3)');
    expect(uart.uart.baudRate).toBe(921600);
    const data = pattern(64 * 1024, 9);
    await loader.writeFlash({
      fileArray: [{ data, address: 0x3f0000 }],
      flashMode: 'keep', flashFreq: 'keep', flashSize: 'keep', eraseAll: false, compress: true,
      calculateMD5Hash: (img) => md5(img),
    });
    expect(md5(board.flash.read(0x3f0000, data.length))).toBe(md5(data));
  });
});

describe('the app\'s Serial over RFC 2217', () => {
  it('comes out of the port at the set baud, and a download reset prints the ROM banner and waits', async () => {
    const { board, port } = await setup(true);
    await port.open();
    cleanup.push(() => port.close());
    const rx = Collector.on(port);
    await board.reset(); // the app prints its boot lines again
    await rx.untilText('SPIFFS mounted successfully');
    // ClassicReset (esptool-js): RTS → EN low; DTR asserted as RTS releases → IO0 low → download.
    rx.clear();
    await port.setSignals({ dtr: false, rts: true });
    await port.setSignals({ dtr: true, rts: false });
    await port.setSignals({ dtr: false, rts: false });
    await rx.untilText('waiting for download\r\n');
    // Boot lines of the app may still be on the paced wire when the reset comes: before the
    // banner only the tail of the app's own output, cut wherever the reset fell (the sketch
    // prints "Connecting to WiFi .." and the address in separate calls), then the ROM banner.
    const at = rx.text.indexOf('ets Jul 29 2019');
    const before = rx.text.slice(0, Math.max(at, 0));
    expect(before).not.toContain('rst:');
    const appOutput = 'SPIFFS mounted successfully\r\nConnecting to WiFi ..127.0.0.1\r\nmDNS responder started: esp-sse.local\nHTTP server started\r\n';
    expect(appOutput.includes(before), JSON.stringify(before)).toBe(true);
    expect(rx.text.slice(at)).toMatch(/^ets Jul 29 2019 12:21:46\r\n\r\nrst:0x1 \(POWERON_RESET\),boot:0x3 \(DOWNLOAD_BOOT/);
    expect(board.state).not.toBe('running');
  });
});
