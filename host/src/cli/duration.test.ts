import { describe, expect, it } from 'vitest';
import { isUserError, type UserError } from '../errors.js';
import { MAX_DURATION_MS, parseDuration } from './duration.js';

const refused = (text: string, code?: string): UserError => {
  try {
    parseDuration(text, '--timeout', code);
  } catch (e) {
    if (isUserError(e)) return e;
    throw e;
  }
  throw new Error(`"${text}" was accepted`);
};

describe('parseDuration', () => {
  it('reads a number with a unit: ms, s, m, h, decimals too', () => {
    expect(parseDuration('500ms', '--timeout')).toBe(500);
    expect(parseDuration('15s', '--timeout')).toBe(15_000);
    expect(parseDuration('1.5s', '--timeout')).toBe(1500);
    expect(parseDuration('2m', '--timeout')).toBe(120_000);
    expect(parseDuration('1h', '--timeout')).toBe(3_600_000);
    expect(parseDuration('5ms', '--timeout')).toBe(5);
    expect(parseDuration(' 30s ', '--timeout')).toBe(30_000);
  });

  it('reads a bare number from 100 up as milliseconds, as before', () => {
    expect(parseDuration('100', '--timeout')).toBe(100);
    expect(parseDuration('1500', '--timeout')).toBe(1500);
    expect(parseDuration('20000', '--timeout')).toBe(20_000);
  });

  it('refuses a bare number under 100 with a hint to write the unit', () => {
    const e = refused('15');
    expect(e.code).toBe('cli.bad-duration');
    expect(e.exitCode).toBe(2);
    expect(e.hint).toContain('--timeout 15s');
    for (const bare of ['0', '1', '99', '2.5']) expect(refused(bare).code).toBe('cli.bad-duration');
  });

  it('refuses what is not a positive duration, with the caller\'s code', () => {
    for (const bad of ['', 'x', '-5', '5 s', '15sec', '1d', '0s', '0.1ms', 's', '1e3']) expect(refused(bad, 'hil.bad-duration').code).toBe('hil.bad-duration');
    expect(refused('soon').hint).toMatch(/--timeout 15s/);
  });

  it('refuses what setTimeout cannot wait for', () => {
    expect(parseDuration(`${MAX_DURATION_MS}`, '--timeout')).toBe(MAX_DURATION_MS);
    expect(refused('1000h').code).toBe('cli.bad-duration');
  });
});
