import { describe, expect, it } from 'vitest';
import { ManualClock } from './clock.js';
import { Wire, wireTimeMs } from './wire.js';

describe('UART wire pacing', () => {
  it('8N1: a byte takes 10 bit times', () => {
    expect(wireTimeMs(11520, 115200)).toBe(1000);
    expect(wireTimeMs(1, 9600)).toBeCloseTo(1.0417, 3);
  });

  it('delivers bytes when they have crossed the wire, in order, streaming in slices', () => {
    const clock = new ManualClock();
    const got: number[] = [];
    const wire = new Wire(clock, (b) => got.push(...b), 115200, true);
    const data = Uint8Array.from({ length: 1152 }, (_, i) => i & 0xff); // 100 ms at 115200
    wire.send(data);
    expect(got).toHaveLength(0);
    clock.advance(50);
    expect(got.length).toBeGreaterThan(400);
    expect(got.length).toBeLessThan(700);
    clock.advance(49);
    expect(got.length).toBeLessThan(1152);
    clock.advance(1.01);
    expect(got).toEqual([...data]);
    expect(wire.pending).toBe(0);
  });

  it('queues back-to-back sends behind each other and follows a baud change for new bytes', () => {
    const clock = new ManualClock();
    const got: number[] = [];
    const wire = new Wire(clock, (b) => got.push(...b), 115200, true);
    wire.send(new Uint8Array(1152));
    wire.send(new Uint8Array(1152).fill(1));
    clock.advance(100.01);
    expect(got).toHaveLength(1152);
    clock.advance(100);
    expect(got).toHaveLength(2304);
    wire.baud = 921600;
    wire.send(new Uint8Array(9216)); // 100 ms at 921600
    clock.advance(100.01);
    expect(got).toHaveLength(2304 + 9216);
  });

  it('clear() drops what is on the wire (a reset); timing off passes bytes at once', () => {
    const clock = new ManualClock();
    const got: number[] = [];
    const wire = new Wire(clock, (b) => got.push(...b), 115200, true);
    wire.send(new Uint8Array(100));
    wire.clear();
    clock.advance(1000);
    expect(got).toHaveLength(0);
    const fast = new Wire(clock, (b) => got.push(...b), 115200, false);
    fast.send(Uint8Array.of(1, 2, 3));
    expect(got).toEqual([1, 2, 3]);
  });
});

describe('UART wire: unplugging a sender', () => {
  it('takes one sender\'s bytes off the wire; the others close up and arrive in order, sooner', () => {
    const clock = new ManualClock();
    const got: number[] = [];
    const wire = new Wire(clock, (b) => got.push(...b), 115200, true);
    const a = {};
    const b = {};
    wire.send(new Uint8Array(1152).fill(1), a); // 100 ms
    wire.send(Uint8Array.of(2, 2, 2), b);
    wire.send(new Uint8Array(1152).fill(1), a);
    wire.send(Uint8Array.of(3), b);
    clock.advance(20);
    const early = got.length;
    wire.drop(a);
    expect(wire.pending).toBe(4);
    clock.advance(1);
    expect(got.slice(early)).toEqual([2, 2, 2, 3]);
    expect(wire.pending).toBe(0);
  });
});
