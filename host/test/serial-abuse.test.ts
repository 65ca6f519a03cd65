/**
 * Issue 14, the serial rows, against `startEmulator` over real TCP: a client (a separate
 * process, so its own buffers do not count) sends a bounded but oversized stream to the
 * socket:// or rfc2217:// port — an unterminated SLIP frame of 32 MiB, a telnet subnegotiation
 * that never ends, 64 MiB pushed without waiting and then a disconnect. Each time the emulator
 * stays up, answers the next client (a SYNC from esptool-js or a raw one), serves HTTP (an SSE
 * client keeps getting events) and this process's RSS grows by less than 64 MB.
 */
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ESPLoader, Transport } from 'esptool-js';
import { startEmulator, type RunningEmulator } from '../src/emulator/index.js';
import type { UartOptions } from '../src/emulator/uart/attach.js';
import { RX_BACKLOG_MAX } from '../src/emulator/uart/uart.js';
import { Op, SYNC_DATA } from '../src/protocol/rom-opcodes.js';
import { encodeCommand, u32le } from '../src/protocol/rom-packet.js';
import { slipEncode } from '../src/protocol/slip.js';
import { createTransport } from '../src/transport/open-port.js';
import { WebSerialAdapter } from '../src/transport/webserial-adapter.js';
import { serialAbuser } from './abuse-peers.js';
import { sseGet, StreamReader } from './emulator-helpers.js';
import { Collector } from './serial-helpers.js';

const MiB = 1024 * 1024;
const RSS_BUDGET = 64 * MiB;
const SYNC_FRAME = slipEncode(encodeCommand({ op: Op.SYNC, checksum: 0, data: SYNC_DATA }));
const SYNC_REPLY = Buffer.from('c0010804000707122000000000c0', 'hex');

const cleanup: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

function abuse(mode: 'push' | 'stream', port: number, total: number, prefix: string, suffix = '', holdMs = 1500): Promise<string> {
  const { child, output } = serialAbuser(mode, port, total, prefix, suffix, holdMs);
  cleanup.push(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  return output;
}

async function emulator(uart: Omit<UartOptions, 'warn'>): Promise<{ emu: RunningEmulator; warnings: string[] }> {
  const warnings: string[] = [];
  const emu = await startEmulator({ httpPort: 0, mdns: false, uart: { socketPort: 0, rfc2217Port: 0, ...uart, warn: (code) => warnings.push(code) } });
  cleanup.push(() => emu.close());
  return { emu, warnings };
}

/** An SSE client of the board's /sse. */
async function events(emu: RunningEmulator): Promise<StreamReader> {
  const r = await StreamReader.open(emu.board.httpPort, sseGet);
  cleanup.push(() => r.socket.destroy());
  await r.waitForEvent((m) => m.data === 'hello!', 'hello!');
  return r;
}

/** Events the reader gets in the next `ms`. */
async function rate(r: StreamReader, ms = 1000): Promise<number> {
  const from = r.events.length;
  await new Promise((res) => setTimeout(res, ms));
  return r.events.length - from;
}

/** A raw client that syncs as esptool does (a SYNC every 100 ms until one is answered); resolves with the ms it took. */
async function rawSync(port: number, telnet: boolean): Promise<{ ms: number; socket: Socket; rx: Collector }> {
  const socket = connect({ port, host: '127.0.0.1' });
  cleanup.push(() => socket.destroy());
  const rx = new Collector();
  socket.on('data', rx.push);
  await new Promise((r) => socket.once('connect', r));
  if (telnet) socket.write(Buffer.from([255, 251, 44])); // WILL COM-PORT, as pyserial opens
  const started = Date.now();
  const timer = setInterval(() => socket.write(SYNC_FRAME), 100);
  socket.write(SYNC_FRAME);
  try {
    await rx.until((c) => c.bytes.includes(SYNC_REPLY), 'a SYNC reply', 10_000);
  } finally {
    clearInterval(timer);
  }
  return { ms: Date.now() - started, socket, rx };
}

function rss(): number {
  return process.memoryUsage().rss;
}

describe('serial ports under abuse (issue 14)', () => {
  it('app running: 64 MiB pushed into socket:// and an endless RFC 2217 subnegotiation; SSE keeps flowing, memory stays flat', async () => {
    const { emu, warnings } = await emulator({});
    const sse = await events(emu);
    const before = rss();
    const baseline = await rate(sse);

    const push = abuse('push', emu.uart!.socketPort!, 64 * MiB, '', '', 3000);
    // IAC SB COM-PORT, 32 MiB, then IAC SE and a SET-BAUDRATE 115200 whose answer shows the session survived.
    const endless = abuse('stream', emu.uart!.rfc2217Port!, 32 * MiB, 'fffa2c', 'fff0fffa2c010001c200fff0');
    const during = await rate(sse);
    expect(emu.uart!.uart.rxBacklog).toBeLessThanOrEqual(RX_BACKLOG_MAX);
    const [pushed, reply] = await Promise.all([push, endless]);
    expect(Number(/kernel-took=(\d+)/.exec(pushed)?.[1])).toBeLessThan(64 * MiB); // the emulator did not swallow it
    expect(reply).toContain('fffa2c650001c200fff0');
    expect(warnings.filter((w) => w === 'serial.rfc2217-subnegotiation-too-long')).toHaveLength(1);

    const after = await rate(sse);
    expect(baseline).toBeGreaterThan(20); // the sketch's 50 Hz
    expect(during).toBeGreaterThan(baseline / 2);
    expect(after).toBeGreaterThan(baseline / 2);
    expect(rss() - before).toBeLessThan(RSS_BUDGET);
  });

  it.each(['socket', 'rfc2217'] as const)('download mode over %s://: a SLIP frame start and 32 MiB without an end is dropped with one warning; SYNC is answered', async (kind) => {
    const { emu, warnings } = await emulator({ bootMode: 'download', wireTiming: false });
    const port = kind === 'socket' ? emu.uart!.socketPort! : emu.uart!.rfc2217Port!;
    const before = rss();
    await abuse('stream', port, 32 * MiB, 'c0');
    expect(emu.uart!.side.loader!.buffered).toBeLessThanOrEqual(8 + 0x4000 + 0xff);
    expect(warnings.filter((w) => w === 'serial.frame-too-long')).toHaveLength(1);
    const { ms } = await rawSync(port, kind === 'rfc2217');
    expect(ms).toBeLessThan(2000);
    expect(rss() - before).toBeLessThan(RSS_BUDGET);
  });

  it('download mode over socket://: 64 MiB pushed, then a disconnect; esptool-js connects at once, the app boots and serves SSE', async () => {
    const { emu, warnings } = await emulator({ bootMode: 'download' });
    const port = emu.uart!.socketPort!;
    const before = rss();
    const pushed = await abuse('push', port, 64 * MiB, 'c0');
    expect(Number(/kernel-took=(\d+)/.exec(pushed)?.[1])).toBeLessThan(64 * MiB);
    expect(emu.uart!.uart.rxBacklog).toBeLessThanOrEqual(RX_BACKLOG_MAX);

    const t = createTransport(`socket://127.0.0.1:${port}`);
    const transport = new Transport(new WebSerialAdapter(t) as unknown as ConstructorParameters<typeof Transport>[0], false);
    transport.trace = () => {};
    cleanup.push(() => transport.disconnect().catch(() => {}));
    const loader = new ESPLoader({ transport, baudrate: 115200, terminal: { clean() {}, writeLine() {}, write() {} }, debugLogging: false });
    const started = Date.now();
    expect(await loader.main('no_reset')).toBe('ESP32-D0WD-V3 (revision 3)');
    expect(Date.now() - started).toBeLessThan(15_000); // stub upload and 20-odd commands at 115200
    expect(warnings).toContain('serial.rx-unplugged');

    await loader.command(loader.ESP_RUN_USER_CODE, new Uint8Array(0), 0, false);
    await expect.poll(() => emu.board.state, { timeout: 20_000 }).toBe('running');
    const sse = await events(emu);
    expect(await rate(sse)).toBeGreaterThan(20);
    expect(rss() - before).toBeLessThan(RSS_BUDGET);
  });

  it('download mode over rfc2217://: 64 MiB pushed, then a disconnect; a new client\'s SYNC is answered at once; FLASH_END(1) runs the app', async () => {
    const { emu } = await emulator({ bootMode: 'download' });
    const port = emu.uart!.rfc2217Port!;
    const before = rss();
    await abuse('push', port, 64 * MiB, 'c0');
    expect(emu.uart!.uart.rxBacklog).toBeLessThanOrEqual(RX_BACKLOG_MAX);

    const { ms, socket } = await rawSync(port, true);
    expect(ms).toBeLessThan(2000);
    // ROM FLASH_END with "run user code": the loader leaves and the app boots.
    socket.write(slipEncode(encodeCommand({ op: Op.FLASH_END, checksum: 0, data: u32le(1) })));
    await expect.poll(() => emu.board.state, { timeout: 20_000 }).toBe('running');
    const sse = await events(emu);
    expect(await rate(sse)).toBeGreaterThan(20);
    expect(rss() - before).toBeLessThan(RSS_BUDGET);
  });
});
