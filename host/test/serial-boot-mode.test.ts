/**
 * `startEmulator({ uart: { bootMode: 'download', mac } })`: the board powers up in the ROM loader
 * (no app, no HTTP listener) with the configured efuse MAC, which esptool-js reads over
 * `socket://` without a reset; the stub's RUN_USER_CODE then boots the app from flash.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ESPLoader, Transport } from 'esptool-js';
import { startEmulator } from '../src/emulator/index.js';
import { createTransport } from '../src/transport/open-port.js';
import { WebSerialAdapter } from '../src/transport/webserial-adapter.js';
import { Collector } from './serial-helpers.js';

const cleanup: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

describe('download boot mode and the efuse MAC', () => {
  it('powers up in the ROM loader, reports the configured MAC, boots the app on RUN_USER_CODE', async () => {
    const serial = new Collector();
    const emu = await startEmulator({
      httpPort: 0, mdns: false, loopTimer: false, onSerial: serial.push,
      uart: { socketPort: 0, bootMode: 'download', wireTiming: false, mac: 'a4:cf:12:34:56:78' },
    });
    cleanup.push(() => emu.close());
    expect(emu.uart!.holdsBoard).toBe(true);
    expect(emu.board.state).toBe('off');
    expect(serial.text).toMatch(/boot:0x3 \(DOWNLOAD_BOOT\(UART0\/UART1\/SDIO_REI_REO_V2\)\)\r\nwaiting for download\r\n$/);

    const port = createTransport(`socket://127.0.0.1:${emu.uart!.socketPort}`);
    const transport = new Transport(new WebSerialAdapter(port) as unknown as ConstructorParameters<typeof Transport>[0], false);
    transport.trace = () => {};
    cleanup.push(() => transport.disconnect().catch(() => {}));
    const loader = new ESPLoader({ transport, baudrate: 115200, terminal: { clean() {}, writeLine() {}, write() {} }, debugLogging: false });
    expect(await loader.main('no_reset')).toBe('ESP32-D0WD-V3 (revision 3)');
    expect(await loader.chip.readMac(loader)).toBe('a4:cf:12:34:56:78');

    await loader.command(loader.ESP_RUN_USER_CODE, new Uint8Array(0), 0, false);
    await serial.untilText('HTTP server started');
    await expect.poll(() => emu.board.state, { timeout: 20_000 }).toBe('running');
    const r = await fetch(`http://127.0.0.1:${emu.board.httpPort}/`, { signal: AbortSignal.timeout(20_000) });
    expect(r.status).toBe(200);
  });
});
