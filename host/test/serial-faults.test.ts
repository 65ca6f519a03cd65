/**
 * Fault switches reached through `startEmulator({ uart: { faults } })` (the CLI's
 * --disconnect-after/--corrupt-every/--drop-every): a link cut after N bytes closes the client's
 * connection with an error and the next connection works; corrupted or dropped bytes on the way
 * to the board become warnings and error replies, never a crash; esptool-js retries through them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ESPLoader, Transport } from 'esptool-js';
import { startEmulator, type RunningEmulator } from '../src/emulator/index.js';
import type { UartOptions } from '../src/emulator/uart/attach.js';
import { encodeCommand } from '../src/protocol/rom-packet.js';
import { Op, SYNC_DATA } from '../src/protocol/rom-opcodes.js';
import { slipEncode } from '../src/protocol/slip.js';
import { createTransport } from '../src/transport/open-port.js';
import type { ByteTransport } from '../src/transport/types.js';
import { WebSerialAdapter } from '../src/transport/webserial-adapter.js';
import { Collector } from './serial-helpers.js';

const SYNC_FRAME = slipEncode(encodeCommand({ op: Op.SYNC, checksum: 0, data: SYNC_DATA }));
const SYNC_REPLY = Buffer.from('c00108040007071220' + '00000000' + 'c0', 'hex');

const cleanup: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function emulator(uart: Omit<UartOptions, 'warn'>): Promise<{ emu: RunningEmulator; warnings: string[] }> {
  const warnings: string[] = [];
  const emu = await startEmulator({
    httpPort: 0, mdns: false, loopTimer: false,
    uart: { socketPort: 0, bootMode: 'download', wireTiming: false, ...uart, warn: (code) => warnings.push(code) },
  });
  cleanup.push(() => emu.close());
  return { emu, warnings };
}

async function client(emu: RunningEmulator): Promise<{ t: ByteTransport; rx: Collector }> {
  const t = createTransport(`socket://127.0.0.1:${emu.uart!.socketPort}`);
  await t.open();
  cleanup.push(() => t.close());
  await expect.poll(() => emu.uart!.uart.clientCount, { timeout: 20_000 }).toBeGreaterThan(0);
  return { t, rx: Collector.on(t) };
}

describe('serial fault switches', () => {
  it('disconnect after N bytes: the client is cut mid-reply, the next connection gets a clean link', async () => {
    const { emu } = await emulator({ faults: { tx: { disconnectAfter: 30 } } });
    const first = await client(emu);
    const closed = new Promise<Error | undefined>((r) => first.t.onClose(r));
    await first.t.write(SYNC_FRAME);
    expect((await closed)?.message).toMatch(/closed/);
    expect(first.rx.bytes.length).toBe(30);
    expect(Buffer.compare(first.rx.bytes, Buffer.concat(new Array(8).fill(SYNC_REPLY)).subarray(0, 30))).toBe(0);

    const second = await client(emu);
    await second.t.write(SYNC_FRAME);
    await second.rx.until((c) => c.bytes.length >= SYNC_REPLY.length * 8);
    expect(Buffer.compare(second.rx.bytes, Buffer.concat(new Array(8).fill(SYNC_REPLY)))).toBe(0);
  });

  it('corrupted bytes to the board become warnings or error replies, and the loader keeps serving', async () => {
    const { emu, warnings } = await emulator({ faults: { rx: { corruptEvery: 7 } } });
    const c = await client(emu);
    for (let i = 0; i < 5; i++) await c.t.write(SYNC_FRAME);
    expect(emu.uart!.side.state).toBe('download');
    // No sync survives a bit flip in every 7th byte: each frame is noise, a bad command or a bad payload.
    await expect.poll(() => warnings.length + c.rx.bytes.length, { timeout: 20_000 }).toBeGreaterThan(0);
    expect(c.rx.bytes.includes(SYNC_REPLY)).toBe(false);
  });

  it('esptool-js 0.7.0 fails cleanly (an error, not a crash or a hang) when the board\'s replies lose bytes', async () => {
    const { emu } = await emulator({ faults: { tx: { dropEvery: 50 } } });
    const port = createTransport(`socket://127.0.0.1:${emu.uart!.socketPort}`);
    const transport = new Transport(new WebSerialAdapter(port) as unknown as ConstructorParameters<typeof Transport>[0], false);
    transport.trace = () => {};
    cleanup.push(() => transport.disconnect().catch(() => {}));
    const loader = new ESPLoader({ transport, baudrate: 115200, terminal: { clean() {}, writeLine() {}, write() {} }, debugLogging: false });
    // Every 50th byte lost: most replies longer than 50 bytes arrive broken, so esptool-js must fail cleanly.
    await expect(loader.main('no_reset')).rejects.toThrow();
    expect(emu.uart!.side.state).toBe('download');
  });
});
