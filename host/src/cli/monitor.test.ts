import { describe, expect, it } from 'vitest';
import { isUserError } from '../errors.js';
import { prepareFlashMonitor } from './monitor-run.js';
import { parseOpenPortAttempts, parseSessionFlags, parseUntil } from './monitor-session-flags.js';

const code = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (e) {
    return isUserError(e) ? e.code : 'not a UserError';
  }
  return undefined;
};

describe('monitor options', () => {
  it('reads --timeout with the shared duration parser, refusing with the monitor\'s code', () => {
    expect(parseSessionFlags({ timeout: '1500' }).timeoutMs).toBe(1500);
    expect(parseSessionFlags({ timeout: '30s' }).timeoutMs).toBe(30_000);
    for (const bad of ['15', 'soon', '0s']) expect(code(() => parseSessionFlags({ timeout: bad }))).toBe('monitor.bad-timeout');
  });

  it('compiles --until, and names a bad pattern', () => {
    expect(parseUntil('HTTP server (started|up)').test('HTTP server started')).toBe(true);
    expect(code(() => parseUntil('('))).toBe('monitor.bad-regex');
  });

  it('reads --open-port-attempts as a whole number, 0 = until the port appears, default 1', () => {
    expect(parseOpenPortAttempts(undefined)).toBe(1);
    expect(parseOpenPortAttempts('0')).toBe(0);
    expect(parseOpenPortAttempts('10')).toBe(10);
    for (const bad of ['', '-1', '1.5', 'x', 'forever']) expect(code(() => parseOpenPortAttempts(bad))).toBe('monitor.bad-open-port-attempts');
  });

  it('flash --monitor: one board, no --json; a hard reset is left to the monitor', () => {
    const flags = { monitor: true, port: ['/dev/ttyUSB0'], after: 'hard_reset' };
    expect(prepareFlashMonitor(flags)).toMatchObject({ resetOnStart: true, session: { openPortAttempts: 1, reconnect: true, timestamps: false } });
    expect(flags.after).toBe('no_reset');
    const keep = { monitor: true, after: 'no_reset_stub' };
    expect(prepareFlashMonitor(keep)).toMatchObject({ resetOnStart: false });
    expect(keep.after).toBe('no_reset_stub');
    expect(code(() => prepareFlashMonitor({ monitor: true, port: ['a', 'b'], after: 'hard_reset' }))).toBe('flash.monitor-one-board');
    expect(code(() => prepareFlashMonitor({ monitor: true, all: true, after: 'hard_reset' }))).toBe('flash.monitor-one-board');
    expect(code(() => prepareFlashMonitor({ monitor: true, json: true, after: 'hard_reset' }))).toBe('flash.monitor-json');
  });

  it('flash --monitor takes the monitor\'s session options, checked before flashing; without --monitor they are refused', () => {
    const plan = prepareFlashMonitor({ monitor: true, after: 'hard_reset', until: 'HTTP server started', timeout: '30s', openPortAttempts: '0', reconnect: false });
    expect(plan?.session).toMatchObject({ timeoutMs: 30_000, openPortAttempts: 0, reconnect: false });
    expect(plan?.session.until?.test('HTTP server started')).toBe(true);
    expect(code(() => prepareFlashMonitor({ monitor: true, after: 'hard_reset', until: '(' }))).toBe('monitor.bad-regex');
    expect(code(() => prepareFlashMonitor({ monitor: true, after: 'hard_reset', timeout: 'soon' }))).toBe('monitor.bad-timeout');
    expect(prepareFlashMonitor({ after: 'hard_reset', reconnect: true })).toBeUndefined();
    expect(code(() => prepareFlashMonitor({ after: 'hard_reset', until: 'x' }))).toBe('flash.monitor-option');
    expect(code(() => prepareFlashMonitor({ after: 'hard_reset', reconnect: false }))).toBe('flash.monitor-option');
  });
});
