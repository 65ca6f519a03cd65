/** Response-head assembly golden vectors (wire doc §1.2, §6.1, §6.2, §8). */
import { describe, expect, it } from 'vitest';
import { assembleResponseHead } from './http-response.js';
import { profiles } from './http-profiles.js';

const fork = profiles['esp32async-3.12.0'];
const original = profiles['me-no-dev-1.2.4'];
const sse = { status: 200, headers: [['Cache-Control', 'no-cache'], ['Connection', 'keep-alive']] as const, contentType: 'text/event-stream' };

describe('assembleResponseHead', () => {
  it('SSE head, fork: Content-Type last (122 bytes)', () => {
    const h = assembleResponseHead(fork, 1, sse);
    expect(h).toBe(
      'HTTP/1.1 200 OK\r\nCache-Control: no-cache\r\nConnection: keep-alive\r\nAccept-Ranges: none\r\nContent-Type: text/event-stream\r\n\r\n',
    );
    expect(h.length).toBe(122);
  });
  it('SSE head, 1.2.4: Content-Type first (122 bytes)', () => {
    const h = assembleResponseHead(original, 1, sse);
    expect(h).toBe(
      'HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nConnection: keep-alive\r\nAccept-Ranges: none\r\n\r\n',
    );
    expect(h.length).toBe(122);
  });
  it('DefaultHeaders position (§8)', () => {
    const withCors = { ...sse, headers: [['Access-Control-Allow-Origin', '*'], ...sse.headers] as const };
    expect(assembleResponseHead(fork, 1, withCors)).toBe(
      'HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\nCache-Control: no-cache\r\nConnection: keep-alive\r\nAccept-Ranges: none\r\nContent-Type: text/event-stream\r\n\r\n',
    );
    expect(assembleResponseHead(original, 1, withCors)).toBe(
      'HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nAccess-Control-Allow-Origin: *\r\nCache-Control: no-cache\r\nConnection: keep-alive\r\nAccept-Ranges: none\r\n\r\n',
    );
  });
  it('send(200, "text/plain", "OK") heads (§6.1, 106 bytes with the body)', () => {
    const spec = { status: 200, headers: [['Connection', 'close']] as const, contentLength: 2, contentType: 'text/plain' };
    const f = assembleResponseHead(fork, 1, spec) + 'OK';
    const o = assembleResponseHead(original, 1, spec) + 'OK';
    expect(f).toBe('HTTP/1.1 200 OK\r\nConnection: close\r\nAccept-Ranges: none\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n\r\nOK');
    expect(o).toBe('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\nConnection: close\r\nAccept-Ranges: none\r\n\r\nOK');
    expect([f.length, o.length]).toEqual([106, 106]);
  });
  it('catch-all heads (§6.2): 1.2.4 empty 500 (97 bytes), fork 404 (120 bytes with body)', () => {
    const o = assembleResponseHead(original, 1, { status: 500, headers: [['Connection', 'close']], contentLength: 0 });
    expect(o).toBe('HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\nConnection: close\r\nAccept-Ranges: none\r\n\r\n');
    expect(o.length).toBe(97);
    const f =
      assembleResponseHead(fork, 1, { status: 404, headers: [['Connection', 'close']], contentLength: 9, contentType: 'text/plain' }) +
      'Not found';
    expect(f.length).toBe(120);
  });
  it('HTTP/1.0: status line echoes it and Accept-Ranges is omitted', () => {
    expect(assembleResponseHead(fork, 0, sse)).toBe(
      'HTTP/1.0 200 OK\r\nCache-Control: no-cache\r\nConnection: keep-alive\r\nContent-Type: text/event-stream\r\n\r\n',
    );
  });
});
