import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createTransport } from '../src/transport/open-port.js';
import { SerialPortTransport } from '../src/transport/serialport.js';
import type { ByteTransport } from '../src/transport/types.js';
import { Uart } from '../src/emulator/uart/uart.js';
import { Rfc2217Server } from '../src/emulator/uart/rfc2217-server.js';
import { SocketServer } from '../src/emulator/uart/socket-server.js';
import { Collector, ptyPair, waitTimeoutMs } from './serial-helpers.js';

/** Every byte value, twice (0xFF must survive telnet escaping, 0xC0 must pass raw). */
const allBytes = Uint8Array.from({ length: 512 }, (_, i) => i & 0xff);

const cleanup: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function opened(name: string): Promise<ByteTransport> {
  const t = createTransport(name);
  await t.open();
  cleanup.push(() => t.close());
  return t;
}

function closedWith(t: ByteTransport): Promise<Error | undefined> {
  return new Promise((resolve) => t.onClose(resolve));
}

describe('socket:// against a real TCP server', () => {
  it('carries bytes both ways, ignores control lines and baud, reports the peer closing', async () => {
    const peers: Socket[] = [];
    const got = new Collector();
    const server: Server = createServer((s) => {
      peers.push(s);
      s.on('data', got.push);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanup.push(() => new Promise((r) => server.close(r)));
    const port = (server.address() as { port: number }).port;
    const t = await opened(`socket://127.0.0.1:${port}`);
    const back = Collector.on(t);
    await t.write(allBytes);
    await got.until((c) => c.bytes.length === allBytes.length);
    expect(Buffer.compare(got.bytes, Buffer.from(allBytes))).toBe(0);
    await t.setSignals({ dtr: true, rts: true });
    await t.setBaudRate(921600);
    expect(t.baudRate).toBe(921600);
    peers[0]!.write(Buffer.from(allBytes));
    await back.until((c) => c.bytes.length === allBytes.length);
    expect(Buffer.compare(back.bytes, Buffer.from(allBytes))).toBe(0);
    const closing = closedWith(t);
    peers[0]!.end();
    expect((await closing)?.message).toMatch(/closed by the peer/);
    expect(t.isOpen).toBe(false);
    await expect(t.write(Uint8Array.of(1))).rejects.toThrow(/not open/);
  });

  it('fails to open when nothing listens', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    await new Promise((r) => server.close(r));
    await expect(createTransport(`socket://127.0.0.1:${port}`).open()).rejects.toThrow(/ECONNREFUSED/);
  });

  it('reaches the emulator UART through its raw TCP server', async () => {
    const uart = new Uart({ wireTiming: false });
    const srv = await SocketServer.start(uart, '127.0.0.1', 0);
    cleanup.push(() => srv.close());
    const rx = new Collector();
    uart.onReceive(rx.push);
    const t = await opened(`socket://127.0.0.1:${srv.port}`);
    const back = Collector.on(t);
    await t.write(allBytes);
    await rx.until((c) => c.bytes.length === allBytes.length);
    expect(Buffer.compare(rx.bytes, Buffer.from(allBytes))).toBe(0);
    await expect.poll(() => uart.clientCount, { timeout: waitTimeoutMs }).toBe(1);
    uart.transmit(allBytes);
    await back.until((c) => c.bytes.length === allBytes.length);
    expect(Buffer.compare(back.bytes, Buffer.from(allBytes))).toBe(0);
  });
});

describe('rfc2217:// against the emulator RFC 2217 server (real TCP)', () => {
  async function setup(query = '') {
    const uart = new Uart({ wireTiming: false });
    const srv = await Rfc2217Server.start(uart, '127.0.0.1', 0);
    cleanup.push(() => srv.close());
    const lines: { dtr: boolean; rts: boolean }[] = [];
    uart.onLines((l) => lines.push(l));
    const rx = new Collector();
    uart.onReceive(rx.push);
    const t = await opened(`rfc2217://127.0.0.1:${srv.port}${query}`);
    return { uart, t, lines, rx };
  }

  it('negotiates, carries every byte value both ways (0xFF escaped), and applies DTR/RTS in order before acknowledging', async () => {
    const { uart, t, lines, rx } = await setup();
    const back = Collector.on(t);
    await t.write(allBytes);
    await rx.until((c) => c.bytes.length === allBytes.length);
    expect(Buffer.compare(rx.bytes, Buffer.from(allBytes))).toBe(0);
    uart.transmit(allBytes);
    await back.until((c) => c.bytes.length === allBytes.length);
    expect(Buffer.compare(back.bytes, Buffer.from(allBytes))).toBe(0);

    lines.length = 0;
    // esptool-js ClassicReset: both lines in one call each step.
    await t.setSignals({ dtr: false, rts: true });
    expect(lines.at(-1)).toEqual({ dtr: false, rts: true }); // acknowledged ⇒ already applied
    await t.setSignals({ dtr: true, rts: false });
    await t.setSignals({ dtr: false, rts: false });
    expect(lines).toEqual([
      { dtr: false, rts: true },
      { dtr: true, rts: true }, // DTR then RTS travel one subcommand each
      { dtr: true, rts: false },
      { dtr: false, rts: false },
    ]);
  });

  it('tells the board the host baud rate: matching rates pass bytes, a mismatch garbles them', async () => {
    const { uart, t } = await setup();
    const back = Collector.on(t);
    await t.setBaudRate(9600);
    uart.transmit(new TextEncoder().encode('hello board'));
    await back.until((c) => c.bytes.length > 0);
    expect(back.text).not.toContain('hello board');
    back.clear();
    await t.setBaudRate(115200);
    uart.transmit(new TextEncoder().encode('hello board'));
    await back.untilText('hello board');
  });

  it('ign_set_control does not wait for SET_CONTROL acknowledgements (a server that never sends them)', async () => {
    // A minimal RFC 2217 server that agrees to COM-PORT and acknowledges only SET_BAUDRATE..STOPSIZE.
    const server = createServer((s) => {
      s.on('data', (d: Buffer) => {
        const bytes = [...d];
        for (let i = 0; i < bytes.length; i++) {
          if (bytes[i] === 255 && bytes[i + 1] === 251 && bytes[i + 2] === 44) s.write(Buffer.from([255, 253, 44]));
          if (bytes[i] === 255 && bytes[i + 1] === 250 && bytes[i + 2] === 44) {
            const cmd = bytes[i + 3]!;
            const end = bytes.indexOf(240, i);
            if (cmd >= 1 && cmd <= 4) s.write(Buffer.from([255, 250, 44, cmd + 100, ...bytes.slice(i + 4, end - 1), 255, 240]));
          }
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanup.push(() => new Promise((r) => server.close(r)));
    const port = (server.address() as { port: number }).port;
    const t = await opened(`rfc2217://127.0.0.1:${port}?ign_set_control`);
    await t.setSignals({ dtr: true, rts: false });
    expect(t.isOpen).toBe(true);
    const strict = createTransport(`rfc2217://127.0.0.1:${port}?timeout=0.3`);
    await expect(strict.open()).rejects.toThrow(/DTR\/RTS.*ign_set_control/);
  });

  it('fails clearly against a server that is not RFC 2217', async () => {
    const server = createServer((s) => s.on('data', () => s.write('login: ')));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanup.push(() => new Promise((r) => server.close(r)));
    const port = (server.address() as { port: number }).port;
    await expect(createTransport(`rfc2217://127.0.0.1:${port}?timeout=0.3`).open()).rejects.toThrow(/COM-PORT/);
  });

  it('reports the server going away', async () => {
    const { t } = await setup();
    const closing = closedWith(t);
    for (const c of cleanup.splice(0, 1)) await c(); // the server closes its connections
    expect((await closing)?.message).toMatch(/closed/);
  });
});

describe('device path against a socat pty pair (node-serialport)', () => {
  it('carries bytes both ways, changes baud in place, and warns once that a pty has no DTR/RTS', async () => {
    const pair = await ptyPair();
    cleanup.push(() => pair.close());
    const warnings: string[] = [];
    const a = new SerialPortTransport(pair.a, 115200, (code) => warnings.push(code));
    const b = createTransport(pair.b);
    await a.open();
    cleanup.push(() => a.close());
    await b.open();
    cleanup.push(() => b.close());
    const atB = Collector.on(b);
    const atA = Collector.on(a);
    await a.write(allBytes);
    await atB.until((c) => c.bytes.length === allBytes.length);
    expect(Buffer.compare(atB.bytes, Buffer.from(allBytes))).toBe(0);
    await b.write(new TextEncoder().encode('pong'));
    await atA.untilText('pong');
    await a.setBaudRate(460800);
    expect(a.baudRate).toBe(460800);
    await a.setSignals({ dtr: true, rts: false });
    await a.setSignals({ rts: true });
    expect(a.lines).toEqual({ dtr: true, rts: true });
    // A Linux pty refuses TIOCMSET (ENOTTY): one warning, lines kept in the cache, no error.
    expect(a.hasControlLines).toBe(false);
    expect(warnings).toEqual(['serial.no-control-lines']);
    await a.write(new TextEncoder().encode('still alive'));
    await atB.untilText('still alive');
  });

  it('fails to open a path that does not exist', async () => {
    await expect(createTransport('/nonexistent/ttyUSB9').open()).rejects.toThrow();
  });
});
