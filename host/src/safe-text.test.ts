import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { safeJson, safeText } from './safe-text.js';

describe('safeText', () => {
  it('escapes ESC sequences, newlines, CR, DEL, C1 and bidi controls; leaves printable text', () => {
    expect(safeText('\x1b]0;pwned\x07/index.html')).toBe('\\x1b]0;pwned\\x07/index.html');
    expect(safeText('a\nb\rc\td')).toBe('a\\nb\\rc\\td');
    expect(safeText('\x00\x7f\x85\x9b31m')).toBe('\\x00\\x7f\\u0085\\u009b31m');
    expect(safeText('abc\u202Etxt.exe\u2028x')).toBe('abc\\u202etxt.exe\\u2028x');
    expect(safeText('/données/ßé ☃ 日本 😀 C:\\x')).toBe('/données/ßé ☃ 日本 😀 C:\\x');
  });

  it('multiline keeps LF and TAB but still escapes CR and ESC', () => {
    expect(safeText('line 1\n\tline 2\r\x1b[2J', { multiline: true })).toBe('line 1\n\tline 2\\r\\x1b[2J');
  });

  it('never leaves a control character, whatever the input', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => {
      expect(safeText(s)).not.toMatch(/[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
      expect(safeText(s, { multiline: true })).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
    }), { numRuns: 300 });
  });
});

describe('safeJson', () => {
  it('is the same JSON value with no raw DEL, C1 or bidi character', () => {
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 3 }), fc.string({ unit: 'binary', maxLength: 50 }), (v, s) => {
      const value = { v, s };
      const text = safeJson(value);
      expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
      expect(text).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
    }), { numRuns: 200 });
    expect(safeJson({ name: '\x1b[31m\x9b' }, 0)).toBe('{"name":"\\u001b[31m\\u009b"}');
  });
});
