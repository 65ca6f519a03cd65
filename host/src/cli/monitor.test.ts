import { describe, expect, it } from 'vitest';
import { isUserError } from '../errors.js';
import { parseDuration, parseUntil, prepareFlashMonitor } from './monitor.js';

const code = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (e) {
    return isUserError(e) ? e.code : 'not a UserError';
  }
  return undefined;
};

describe('monitor options', () => {
  it('reads --timeout as ms by default, or with ms/s/m units', () => {
    expect(parseDuration('1500', '--timeout')).toBe(1500);
    expect(parseDuration('250ms', '--timeout')).toBe(250);
    expect(parseDuration('30s', '--timeout')).toBe(30_000);
    expect(parseDuration('1.5s', '--timeout')).toBe(1500);
    expect(parseDuration('2m', '--timeout')).toBe(120_000);
    for (const bad of ['', '0', '-5', 'x', '10h', '5 s']) expect(code(() => parseDuration(bad, '--timeout'))).toBe('monitor.bad-timeout');
  });

  it('compiles --until, and names a bad pattern', () => {
    expect(parseUntil('HTTP server (started|up)').test('HTTP server started')).toBe(true);
    expect(code(() => parseUntil('('))).toBe('monitor.bad-regex');
  });

  it('flash --monitor: one board, no --json; a hard reset is left to the monitor', () => {
    const flags = { port: ['/dev/ttyUSB0'], after: 'hard_reset' };
    expect(prepareFlashMonitor(flags)).toEqual({ resetOnStart: true });
    expect(flags.after).toBe('no_reset');
    const keep = { after: 'no_reset_stub' };
    expect(prepareFlashMonitor(keep)).toEqual({ resetOnStart: false });
    expect(keep.after).toBe('no_reset_stub');
    expect(code(() => prepareFlashMonitor({ port: ['a', 'b'], after: 'hard_reset' }))).toBe('flash.monitor-one-board');
    expect(code(() => prepareFlashMonitor({ all: true, after: 'hard_reset' }))).toBe('flash.monitor-one-board');
    expect(code(() => prepareFlashMonitor({ json: true, after: 'hard_reset' }))).toBe('flash.monitor-json');
  });
});
