/**
 * The UART's receive path under hosts that send too much: a host that runs ahead of the wire is
 * paused (never more than RX_BACKLOG_MAX on the wire, nothing lost); a host that goes, or loses
 * the RX line to a newer one, has its bytes taken off the wire at once; the ROM loader's RX FIFO
 * drops what arrives while it still transmits, so a SYNC flood cannot queue replies without bound.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Flash } from '../flash.js';
import { Op } from '../../protocol/rom-opcodes.js';
import { encodeCommand } from '../../protocol/rom-packet.js';
import { SYNC_DATA } from '../../protocol/rom-opcodes.js';
import { slipEncode } from '../../protocol/slip.js';
import { ManualClock } from './clock.js';
import { SerialSide } from './serial-side.js';
import { RX_BACKLOG_MAX, Uart, type UartPort } from './uart.js';

/** A host that honours the pause: it queues its writes while paused, as a blocked `write()` does. */
class PoliteHost {
  readonly port: UartPort;
  paused = false;
  resumes = 0;
  private backlog: Uint8Array[] = [];

  constructor(uart: Uart) {
    this.port = uart.attach({
      deliver: () => {},
      disconnect: () => {},
      resume: () => {
        this.resumes++;
        this.paused = false;
        this.pump();
      },
    });
  }

  write(bytes: Uint8Array): void {
    this.backlog.push(bytes);
    this.pump();
  }

  get queued(): number {
    return this.backlog.reduce((n, b) => n + b.length, 0);
  }

  private pump(): void {
    while (!this.paused && this.backlog.length > 0) {
      if (!this.port.receive(this.backlog.shift()!)) this.paused = true;
    }
  }
}

function board(uart: Uart): number[] {
  const got: number[] = [];
  uart.onReceive((b) => got.push(...b));
  return got;
}

const SYNC = slipEncode(encodeCommand({ op: Op.SYNC, checksum: 0, data: SYNC_DATA }));

describe('UART receive path: backpressure', () => {
  it('pauses a host that runs ahead of the wire, keeps at most the bound on it, loses nothing', () => {
    const clock = new ManualClock();
    const uart = new Uart({ clock });
    const got = board(uart);
    const host = new PoliteHost(uart);
    const data = Uint8Array.from({ length: 64 * 1024 }, (_, i) => (i * 31) & 0xff);
    host.write(data);
    expect(host.paused).toBe(true);
    let most = 0;
    while (got.length < data.length) {
      most = Math.max(most, uart.rxBacklog);
      clock.advance(7);
    }
    expect(most).toBeLessThanOrEqual(RX_BACKLOG_MAX);
    expect(Buffer.compare(Buffer.from(got), Buffer.from(data))).toBe(0);
    expect(host.paused).toBe(false);
    expect(host.resumes).toBe(1);
    // 64 KiB at 115200 8N1 take 5.7 s, as on the wire.
    expect(clock.now()).toBeGreaterThan(5600);
  });

  it('any mix of writes and waits: the wire never holds more than the bound, bytes arrive in order', () => {
    fc.assert(fc.property(
      fc.array(fc.record({ size: fc.integer({ min: 1, max: 12_000 }), wait: fc.integer({ min: 0, max: 400 }) }), { minLength: 1, maxLength: 8 }),
      fc.constantFrom(9600, 115200, 921600, 2_000_000),
      (steps, baud) => {
        const clock = new ManualClock();
        const uart = new Uart({ clock, baudRate: baud });
        const got = board(uart);
        const host = new PoliteHost(uart);
        const sent: number[] = [];
        let n = 0;
        for (const s of steps) {
          const chunk = Uint8Array.from({ length: s.size }, () => n++ & 0xff);
          sent.push(...chunk);
          host.write(chunk);
          expect(uart.rxBacklog).toBeLessThanOrEqual(RX_BACKLOG_MAX);
          clock.advance(s.wait);
          expect(uart.rxBacklog).toBeLessThanOrEqual(RX_BACKLOG_MAX);
        }
        clock.advance((sent.length * 10 * 1000) / baud + 50);
        expect(host.queued).toBe(0);
        expect(got).toEqual(sent);
      },
    ), { numRuns: 25 });
  });
});

describe('UART receive path: unplugged hosts', () => {
  it('a host that detaches has its bytes taken off the wire at once', () => {
    const clock = new ManualClock();
    const uart = new Uart({ clock });
    const got = board(uart);
    const gone = new PoliteHost(uart);
    gone.write(new Uint8Array(64 * 1024).fill(0x41));
    clock.advance(100);
    const before = got.length;
    gone.port.detach();
    expect(uart.rxBacklog).toBe(0);
    const next = new PoliteHost(uart);
    next.write(SYNC);
    clock.advance(10);
    expect(got.length - before).toBe(SYNC.length);
    expect(got.slice(before)).toEqual([...SYNC]);
  });

  it('a newer host that sends takes the RX line; the older one is unplugged from it until the newer goes', () => {
    const clock = new ManualClock();
    const warnings: string[] = [];
    const uart = new Uart({ clock, warn: (c) => warnings.push(c) });
    const got = board(uart);
    const old = new PoliteHost(uart);
    old.write(new Uint8Array(64 * 1024).fill(0x41));
    clock.advance(50);
    const watcher = new PoliteHost(uart); // attached, sends nothing: takes nothing over
    expect(uart.rxBacklog).toBeGreaterThan(0);
    expect(old.paused).toBe(true);
    const fresh = new PoliteHost(uart);
    const before = got.length;
    fresh.write(SYNC);
    // The old host's bytes are off the wire, it is no longer held back (its data is now dropped).
    expect(old.paused).toBe(false);
    expect(old.queued).toBe(0);
    expect(warnings).toContain('serial.rx-unplugged');
    clock.advance(10);
    expect(got.slice(before)).toEqual([...SYNC]);
    old.write(Uint8Array.of(1, 2, 3));
    clock.advance(10);
    expect(got.length - before).toBe(SYNC.length);
    expect(warnings).toContain('serial.rx-not-driver');
    // The newer host goes: the older one drives the line again.
    fresh.port.detach();
    old.write(Uint8Array.of(4, 5, 6));
    clock.advance(10);
    expect(got.slice(-3)).toEqual([4, 5, 6]);
    expect(uart.rxDriver).toBeDefined();
    watcher.port.detach();
  });
});

describe('ROM loader behind the RX FIFO', () => {
  it('a SYNC flood from a host that never waits for answers queues a bounded reply backlog; a later SYNC is answered', () => {
    const clock = new ManualClock();
    const warnings: string[] = [];
    const uart = new Uart({ clock });
    const side = new SerialSide({ flash: new Flash(), uart, board: { hold() {}, bootFromFlash() {} }, warn: (c) => warnings.push(c) });
    side.powerOn('download');
    let answered = 0;
    const host = uart.attach({
      deliver: (b) => {
        answered += b.length;
      },
      disconnect: () => {},
      resume: () => flood(),
    });
    let sent = 0;
    const flood = (): void => {
      while (sent < 2000) {
        sent++;
        if (!host.receive(SYNC)) return;
      }
    };
    flood();
    let most = 0;
    for (let t = 0; t < 20_000 && sent < 2000; t += 5) {
      clock.advance(5);
      most = Math.max(most, uart.txBacklog);
    }
    expect(sent).toBe(2000);
    expect(most).toBeLessThan(2048);
    expect(warnings).toContain('serial.rx-overrun');
    clock.advance(5000);
    // Overruns cut frames, so the loader may be inside a broken one: like esptool, sync until answered.
    const before = answered;
    for (let i = 0; i < 3 && answered === before; i++) {
      host.receive(SYNC);
      clock.advance(100);
    }
    expect(answered - before).toBe(8 * 14); // 8 replies of 12 bytes, each in its own C0 … C0
    side.dispose();
  });
});
