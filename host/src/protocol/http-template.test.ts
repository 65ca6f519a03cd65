/**
 * Template processing of 3.12.0: golden vector `x_tpl.bin` (fixtures/http-3.12.0: what the
 * library sent for `send(SPIFFS, "/tpl.html", "text/html", false, processor)`), the split rules,
 * and the per-buffer behaviour at send-buffer boundaries.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { profiles } from './http-profiles.js';
import { assembleResponseHead } from './http-response.js';
import {
  boardTcpSendSpace,
  chunkCapacities,
  chunkTemplateBody,
  encodeChunk,
  parseTemplate,
  renderTemplate,
  TemplateFiller,
  type TemplatePart,
} from './http-template.js';

const fixture = join(import.meta.dirname, '../../test/fixtures/http-3.12.0');
const fork = profiles['esp32async-3.12.0'];
const b = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));
const s = (u: Uint8Array): string => Buffer.from(u).toString('latin1');
const text = (t: string): TemplatePart => ({ text: b(t) });
const oracle = (name: string): string => (name === 'NAME' ? 'oracle' : '');

/** Every buffer `fill` gives for a template, with one capacity throughout. */
function pieces(template: string, processor: (n: string) => string, capacity: number): string[] {
  const f = new TemplateFiller(b(template), processor);
  const out: string[] = [];
  for (let piece = f.fill(capacity); piece.length > 0; piece = f.fill(capacity)) out.push(s(piece));
  return out;
}

describe('x_tpl.bin (send(FS, path, type, false, processor) on the library)', () => {
  it('head and chunked body byte for byte', () => {
    const reply = readFileSync(join(fixture, 'replies/x_tpl.bin'));
    const template = readFileSync(join(fixture, 'data/tpl.html'));
    const head = assembleResponseHead(fork, 1, {
      status: 200,
      defaultHeaders: [['Access-Control-Allow-Origin', '*']],
      headers: [['Content-Disposition', 'inline']],
      connectionClose: 'respond',
      contentType: 'text/html',
      chunked: true,
    });
    // The hosted build reports 64 KiB of send space: one chunk, then the last one.
    const body = chunkTemplateBody(template, oracle, chunkCapacities(head.length, 65536));
    expect(s(body)).toBe(s(reply.subarray(head.length)));
    expect(head + s(body)).toBe(s(reply));
    // A board's 5744 bytes hold this small template in one chunk as well.
    expect(s(chunkTemplateBody(template, oracle, chunkCapacities(head.length)))).toBe(s(body));
  });
  it('parse + render gives the same bytes', () => {
    const template = readFileSync(join(fixture, 'data/tpl.html'));
    const { parts } = parseTemplate(template);
    expect(parts.filter((p) => 'name' in p)).toEqual([{ name: 'NAME' }, { name: 'NAME' }, { name: 'NOPE' }]);
    expect(s(renderTemplate(parts, { NAME: 'oracle' }))).toBe(
      '<!doctype html>\n<title>oracle</title>\n<p>Hello oracle, 100% sure. Unknown: [].</p>\n',
    );
  });
});

describe('parseTemplate', () => {
  it('%NAME% placeholders between literal text; %% is one %', () => {
    expect(parseTemplate(b('a%X%b%%c%%%Y%')).parts).toEqual([text('a'), { name: 'X' }, text('b%c%'), { name: 'Y' }]);
  });
  it('a % with no closing % is literal text', () => {
    expect(parseTemplate(b('50% off')).parts).toEqual([text('50% off')]);
    expect(parseTemplate(b('%A% and 5%')).parts).toEqual([{ name: 'A' }, text(' and 5%')]);
  });
  it('any two % pair up, whatever lies between (spaces, newlines)', () => {
    expect(parseTemplate(b('width: 50%; height: 20%')).parts).toEqual([text('width: 50'), { name: '; height: 20' }]);
  });
  it('names are cut to 32 bytes; the whole %…% is replaced', () => {
    const long = 'A'.repeat(40);
    expect(parseTemplate(b(`x%${long}%y`)).parts).toEqual([text('x'), { name: 'A'.repeat(32) }, text('y')]);
  });
  it('a NUL ends a name; one that starts with NUL stays text', () => {
    expect(parseTemplate(b('%AB\0CD%')).parts).toEqual([{ name: 'AB' }]);
    expect(parseTemplate(b('x%\0A%y')).parts).toEqual([text('x%\0A%y')]);
  });
  it('empty input, no placeholders', () => {
    expect(parseTemplate(new Uint8Array(0)).parts).toEqual([]);
    expect(parseTemplate(b('plain')).parts).toEqual([text('plain')]);
  });
});

describe('renderTemplate', () => {
  it('values from a record (missing → "") or a processor; bytes are latin1', () => {
    const { parts } = parseTemplate(b('[%A%|%B%]'));
    expect(s(renderTemplate(parts, { A: 'x' }))).toBe('[x|]');
    expect(s(renderTemplate(parts, (n) => `${n}\u00e9`))).toBe('[A\u00e9|B\u00e9]');
    expect(renderTemplate(parts, (n) => `${n}\u00e9`)[2]).toBe(0xe9);
  });
  it('equals the library filler for any template that fits one buffer (values without %)', () => {
    let seed = 7;
    const rnd = (n: number): number => ((seed = (seed * 1103515245 + 12345) >>> 0) % n);
    const alphabet = ['%', '%', 'A', 'B', 'x', ' ', '\n', '\0'];
    for (let round = 0; round < 500; round++) {
      const template = Array.from({ length: rnd(60) }, () => alphabet[rnd(alphabet.length)]).join('');
      const processor = (name: string): string => (name.length % 3 === 0 ? '' : `<${name.length}>`);
      const expected = s(renderTemplate(parseTemplate(b(template)).parts, processor));
      expect(pieces(template, processor, 4096).join(''), JSON.stringify(template)).toBe(expected);
    }
  });
});

describe('TemplateFiller: one send buffer at a time, as the library', () => {
  it('a placeholder cut by the buffer end is found by looking ahead', () => {
    expect(pieces('abcd%NAME%efg', oracle, 6)).toEqual(['abcdor', 'acleef', 'g']);
  });
  it('a value longer than the room left is carried into the next buffer', () => {
    expect(pieces('%NAME%xyz', oracle, 4)).toEqual(['orac', 'lexy', 'z']);
  });
  it('a %% cut by the buffer end: the first % pairs with the next % within 33 bytes', () => {
    // One buffer: "5%% and %NAME%" → "5% and oracle".
    expect(pieces('5%% and %NAME%', oracle, 64).join('')).toBe('5% and oracle');
    // Buffer ends after the first %: the second is dropped and "% and %" becomes a name.
    expect(pieces('5%% and %NAME%', (n) => `{${n}}`, 2).join('')).toBe('5{ and }NAME%');
  });
  it('a % at least 34 bytes before the buffer end with its partner in the next buffer stays text', () => {
    const template = `%${'x'.repeat(40)}%NAME%`;
    expect(pieces(template, oracle, 41).join('')).toBe(`%${'x'.repeat(40)}oracle`);
  });
  it('an inserted value is scanned again: a % in it opens a placeholder', () => {
    expect(pieces('%A% then %NAME%', (n) => (n === 'A' ? '100%' : n === ' then ' ? '(t)' : 'oracle'), 64).join('')).toBe(
      '100(t)NAME%',
    );
  });
  it('a value overflowing the buffer right after a final placeholder loses the bytes in between (library bug)', () => {
    // Buffer of 5: "%X%" is replaced by "01234", only 3 bytes (the placeholder's length) are
    // kept, "56789" is carried over; "34" is lost.
    expect(pieces('%X%', () => '0123456789', 5)).toEqual(['012', '56789']);
  });
});

describe('chunking', () => {
  it('encodeChunk: 4 lowercase hex digits (more when needed), CRLF framing', () => {
    expect(s(encodeChunk(b('hello')))).toBe('0005\r\nhello\r\n');
    expect(s(encodeChunk(new Uint8Array(0xabc))).slice(0, 6)).toBe('0abc\r\n');
    expect(s(encodeChunk(new Uint8Array(0x10000))).slice(0, 7)).toBe('10000\r\n');
  });
  it('board sizes: the first chunk shares the 5744-byte send space with the head', () => {
    expect(chunkCapacities(200)).toEqual({ first: boardTcpSendSpace - 200 - 8, rest: boardTcpSendSpace - 8 });
    const template = b('x'.repeat(12000));
    const body = s(chunkTemplateBody(template, oracle, chunkCapacities(200)));
    const sizes = [...body.matchAll(/([0-9a-f]{4})\r\n/g)].map((m) => Number.parseInt(m[1] as string, 16));
    expect(sizes.slice(0, 3)).toEqual([5536, 5736, 12000 - 5536 - 5736]);
    expect(body.endsWith('\r\n0000\r\n\r\n')).toBe(true);
  });
  it('an empty template is just the last chunk', () => {
    expect(s(chunkTemplateBody(new Uint8Array(0), oracle, { first: 100, rest: 100 }))).toBe('0000\r\n\r\n');
  });
});
