import { describe, expect, it } from 'vitest';
import { limitWarnings } from './warn-limit.js';

type Line = [code: string, message: string, hint?: string];

function harness(schedule = false) {
  let t = 0;
  const lines: Line[] = [];
  const timers: Array<{ at: number; fn: () => void; live: boolean }> = [];
  const warn = limitWarnings((...l: Line) => { lines.push(l); }, {
    now: () => t,
    ...(schedule ? {
      schedule: (fn: () => void, ms: number) => {
        const timer = { at: t + ms, fn, live: true };
        timers.push(timer);
        return () => { timer.live = false; };
      },
    } : {}),
  });
  const advance = (ms: number) => {
    t += ms;
    for (const timer of timers) {
      if (timer.live && timer.at <= t) {
        timer.live = false;
        timer.fn();
      }
    }
  };
  return { warn, lines, advance };
}

describe('limitWarnings', () => {
  it('5,000 bad packets in a burst: the first line at once, the rest counted on flush', () => {
    const { warn, lines, advance } = harness();
    for (let i = 0; i < 5000; i++) {
      warn('discover.warning', `undecodable packet ${i}`);
      advance(1);
    }
    expect(lines).toEqual([['discover.warning', 'undecodable packet 0']]);
    warn.flush();
    expect(lines).toEqual([['discover.warning', 'undecodable packet 0'], ['discover.warning', 'undecodable packet 4999 (and 4998 more like it)']]);
    warn.flush();
    expect(lines).toHaveLength(2);
  });

  it('at most one line per 10 s per code; the line after a window carries the count of the suppressed ones', () => {
    const { warn, lines, advance } = harness();
    warn('a', 'one');
    advance(5_000);
    warn('a', 'two');
    warn('a', 'three');
    warn('b', 'other code', 'its hint');
    advance(5_000);
    warn('a', 'four', 'hint');
    advance(10_000);
    warn('a', 'five');
    expect(lines).toEqual([['a', 'one'], ['b', 'other code', 'its hint'], ['a', 'four (and 2 more like it)', 'hint'], ['a', 'five']]);
  });

  it('with a scheduler the count is reported when the window closes, without waiting for another warning', () => {
    const { warn, lines, advance } = harness(true);
    warn('a', 'first');
    for (let i = 0; i < 873; i++) warn('a', `bad ${i}`, 'h');
    advance(9_999);
    expect(lines).toHaveLength(1);
    advance(1);
    expect(lines).toEqual([['a', 'first'], ['a', 'bad 872 (and 872 more like it)', 'h']]);
    // The release opened a new window.
    warn('a', 'soon after');
    expect(lines).toHaveLength(2);
    warn.flush();
    expect(lines[2]).toEqual(['a', 'soon after']);
    advance(20_000);
    expect(lines).toHaveLength(3);
  });

  it('passes every warning on when they are rare', () => {
    const { warn, lines, advance } = harness(true);
    for (let i = 0; i < 3; i++) {
      warn('a', `m${i}`);
      advance(10_000);
    }
    expect(lines.map((l) => l[1])).toEqual(['m0', 'm1', 'm2']);
  });
});
