import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { ESPLoader, Transport } from 'esptool-js';
import { Flash } from '../src/emulator/flash.js';
import { Uart } from '../src/emulator/uart/uart.js';
import { SerialSide } from '../src/emulator/uart/serial-side.js';
import { attachMemoryPort } from '../src/emulator/uart/memory-port.js';
import { createMemoryPair } from '../src/transport/memory.js';
import { WebSerialAdapter } from '../src/transport/webserial-adapter.js';

/** esptool-js 0.7.0, unmodified, against the emulator's ROM loader + stub over the in-memory pair. */
const silent = { clean() {}, writeLine() {}, write() {} };
const md5 = (b: Uint8Array): string => createHash('md5').update(b).digest('hex');

function pattern(n: number, seed: number): Uint8Array {
  let x = seed;
  return Uint8Array.from({ length: n }, () => ((x = (x * 1103515245 + 12345) >>> 0), x >>> 24));
}

describe('esptool-js 0.7.0 over the in-memory pair', () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });

  async function setup(baudrate = 115200) {
    const flash = new Flash();
    const uart = new Uart({ wireTiming: false });
    const boots: string[] = [];
    const side = new SerialSide({ flash, uart, board: { hold: () => boots.push('hold'), bootFromFlash: () => boots.push('app') } });
    side.powerOn('normal');
    const [host, device] = createMemoryPair();
    cleanup.push(await attachMemoryPort(uart, device));
    const adapter = new WebSerialAdapter(host);
    const transport = new Transport(adapter as unknown as ConstructorParameters<typeof Transport>[0], false);
    transport.trace = () => {}; // esptool-js prints "TRACE … readLoop exited" even with tracing off
    const loader = new ESPLoader({ transport, baudrate, terminal: silent, debugLogging: false });
    cleanup.push(() => transport.disconnect().catch(() => {}));
    return { flash, side, loader, transport, boots };
  }

  it('detects the chip, uploads the stub, writes compressed + plain, verifies MD5, reads back', async () => {
    const { flash, side, loader, boots } = await setup(460800);
    const chip = await loader.main();
    expect(chip).toBe('ESP32-D0WD-V3 (revision 3)');
    expect(side.state).toBe('download');
    expect(side.loader?.mode).toBe('stub');
    expect(boots).toEqual(['app', 'hold']);
    expect(await loader.chip.readMac(loader)).toBe('24:0a:c4:ab:cd:ef');
    expect((await loader.readFlashId()) & 0xffffff).toBe(0x1640ef);

    const app = pattern(70000, 1);
    const fs = new Uint8Array(40000).fill(0xff);
    fs.set(pattern(1000, 2), 100);
    await loader.writeFlash({
      fileArray: [{ data: app, address: 0x10000 }],
      flashMode: 'keep', flashFreq: 'keep', flashSize: 'keep', eraseAll: false, compress: true,
      calculateMD5Hash: (img) => md5(img),
    });
    await loader.writeFlash({
      fileArray: [{ data: fs, address: 0x290000 }],
      flashMode: 'keep', flashFreq: 'keep', flashSize: 'keep', eraseAll: false, compress: false,
      calculateMD5Hash: (img) => md5(img),
    });
    expect(md5(flash.read(0x10000, app.length))).toBe(md5(app));
    expect(md5(flash.read(0x290000, fs.length))).toBe(md5(fs));
    expect(await loader.flashMd5sum(0x10000, app.length)).toBe(md5(app));

    const back = await loader.readFlash(0x10000, 9000);
    expect(md5(back)).toBe(md5(app.subarray(0, 9000)));
  });

  it('resets through DTR/RTS: ClassicReset enters download mode, an EN pulse boots the app', async () => {
    const { side, transport, loader, boots } = await setup();
    await loader.main();
    expect(side.state).toBe('download');
    await transport.setSignals(false, true); // RTS asserted, DTR not: EN low
    expect(side.state).toBe('reset');
    await transport.setSignals(false, false); // EN released with IO0 high
    expect(side.state).toBe('app');
    expect(boots.slice(-2)).toEqual(['hold', 'app']);
  });
});
