/** The C/Arduino helpers the library relies on: trim, urlDecode, atoi, strtoul, lastId(). */
import { describe, expect, it } from 'vitest';
import { cAtoi, cStrtoul, decodeUrl, parseLastEventId, trimArduino } from './http-text.js';
import { profiles } from './http-profiles.js';

describe('trimArduino', () => {
  it('strips C isspace characters at both ends only', () => {
    expect(trimArduino(' \t\x0b\x0cGET / x\r\n')).toBe('GET / x');
    expect(trimArduino('   ')).toBe('');
  });
});

describe('decodeUrl (the library urlDecode)', () => {
  it.each([
    ['/ss%65', '/sse'],
    ['/a+b', '/a b'],
    ['/%2F', '//'],
    ['/%4z', '/\x04'], // strtol stops at the first non-hex digit
    ['/%zz', '/\0'],
    ['/a%4', '/a%4'], // fewer than two characters after % stay literal
    ['/a%', '/a%'],
  ])('%j → %j', (input, output) => {
    expect(decodeUrl(input)).toBe(output);
  });
});

describe('cAtoi (newlib atoi on a 32-bit int)', () => {
  it.each([
    ['12345', 12345],
    ['  42', 42],
    ['+7', 7],
    ['-5', -5],
    ['12abc', 12],
    ['abc', 0],
    ['', 0],
    ['2147483648', 2147483647],
    ['-2147483649', -2147483648],
  ])('%j → %d', (input, n) => {
    expect(cAtoi(input)).toBe(n);
  });
});

describe('cStrtoul (32-bit unsigned long)', () => {
  it.each([
    ['4294967295', 4294967295],
    ['4294967296', 4294967295],
    ['99999999999999999999', 4294967295],
    ['-1', 4294967295],
    ['-5', 4294967291],
    ['\t12abc', 12],
    ['x1', 0],
  ])('%j → %d', (input, n) => {
    expect(cStrtoul(input)).toBe(n);
  });
});

describe('parseLastEventId (wire doc §3)', () => {
  const fork = profiles['esp32async-3.12.0'];
  const original = profiles['me-no-dev-1.2.4'];
  it('1.2.4: atoi stored in a uint32', () => {
    expect(parseLastEventId(original, '-5')).toBe(4294967291);
    expect(parseLastEventId(original, '3000000000')).toBe(2147483647);
    expect(parseLastEventId(original, 'abc')).toBe(0);
  });
  it('fork 3.12.0: strtoul', () => {
    expect(parseLastEventId(fork, '3000000000')).toBe(3000000000);
    expect(parseLastEventId(fork, '4294967296')).toBe(4294967295);
    expect(parseLastEventId(fork, '12abc')).toBe(12);
  });
});
