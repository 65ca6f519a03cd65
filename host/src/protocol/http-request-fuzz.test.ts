/**
 * Property-based tests of the request reader (issue 14): whatever a peer sends, in whatever
 * pieces, the reader returns events or a typed close/reset, never throws, keeps no more than its
 * limits allow, and its outcome does not depend on how the bytes were cut. Small limits make
 * every limit reachable with short inputs; the board's own limits get one long stream each.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { boardHttpLimits, HttpRequestReader, type HttpLimits, type RequestEvent } from './http-request.js';
import { profiles } from './http-profiles.js';
import { cutAt } from '../../test/fuzz-chunks.js';

const both = [profiles['esp32async-3.12.0'], profiles['me-no-dev-1.2.4']];
const small: HttpLimits = { maxLineBytes: 64, maxHeadBytes: 200, maxHeaders: 8, maxKeptBody: 24 };
const runs = { numRuns: 300 };
const bytes = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));

/** Pieces a request head is made of, plus arbitrary bytes. */
const token = fc.oneof(
  fc.constantFrom(
    'GET ', 'POST ', 'FOO ', '/sse', '/reset?x=1', '%41', ' HTTP/1.1', ' HTTP/1.0', '\r\n', '\n', '\r', ' ', ':',
    'Accept: text/event-stream', 'Upgrade: websocket', 'Content-Length: 5', 'Content-Length: 30', 'Content-Length: -1',
    'Expect: 100-continue', 'X-A:  v', 'Junk', '\0', '\x16', 'a:b\r\n', 'x'.repeat(40),
  ).map(bytes),
  fc.uint8Array({ maxLength: 48 }),
);
const requestLine = fc.constantFrom(
  'GET /sse HTTP/1.1\r\n', 'POST /f?x=1 HTTP/1.0\r\n', 'GET / HTTP/1.1\n', 'FOO /reset HTTP/1.1\r\n', 'PROPFIND /x HTTP/1.1\r\n',
).map(bytes);
const headerLine = fc.oneof(
  fc.constantFrom(
    'Accept: text/event-stream\r\n', 'Content-Length: 5\r\n', 'Content-Length: 30\r\n', 'a:b\r\n', 'Junk\r\n', 'X-A:  v\n',
    `X-Pad: ${'p'.repeat(50)}\r\n`, 'Expect: 100-continue\r\n',
  ).map(bytes),
  token,
);
const concat = (parts: Uint8Array[]): Uint8Array => new Uint8Array(Buffer.concat(parts));
/** Mostly request-shaped (a request line, header lines, a blank line, a body), sometimes anything. */
const stream = fc.oneof(
  fc.tuple(requestLine, fc.array(headerLine, { maxLength: 12 }), fc.constantFrom('\r\n', '\n', ''), fc.array(token, { maxLength: 4 }))
    .map(([line, headers, blank, body]) => concat([line, ...headers, bytes(blank), ...body])),
  fc.array(token, { maxLength: 40 }).map(concat),
);

/** Events as plain data (bodies as arrays) so two runs compare with toEqual. */
function plain(events: RequestEvent[]): unknown[] {
  return events.map((e) => (e.type === 'complete' ? { ...e, body: [...e.body] } : e));
}

const terminal = (e: RequestEvent): boolean => e.type !== 'head';

describe('the request reader under arbitrary input', () => {
  it('events or a typed close/reset, never a throw; nothing after the end; retained bytes bounded', () => {
    for (const profile of both) {
      fc.assert(
        fc.property(stream, fc.array(fc.nat(), { maxLength: 12 }), (data, offsets) => {
          const r = new HttpRequestReader(profile, small);
          const bound = small.maxLineBytes + small.maxHeadBytes + small.maxKeptBody;
          const events: RequestEvent[] = [];
          for (const piece of cutAt(data, offsets)) {
            const ended = events.some(terminal);
            const got = r.push(piece);
            if (ended) expect(got).toEqual([]);
            events.push(...got);
            expect(r.retainedBytes).toBeLessThanOrEqual(bound);
          }
          expect(events.filter((e) => e.type === 'head').length).toBeLessThanOrEqual(1);
          const ends = events.filter(terminal);
          expect(ends.length).toBeLessThanOrEqual(1);
          if (ends.length === 1) expect(events.at(-1)).toBe(ends[0]);
          for (const e of events) {
            expect(['head', 'complete', 'close', 'reset']).toContain(e.type);
            if (e.type === 'complete') expect(e.body.length).toBeLessThanOrEqual(small.maxKeptBody);
            if ((e.type === 'close' || e.type === 'reset') && e.limit) expect(e.type).toBe('reset');
          }
        }),
        runs,
      );
    }
  });

  it('the outcome does not depend on how the bytes are cut', () => {
    for (const profile of both) {
      fc.assert(
        fc.property(stream, fc.array(fc.nat(), { maxLength: 12 }), (data, offsets) => {
          const whole = new HttpRequestReader(profile, small).push(data);
          const r = new HttpRequestReader(profile, small);
          const pieces = cutAt(data, offsets).flatMap((p) => r.push(p));
          // One push of the whole gives one event list; pieces may split it over pushes, never change it.
          expect(plain(pieces)).toEqual(plain(whole));
        }),
        runs,
      );
    }
  });

  it('a request within the limits reads the same as without limits', () => {
    const header = fc.tuple(fc.stringMatching(/^[A-Za-z-]{1,10}$/), fc.stringMatching(/^[ -~]{0,20}$/));
    const request = fc.record({
      path: fc.stringMatching(/^\/[a-z0-9/]{0,20}$/),
      headers: fc.array(header, { maxLength: small.maxHeaders }),
    }).map(({ path, headers }) => bytes(`GET ${path} HTTP/1.1\r\n${headers.map(([n, v]) => `${n}: ${v}\r\n`).join('')}\r\n`));
    for (const profile of both) {
      fc.assert(
        fc.property(request, (data) => {
          fc.pre(data.length <= small.maxHeadBytes);
          const limited = new HttpRequestReader(profile, small).push(data);
          const free = new HttpRequestReader(profile, { ...small, maxHeadBytes: 1e9, maxLineBytes: 1e9, maxHeaders: 1e9 }).push(data);
          expect(plain(limited)).toEqual(plain(free));
        }),
        runs,
      );
    }
  });
});

describe('each limit', () => {
  /** Pushes `chunk` until the reader ends or `total` bytes went in; returns the events and the bytes taken. */
  function flood(r: HttpRequestReader, first: string, chunk: Uint8Array, total: number): { events: RequestEvent[]; sent: number; peak: number } {
    const events = [...r.push(bytes(first))];
    let sent = first.length;
    let peak = r.retainedBytes;
    while (sent < total && !events.some(terminal)) {
      events.push(...r.push(chunk));
      sent += chunk.length;
      peak = Math.max(peak, r.retainedBytes);
    }
    return { events, sent, peak };
  }

  it('a request line that never ends is reset once it passes maxLineBytes, holding no more than that', () => {
    for (const profile of both) {
      const r = new HttpRequestReader(profile);
      const { events, sent, peak } = flood(r, 'GET /', new Uint8Array(4096).fill(0x61), 64 * 1024 * 1024);
      expect(events).toEqual([{ type: 'reset', reason: `request line longer than ${boardHttpLimits.maxLineBytes} bytes`, limit: 'request-line' }]);
      expect(sent).toBeLessThanOrEqual(boardHttpLimits.maxLineBytes + 4096 + 5);
      expect(peak).toBeLessThanOrEqual(boardHttpLimits.maxLineBytes);
      expect(r.retainedBytes).toBe(0);
    }
  });

  it('a header line that never ends: the same, as a header line', () => {
    const r = new HttpRequestReader(profiles['esp32async-3.12.0']);
    const { events } = flood(r, 'GET / HTTP/1.1\r\nX-Long: ', new Uint8Array(1000).fill(0x62), 1 << 20);
    expect(events.at(-1)).toMatchObject({ type: 'reset', limit: 'header-line' });
  });

  it('an endless run of tiny headers is reset at maxHeaders + 1', () => {
    for (const profile of both) {
      const r = new HttpRequestReader(profile);
      const { events, peak } = flood(r, 'GET / HTTP/1.1\r\n', bytes('a:b\r\n'), 64 * 1024 * 1024);
      expect(events).toEqual([{ type: 'reset', reason: `more headers than ${boardHttpLimits.maxHeaders}`, limit: 'headers' }]);
      expect(peak).toBeLessThan(boardHttpLimits.maxLineBytes + boardHttpLimits.maxHeaders * 8);
    }
  });

  it('exactly maxHeaders headers are still a request', () => {
    const text = `GET / HTTP/1.1\r\n${'a:b\r\n'.repeat(boardHttpLimits.maxHeaders)}\r\n`;
    const events = new HttpRequestReader(profiles['esp32async-3.12.0']).push(bytes(text));
    expect(events.map((e) => e.type)).toEqual(['head', 'complete']);
  });

  it('long headers fill the head: reset once the head passes maxHeadBytes', () => {
    const r = new HttpRequestReader(profiles['esp32async-3.12.0']);
    const header = bytes(`X-Pad: ${'p'.repeat(1000)}\r\n`);
    const { events, sent, peak } = flood(r, 'GET / HTTP/1.1\r\n', header, 1 << 24);
    expect(events).toEqual([{ type: 'reset', reason: `request head longer than ${boardHttpLimits.maxHeadBytes} bytes`, limit: 'head' }]);
    expect(sent).toBeGreaterThan(boardHttpLimits.maxHeadBytes);
    expect(peak).toBeLessThanOrEqual(boardHttpLimits.maxHeadBytes + boardHttpLimits.maxLineBytes);
  });

  it('the line limit counts the bytes before the LF, CR included', () => {
    const limits = { ...boardHttpLimits, maxLineBytes: 16 };
    // 16 bytes before the LF: fits; 17: over.
    const fits = new HttpRequestReader(profiles['esp32async-3.12.0'], limits).push(bytes('GET /abcdefghij\r\n\r\n'));
    expect(fits.map((e) => e.type)).toEqual(['head', 'complete']);
    const over = new HttpRequestReader(profiles['esp32async-3.12.0'], limits).push(bytes('GET /abcdefghijk\r\n\r\n'));
    expect(over).toMatchObject([{ type: 'reset', limit: 'request-line' }]);
  });

  it('a body over maxKeptBody is read to its end and reported as dropped', () => {
    const r = new HttpRequestReader(profiles['esp32async-3.12.0'], small);
    const events = r.push(bytes(`POST /f HTTP/1.1\r\nContent-Length: 25\r\n\r\n${'z'.repeat(25)}`));
    expect(events.at(-1)).toMatchObject({ type: 'complete', bodyDropped: true });
    const kept = new HttpRequestReader(profiles['esp32async-3.12.0'], small).push(bytes(`POST /f HTTP/1.1\r\nContent-Length: 24\r\n\r\n${'z'.repeat(24)}`));
    expect(kept.at(-1)).toMatchObject({ type: 'complete', bodyDropped: false });
  });
});
