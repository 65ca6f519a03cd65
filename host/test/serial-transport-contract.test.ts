/**
 * The ByteTransport contract (transport/types.ts), checked the same way for every implementation
 * against a real far end: the in-memory pair, socket:// (TCP server), rfc2217:// (the emulator's
 * RFC 2217 server) and a device path (node-serialport on a socat pty pair).
 */
import { createServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Rfc2217Server } from '../src/emulator/uart/rfc2217-server.js';
import { Uart } from '../src/emulator/uart/uart.js';
import type { TransportBase } from '../src/transport/base.js';
import { createMemoryPair } from '../src/transport/memory.js';
import { createTransport } from '../src/transport/open-port.js';
import { TransportClosedError, type ByteTransport } from '../src/transport/types.js';
import { Collector, ptyPair } from './serial-helpers.js';

interface Rig {
  transport: ByteTransport;
  /** Sends bytes from the far end to the transport. */
  fromPeer(bytes: Uint8Array): void;
  /** Everything the far end received. */
  atPeer: Collector;
}

const cleanup: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

const rigs: Record<string, () => Promise<Rig>> = {
  'memory pair': async () => {
    const [host, device] = createMemoryPair();
    await device.open();
    const atPeer = new Collector();
    device.onData(atPeer.push);
    return { transport: host, fromPeer: (b) => void device.write(b), atPeer };
  },
  'socket://': async () => {
    const atPeer = new Collector();
    let peer: Socket | undefined;
    const server = createServer((s) => {
      peer = s;
      s.on('data', atPeer.push);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanup.push(() => new Promise((r) => server.close(r)));
    const transport = createTransport(`socket://127.0.0.1:${(server.address() as { port: number }).port}`);
    return { transport, fromPeer: (b) => peer?.write(b), atPeer };
  },
  'rfc2217://': async () => {
    const uart = new Uart({ wireTiming: false });
    const srv = await Rfc2217Server.start(uart, '127.0.0.1', 0);
    cleanup.push(() => srv.close());
    const atPeer = new Collector();
    uart.onReceive(atPeer.push);
    return { transport: createTransport(`rfc2217://127.0.0.1:${srv.port}`), fromPeer: (b) => uart.transmit(b), atPeer };
  },
  'device path (pty)': async () => {
    const pair = await ptyPair();
    cleanup.push(() => pair.close());
    const far = createTransport(pair.b);
    await far.open();
    cleanup.push(() => far.close());
    const atPeer = Collector.on(far);
    return { transport: createTransport(pair.a), fromPeer: (b) => void far.write(b), atPeer };
  },
};

describe.each(Object.keys(rigs))('ByteTransport contract: %s', (kind) => {
  it('open, bytes in order both ways, lines and baud in place, close once', async () => {
    const { transport: t, fromPeer, atPeer } = await rigs[kind]!();
    expect(t.isOpen).toBe(false);
    await expect(t.write(Uint8Array.of(1))).rejects.toBeInstanceOf(TransportClosedError);
    await t.open();
    cleanup.push(() => t.close());
    expect(t.isOpen).toBe(true);
    await expect(t.open()).rejects.toThrow(/already open/);

    const got = Collector.on(t);
    for (let i = 0; i < 4; i++) await t.write(Uint8Array.from({ length: 100 }, (_, j) => (i * 100 + j) & 0xff));
    await atPeer.until((c) => c.bytes.length >= 400);
    expect([...atPeer.bytes]).toEqual(Array.from({ length: 400 }, (_, j) => j & 0xff));
    fromPeer(Uint8Array.of(0xc0, 0xff, 0x00, 0xdb));
    await got.until((c) => c.bytes.length >= 4);
    expect([...got.bytes]).toEqual([0xc0, 0xff, 0x00, 0xdb]);

    const lines = (): unknown => (t as TransportBase).lines;
    expect(lines()).toEqual({ dtr: false, rts: false }); // both deasserted on open
    await t.setSignals({ dtr: true });
    await t.setSignals({ rts: true });
    await t.setSignals({ dtr: false });
    expect(lines()).toEqual({ dtr: false, rts: true }); // each call changed only the line it named
    await t.setBaudRate(460800);
    expect(t.baudRate).toBe(460800);
    expect(t.isOpen).toBe(true);
    await expect(t.setBaudRate(0)).rejects.toThrow(RangeError);

    const closes: (Error | undefined)[] = [];
    t.onClose((e) => closes.push(e));
    await t.close();
    await t.close();
    expect(closes).toEqual([undefined]);
    expect(t.isOpen).toBe(false);
    const after = got.bytes.length;
    fromPeer(Uint8Array.of(1, 2, 3));
    await new Promise((r) => setImmediate(r));
    await expect(t.write(Uint8Array.of(1))).rejects.toBeInstanceOf(TransportClosedError);
    await expect(t.setSignals({ dtr: true })).rejects.toBeInstanceOf(TransportClosedError);
    expect(got.bytes.length).toBe(after); // nothing delivered after close()
  });
});
