/** The request-head reader with each library version's quirks (wire doc §1.1, §3, §6.3). */
import { describe, expect, it } from 'vitest';
import { findHeader, HttpRequestReader, maxKeptBody, type HttpRequestHead, type RequestEvent } from './http-request.js';
import { profiles } from './http-profiles.js';

const fork = profiles['esp32async-3.12.0'];
const original = profiles['me-no-dev-1.2.4'];
const bytes = (s: string) => Buffer.from(s, 'latin1');

function read(profile = fork, ...chunks: string[]): RequestEvent[] {
  const r = new HttpRequestReader(profile);
  return chunks.flatMap((c) => r.push(bytes(c)));
}

function head(profile: typeof fork, text: string): HttpRequestHead {
  const ev = read(profile, text).find((e) => e.type === 'head');
  if (!ev || ev.type !== 'head') throw new Error(`no head for ${JSON.stringify(text)}`);
  return ev.head;
}

describe('request line', () => {
  it('splits method, URL (query removed, %-decoded) and version', () => {
    const h = head(fork, 'GET /ss%65?x=1&y HTTP/1.1\r\n\r\n');
    expect([h.method, h.url, h.query, h.version, h.methodKnown]).toEqual(['GET', '/sse', 'x=1&y', 1, true]);
  });
  it('HTTP/1.0 gives version 0; anything else version 1', () => {
    expect(head(fork, 'GET / HTTP/1.0\r\n\r\n').version).toBe(0);
    expect(head(fork, 'GET / HTTP/2\r\n\r\n').version).toBe(1);
    expect(head(original, 'GET /x\r\n\r\n').version).toBe(1);
  });
  it('accepts bare LF line endings and trims each line', () => {
    const h = head(fork, '  GET /reset HTTP/1.1  \nHost: x \n\n');
    expect([h.method, h.url, findHeader(h, 'host')]).toEqual(['GET', '/reset', 'x']);
  });
  it('is byte-chunking independent', () => {
    const text = 'GET /sse HTTP/1.1\r\nAccept: text/event-stream\r\nLast-Event-ID: 42\r\n\r\n';
    const r = new HttpRequestReader(fork);
    const events = [...bytes(text)].flatMap((b) => r.push(Uint8Array.of(b)));
    expect(events.map((e) => e.type)).toEqual(['head', 'complete']);
  });
  it('ignores everything after the request is complete', () => {
    const r = new HttpRequestReader(fork);
    expect(r.push(bytes('GET / HTTP/1.1\r\n\r\nGET /reset HTTP/1.1\r\n\r\n')).map((e) => e.type)).toEqual(['head', 'complete']);
    expect(r.push(bytes('GET / HTTP/1.1\r\n\r\n'))).toEqual([]);
  });
  it('waits for Content-Length body bytes before completing', () => {
    const r = new HttpRequestReader(fork);
    expect(r.push(bytes('POST /reset HTTP/1.1\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\nab')).map((e) => e.type)).toEqual(['head']);
    expect(r.push(bytes('cde')).map((e) => e.type)).toEqual(['complete']);
  });
  it('hands the body over with the completed request, whatever the chunking', () => {
    const r = new HttpRequestReader(fork);
    r.push(bytes('POST /form HTTP/1.1\r\nContent-Length: 7\r\n\r\na=1'));
    const [done] = r.push(bytes('&b=2'));
    expect(done?.type === 'complete' && Buffer.from(done.body).toString()).toBe('a=1&b=2');
  });
  it('drops a body over the kept limit instead of buffering it', () => {
    const r = new HttpRequestReader(fork);
    r.push(bytes(`POST /up HTTP/1.1\r\nContent-Length: ${maxKeptBody + 1}\r\n\r\n`));
    const [done] = r.push(new Uint8Array(maxKeptBody + 1));
    expect(done?.type === 'complete' && done.body.length).toBe(0);
  });
});

describe('fork 3.12.0 is strict (RST), 1.2.4 is not', () => {
  it('unknown method', () => {
    expect(read(fork, 'FOO /reset HTTP/1.1\r\n')).toEqual([{ type: 'reset', reason: 'unknown method FOO' }]);
    const h = head(original, 'FOO /reset HTTP/1.1\r\n\r\n');
    expect([h.method, h.methodKnown]).toEqual(['FOO', false]);
  });
  it('method names are case-sensitive', () => {
    expect(read(fork, 'get / HTTP/1.1\r\n')[0]?.type).toBe('reset');
  });
  it('the fork knows the WebDAV methods, 1.2.4 only the first seven', () => {
    expect(head(fork, 'PROPFIND / HTTP/1.1\r\n\r\n').methodKnown).toBe(true);
    expect(head(original, 'PROPFIND / HTTP/1.1\r\n\r\n').methodKnown).toBe(false);
    expect(head(original, 'OPTIONS / HTTP/1.1\r\n\r\n').methodKnown).toBe(true);
  });
  it('empty first line: RST in the fork, FIN in 1.2.4', () => {
    expect(read(fork, '\r\n')[0]?.type).toBe('reset');
    expect(read(original, '\r\n')[0]?.type).toBe('close');
  });
  it('empty URL', () => {
    expect(read(fork, 'HELLO\r\n')[0]?.type).toBe('reset');
    const h = head(original, 'HELLO\r\n\r\n');
    expect([h.method, h.url]).toEqual(['HELLO', '']);
  });
  it('TLS ClientHello first byte and NUL bytes', () => {
    expect(new HttpRequestReader(fork).push(Uint8Array.of(0x16, 0x03, 0x01))[0]?.type).toBe('reset');
    expect(read(fork, 'GET /\0 HTTP/1.1\r\n')[0]?.type).toBe('reset');
    expect(new HttpRequestReader(original).push(Uint8Array.of(0x16, 0x03, 0x01))).toEqual([]);
  });
});

describe('header values (wire doc §3, §6.3)', () => {
  it('1.2.4 drops exactly one character after the colon; the fork skips spaces and tabs', () => {
    const text = 'GET /sse HTTP/1.1\r\nLast-Event-ID:12345\r\nX-A:  \tv\r\n\r\n';
    const o = head(original, text);
    const f = head(fork, text);
    expect([findHeader(o, 'last-event-id'), findHeader(o, 'x-a')]).toEqual(['2345', ' \tv']);
    expect([findHeader(f, 'Last-Event-ID'), findHeader(f, 'X-A')]).toEqual(['12345', 'v']);
  });
  it('a line without a colon: 1.2.4 keeps it as a header named by the whole line, the fork skips it', () => {
    expect(head(original, 'GET / HTTP/1.1\r\nJunk\r\n\r\n').headers).toEqual([['Junk', 'unk']]);
    expect(head(fork, 'GET / HTTP/1.1\r\nJunk\r\n\r\n').headers).toEqual([]);
  });
  it('lookup is case-insensitive and the first match wins', () => {
    const h = head(fork, 'GET / HTTP/1.1\r\nx-y: 1\r\nX-Y: 2\r\n\r\n');
    expect(findHeader(h, 'X-y')).toBe('1');
  });
});

describe('Accept: text/event-stream classification (wire doc §1.1)', () => {
  it('case-insensitive substring of the Accept value', () => {
    expect(head(fork, 'GET /sse HTTP/1.1\r\naccept: Text/Event-Stream;q=1\r\n\r\n').isEventStream).toBe(true);
    expect(head(fork, 'GET /sse HTTP/1.1\r\nAccept: */*\r\n\r\n').isEventStream).toBe(false);
  });
  it('any method; with Upgrade: websocket as well, the later header wins (3.12.0 tag, fixture sse_*_upgrade*)', () => {
    for (const p of [fork, original]) {
      expect(head(p, 'POST /sse HTTP/1.1\r\nAccept: text/event-stream\r\n\r\n').connectionType).toBe('event');
      expect(head(p, 'GET /sse HTTP/1.1\r\nUpgrade: websocket\r\nAccept: text/event-stream\r\n\r\n').connectionType).toBe('event');
      expect(head(p, 'GET /sse HTTP/1.1\r\nAccept: text/event-stream\r\nUpgrade: websocket\r\n\r\n').connectionType).toBe('ws');
      expect(head(p, 'GET /sse HTTP/1.1\r\nUpgrade: WebSocket\r\n\r\n').isEventStream).toBe(false);
      expect(head(p, 'GET / HTTP/1.1\r\nUpgrade: h2c\r\n\r\n').connectionType).toBe('http');
    }
  });
  it('Expect: 100-continue is flagged', () => {
    expect(head(fork, 'GET / HTTP/1.1\r\nExpect: 100-continue\r\n\r\n').expectContinue).toBe(true);
  });
});

describe('bad bytes are never a crash', () => {
  it('random chunks of random bytes: push never throws and stops after close/reset/complete', () => {
    let seed = 0x2545f491;
    const rnd = (n: number) => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) % n;
    };
    const alphabet = Buffer.from('GET /sse HTTP/1.1\r\n:Accept: text/event-stream\0\x16 %+?-Content-Length: 3\n', 'latin1');
    for (const profile of [fork, original]) {
      for (let round = 0; round < 500; round++) {
        const r = new HttpRequestReader(profile);
        let ended = false;
        for (let k = 0; k < 8; k++) {
          const chunk = Uint8Array.from({ length: rnd(40) }, () => (rnd(4) === 0 ? rnd(256) : alphabet[rnd(alphabet.length)]!));
          const events = r.push(chunk);
          if (ended) expect(events).toEqual([]);
          if (events.some((e) => e.type !== 'head')) ended = true;
        }
      }
    }
  });
});
