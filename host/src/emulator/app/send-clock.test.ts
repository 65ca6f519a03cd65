import { describe, expect, it } from 'vitest';
import { MillisClock } from '../clock.js';
import { readingJson, sendClock } from './sketch.js';

describe('sendClock: the millis() each send is stamped with', () => {
  it('follows the board clock while the loop keeps its schedule', () => {
    let t = 1000;
    const next = sendClock(new MillisClock(() => t));
    t += 20;
    expect(next()).toBe(20);
    t += 20;
    expect(next()).toBe(40);
  });

  it('never repeats an id when the host runs missed loop passes back to back', () => {
    let t = 0;
    const next = sendClock(new MillisClock(() => t));
    t = 1607.4;
    expect([next(), next(), next()]).toEqual([1607, 1608, 1609]);
    t = 1608.9; // the clock has not caught up with the last id yet
    expect(next()).toBe(1610);
    t = 1700;
    expect(next()).toBe(1700);
  });

  it('wraps at 2^32 like millis(), and stays strictly increasing mod 2^32 across the wrap', () => {
    let t = 0;
    const next = sendClock(new MillisClock(() => t, 0xffff_ffff));
    expect(next()).toBe(0xffff_ffff);
    expect(next()).toBe(0);
    t = 0.5;
    expect(next()).toBe(1);
    t = 5;
    expect(next()).toBe(4);
  });

  it('formats the payload from the same value as the id', () => {
    expect(readingJson(4294967295)).toBe('{"time":"4294967295"}');
  });
});
