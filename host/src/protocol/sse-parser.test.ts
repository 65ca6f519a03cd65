/** The WHATWG event-stream parser: line endings, chunk splits, fields, dispatch rules. */
import { describe, expect, it } from 'vitest';
import { SseParser } from './sse-parser.js';

function parseAll(chunks: Array<string | Uint8Array>) {
  const p = new SseParser();
  return chunks.flatMap((c) => p.push(c));
}

describe('SseParser', () => {
  it('accepts LF, CRLF and CR line endings', () => {
    for (const nl of ['\n', '\r\n', '\r']) {
      expect(parseAll([`event: e${nl}data: x${nl}${nl}`])).toEqual([{ event: 'e', data: 'x', lastEventId: '' }]);
    }
  });

  it('handles a CRLF split across chunks without seeing a blank line', () => {
    expect(parseAll(['data: a\r', '\ndata: b\r', '\n\r', '\n'])).toEqual([{ event: 'message', data: 'a\nb', lastEventId: '' }]);
  });

  it('decodes UTF-8 split inside a character and strips a leading BOM', () => {
    const bytes = Buffer.from('\ufeffdata: é\n\n', 'utf8');
    const chunks = [...bytes].map((b) => Uint8Array.of(b));
    expect(parseAll(chunks)).toEqual([{ event: 'message', data: 'é', lastEventId: '' }]);
  });

  it('keeps the last event id across events; a bare id field resets it', () => {
    const got = parseAll(['id: 5\ndata: a\n\ndata: b\n\nid\ndata: c\n\n']);
    expect(got.map((m) => [m.data, m.lastEventId, m.id])).toEqual([
      ['a', '5', '5'],
      ['b', '5', undefined],
      ['c', '', ''],
    ]);
  });

  it('ignores comments, unknown fields, ids with NUL and non-numeric retry', () => {
    const got = parseAll([':comment\nfoo: bar\nid: a\0b\nretry: 1x\ndata: z\n\n']);
    expect(got).toEqual([{ event: 'message', data: 'z', lastEventId: '' }]);
  });

  it('strips exactly one space after the colon; a line without a colon is a field with empty value', () => {
    expect(parseAll(['data:  two\ndata\n\n'])).toEqual([{ event: 'message', data: ' two\n', lastEventId: '' }]);
  });

  it('does not dispatch an event without data, and drops an unterminated one', () => {
    expect(parseAll(['event: e\nid: 1\n\ndata: pending'])).toEqual([]);
  });

  it('reports retry', () => {
    expect(parseAll(['retry: 10000\ndata: x\n\n'])[0]?.retry).toBe(10000);
  });
});
