/**
 * `generateEventMessage` golden vectors (wire doc §2) for both library versions, plus a round
 * trip through our own SSE parser.
 */
import { describe, expect, it } from 'vitest';
import { formatSseEvent, encodeSseEvent, type SseDialect } from './sse-encode.js';
import { SseParser } from './sse-parser.js';

describe('formatSseEvent: this firmware\'s events (wire doc §2)', () => {
  it('hello! with retry and id, fork: LF endings', () => {
    expect(formatSseEvent('fork', { message: 'hello!', id: 1234, retry: 10000 })).toBe('retry: 10000\nid: 1234\ndata: hello!\n\n');
  });
  it('hello! with retry and id, 1.2.4: CRLF endings', () => {
    expect(formatSseEvent('original', { message: 'hello!', id: 1234, retry: 10000 })).toBe(
      'retry: 10000\r\nid: 1234\r\ndata: hello!\r\n\r\n',
    );
  });
  it('time_reading, both dialects', () => {
    const args = { message: '{"time":"5678"}', event: 'time_reading', id: 5679 };
    expect(formatSseEvent('fork', args)).toBe('id: 5679\nevent: time_reading\ndata: {"time":"5678"}\n\n');
    expect(formatSseEvent('original', args)).toBe('id: 5679\r\nevent: time_reading\r\ndata: {"time":"5678"}\r\n\r\n');
  });
  it('bytes are UTF-8 of the string', () => {
    const bytes = encodeSseEvent('fork', { message: 'é', id: 1 });
    expect(Buffer.from(bytes).toString('latin1')).toBe('id: 1\ndata: \xc3\xa9\n\n');
  });
});

describe('formatSseEvent: optional fields', () => {
  it('id 0 and retry 0 are omitted', () => {
    expect(formatSseEvent('fork', { message: 'x', id: 0, retry: 0 })).toBe('data: x\n\n');
    expect(formatSseEvent('original', { message: 'x' })).toBe('data: x\r\n\r\n');
  });
  it('id is a uint32: 2^32 wraps to 0 (omitted), 2^32 - 1 is printed', () => {
    expect(formatSseEvent('fork', { message: 'x', id: 0x1_0000_0000 })).toBe('data: x\n\n');
    expect(formatSseEvent('fork', { message: 'x', id: 0xffff_ffff })).toBe('id: 4294967295\ndata: x\n\n');
  });
  it('an empty event name gives an empty event line; null gives none', () => {
    expect(formatSseEvent('fork', { message: 'x', event: '' })).toBe('event: \ndata: x\n\n');
    expect(formatSseEvent('fork', { message: 'x', event: null })).toBe('data: x\n\n');
  });
  it('a NULL message has no data line and no terminator', () => {
    expect(formatSseEvent('fork', { message: null, event: 'e', id: 7 })).toBe('id: 7\nevent: e\n');
    expect(formatSseEvent('original', { message: null, retry: 5 })).toBe('retry: 5\r\n');
  });
  it('an empty message gives one empty data line and the terminator', () => {
    expect(formatSseEvent('fork', { message: '' })).toBe('data: \n\n');
    expect(formatSseEvent('original', { message: '' })).toBe('data: \r\n\r\n');
  });
});

describe('multi-line messages (wire doc §2)', () => {
  const cases: Array<[string, string, string]> = [
    // message, 1.2.4, fork (with its "whole message" bug)
    ['a\nb', 'data: a\r\ndata: b\r\n\r\n', 'data: a\ndata: a\nb\n\n'],
    ['a\n', 'data: a\r\n\r\n', 'data: a\n\n'],
    ['a\r\nb\r\n', 'data: a\r\ndata: b\r\n\r\n', 'data: a\ndata: b\n\n'],
    ['a\rb\nc\n', 'data: a\r\ndata: b\r\ndata: c\r\n\r\n', 'data: a\ndata: b\ndata: c\n\n'],
    // \n\r: one break in 1.2.4, two in the fork
    ['a\n\rb\n', 'data: a\r\ndata: b\r\n\r\n', 'data: a\ndata: \ndata: b\n\n'],
  ];
  it.each(cases)('%j', (message, original, fork) => {
    expect(formatSseEvent('original', { message })).toBe(original);
    expect(formatSseEvent('fork', { message })).toBe(fork);
  });
});

describe('round trip through SseParser', () => {
  it.each<SseDialect>(['original', 'fork'])('%s: fields survive byte-by-byte parsing', (dialect) => {
    const bytes = Buffer.concat([
      encodeSseEvent(dialect, { message: 'hello!', id: 1234, retry: 10000 }),
      encodeSseEvent(dialect, { message: '{"time":"5678"}', event: 'time_reading', id: 5679 }),
    ]);
    const parser = new SseParser();
    const got = [...bytes].flatMap((b) => parser.push(Uint8Array.of(b)));
    expect(got).toEqual([
      { event: 'message', data: 'hello!', lastEventId: '1234', id: '1234', retry: 10000 },
      { event: 'time_reading', data: '{"time":"5678"}', lastEventId: '5679', id: '5679' },
    ]);
  });
});
