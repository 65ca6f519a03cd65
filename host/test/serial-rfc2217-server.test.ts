/**
 * The emulator's RFC 2217 server byte for byte, driven by a raw TCP client that sends what
 * pyserial 3.5's `rfc2217://` client sends when esptool opens the port (option requests, line
 * settings, DTR then RTS, purge), then a reset sequence and data with 0xFF.
 */
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Rfc2217Server } from '../src/emulator/uart/rfc2217-server.js';
import { Uart } from '../src/emulator/uart/uart.js';
import { Collector } from './serial-helpers.js';

const IAC = 255, SB = 250, SE = 240, WILL = 251, WONT = 252, DO = 253;
const sb = (...p: number[]): number[] => [IAC, SB, 44, ...p, IAC, SE];

const cleanup: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

describe('RFC 2217 server wire format', () => {
  it('answers pyserial\'s open sequence and acknowledges each setting after applying it', async () => {
    const uart = new Uart({ wireTiming: false });
    const lines: string[] = [];
    uart.onLines((l) => lines.push(`${+l.dtr}${+l.rts}`));
    const rx = new Collector();
    uart.onReceive(rx.push);
    const srv = await Rfc2217Server.start(uart, '127.0.0.1', 0);
    cleanup.push(() => srv.close());
    const sock = connect({ host: '127.0.0.1', port: srv.port });
    cleanup.push(() => sock.destroy());
    const got = new Collector();
    sock.on('data', got.push);
    await new Promise((r) => sock.once('connect', r));

    // The server asks for COM-PORT as soon as the client connects.
    await got.until((c) => c.bytes.length >= 3);
    expect([...got.bytes]).toEqual([IAC, DO, 44]);
    got.clear();

    // pyserial: DO ECHO, WILL SGA, DO SGA, DO COM-PORT, WILL COM-PORT.
    sock.write(Buffer.from([IAC, DO, 1, IAC, WILL, 3, IAC, DO, 3, IAC, DO, 44, IAC, WILL, 44]));
    const answers = [IAC, WONT, 1, IAC, DO, 3, IAC, WILL, 3, IAC, WILL, 44];
    await got.until((c) => c.bytes.length >= answers.length);
    expect([...got.bytes]).toEqual(answers); // WILL COM-PORT answered our DO: no reply (no loop)
    got.clear();

    // Line settings: 115200 8N1, then DTR on, RTS on (pyserial 3.x order), purge receive buffer.
    sock.write(Buffer.from([...sb(1, 0, 1, 0xc2, 0), ...sb(2, 8), ...sb(3, 1), ...sb(4, 1), ...sb(5, 8), ...sb(5, 11), ...sb(12, 1)]));
    const acks = [...sb(101, 0, 1, 0xc2, 0), ...sb(102, 8), ...sb(103, 1), ...sb(104, 1), ...sb(105, 8), ...sb(105, 11), ...sb(112, 1)];
    await got.until((c) => c.bytes.length >= acks.length);
    expect([...got.bytes]).toEqual(acks);
    expect(lines).toEqual(['10', '11']); // DTR then RTS: never (RTS=1, DTR=0), so opening does not reset
    got.clear();

    // Queries answer the current value; 0xFF is doubled both ways.
    sock.write(Buffer.from([...sb(5, 7), ...sb(5, 10), ...sb(1, 0, 0, 0, 0), 0x41, IAC, IAC, 0x42]));
    await rx.until((c) => c.bytes.length >= 3);
    expect([...rx.bytes]).toEqual([0x41, 0xff, 0x42]);
    const q = [...sb(105, 8), ...sb(105, 11), ...sb(101, 0, 1, 0xc2, 0)];
    await got.until((c) => c.bytes.length >= q.length);
    expect([...got.bytes]).toEqual(q);
    got.clear();
    uart.transmit(Uint8Array.of(0xff, 0xc0));
    await got.until((c) => c.bytes.length >= 3);
    expect([...got.bytes]).toEqual([IAC, IAC, 0xc0]);

    // Closing the connection drops both lines, like a tty closing with HUPCL.
    sock.end();
    await expect.poll(() => lines.at(-1), { timeout: 20_000 }).toBe('00');
  });
});
