import { describe, expect, it } from 'vitest';
import { ManualClock } from './clock.js';
import { Uart } from './uart.js';

function client(uart: Uart) {
  const got: number[] = [];
  const cuts: string[] = [];
  const port = uart.attach({ deliver: (b) => got.push(...b), disconnect: (r) => cuts.push(r) });
  return { got, cuts, port };
}

describe('the board UART', () => {
  it('paces transmit at the board rate when wire timing is on', () => {
    const clock = new ManualClock();
    const uart = new Uart({ clock });
    const c = client(uart);
    uart.transmit(new Uint8Array(1152));
    clock.advance(99);
    expect(c.got.length).toBeLessThan(1152);
    clock.advance(1.01);
    expect(c.got).toHaveLength(1152);
  });

  it('garbles bytes for a host at another baud rate, passes them within 5 %', () => {
    const uart = new Uart({ wireTiming: false });
    const c = client(uart);
    const text = new TextEncoder().encode('SPIFFS mounted successfully');
    c.port.setHostBaudRate(9600);
    uart.transmit(text);
    expect(Buffer.from(c.got).toString()).not.toContain('SPIFFS');
    c.got.length = 0;
    c.port.setHostBaudRate(115200 * 1.03);
    uart.transmit(text);
    expect(Buffer.from(c.got).toString()).toBe('SPIFFS mounted successfully');
  });

  it('fault switches: every Nth byte corrupted or dropped, disconnect after N bytes', () => {
    const corrupt = new Uart({ wireTiming: false, txFaults: { corruptEvery: 4 } });
    const a = client(corrupt);
    corrupt.transmit(new Uint8Array(8));
    expect(a.got.map((b) => (b === 0 ? 0 : 1))).toEqual([0, 0, 0, 1, 0, 0, 0, 1]);

    const drop = new Uart({ wireTiming: false, rxFaults: { dropEvery: 2 } });
    const rx: number[] = [];
    drop.onReceive((b) => rx.push(...b));
    client(drop).port.receive(Uint8Array.of(1, 2, 3, 4, 5, 6));
    expect(rx).toEqual([1, 3, 5]);

    const cut = new Uart({ wireTiming: false, txFaults: { disconnectAfter: 5 } });
    const c = client(cut);
    cut.transmit(Uint8Array.of(1, 2, 3));
    cut.transmit(Uint8Array.of(4, 5, 6, 7));
    expect(c.got).toEqual([1, 2, 3, 4, 5]);
    expect(c.cuts).toHaveLength(1);
    expect(cut.clientCount).toBe(0);
  });

  it('a reply sent before a baud change arrives intact at the old rate; later bytes need the new rate', () => {
    const clock = new ManualClock();
    const uart = new Uart({ clock });
    const c = client(uart);
    c.port.setHostBaudRate(115200);
    uart.transmit(new TextEncoder().encode('CHANGE_BAUDRATE reply'));
    uart.setBaudRate(921600); // the chip switches right after queuing its reply (stub post-process)
    clock.advance(10);
    expect(Buffer.from(c.got).toString()).toBe('CHANGE_BAUDRATE reply');
    c.got.length = 0;
    uart.transmit(new TextEncoder().encode('at 921600'));
    clock.advance(10);
    expect(Buffer.from(c.got).toString()).not.toContain('921600');
    c.got.length = 0;
    c.port.setHostBaudRate(921600);
    uart.transmit(new TextEncoder().encode('at 921600'));
    clock.advance(10);
    expect(Buffer.from(c.got).toString()).toBe('at 921600');
  });

  it('a deferred baud change applies even when no client is attached', () => {
    const clock = new ManualClock();
    const uart = new Uart({ clock });
    uart.transmit(new Uint8Array(100));
    uart.setBaudRate(921600);
    expect(uart.baudRate).toBe(115200); // the reply is still leaving at the old rate
    clock.advance(20);
    expect(uart.baudRate).toBe(921600);
  });
});
