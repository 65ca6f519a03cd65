/** Response-head assembly golden vectors (wire doc §1.2, §6.1, §6.2, §8; fixtures/http-3.12.0). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addHeaderOnce, assembleResponseHead, reasonPhrase, type ResponseSpec } from './http-response.js';
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

describe('where Connection: close goes (fixture http-3.12.0)', () => {
  const replies = join(import.meta.dirname, '../../test/fixtures/http-3.12.0/replies');
  const reply = (name: string): string => readFileSync(join(replies, `${name}.bin`), 'latin1');
  const cors = [['Access-Control-Allow-Origin', '*']] as const;
  const basic = (spec: Omit<ResponseSpec, 'defaultHeaders' | 'connectionClose'>): string =>
    assembleResponseHead(fork, 1, { ...spec, defaultHeaders: cors, connectionClose: 'constructor' });

  it('basic responses: right after DefaultHeaders, before headers added to them (x_info, x_redirect)', () => {
    const info = '{"fw":"esp-sse","version":"0.1.0"}';
    expect(basic({ status: 200, headers: [['X-Bar', 'seven']], contentLength: info.length, contentType: 'application/json' }) + info).toBe(reply('x_info'));
    expect(basic({ status: 302, headers: [['Location', '/']], contentLength: 0 })).toBe(reply('x_redirect'));
    expect(basic({ status: 404, headers: [], contentLength: 4, contentType: 'text/plain' }) + 'nope').toBe(reply('x_notfound'));
    expect(basic({ status: 200, headers: [], contentLength: 13, contentType: 'text/plain' }) + 'echo:hi there').toBe(reply('x_echo'));
  });
  it('the static 304 (AsyncBasicResponse + Cache-Control): Connection before Cache-Control', () => {
    expect(basic({ status: 304, headers: [['Cache-Control', 'no-cache']], contentLength: 0 })).toBe(
      'HTTP/1.1 304 Not Modified\r\nAccess-Control-Allow-Origin: *\r\nConnection: close\r\nCache-Control: no-cache\r\nAccept-Ranges: none\r\nContent-Length: 0\r\n\r\n',
    );
  });
  it('file responses: after their own headers (get_root, get_style_css)', () => {
    const head = (name: string): string => reply(name).slice(0, reply(name).indexOf('\r\n\r\n') + 4);
    const file = (headers: ResponseSpec['headers'], length: number, type: string): string =>
      assembleResponseHead(fork, 1, { status: 200, defaultHeaders: cors, headers, connectionClose: 'respond', contentLength: length, contentType: type });
    expect(file([['Content-Disposition', 'inline']], 7021, 'text/html')).toBe(head('get_root'));
    const etag = [['Content-Disposition', 'inline'], ['ETag', '"00000049"'], ['Cache-Control', 'no-cache']] as const;
    expect(file(etag, 73, 'text/css')).toBe(head('get_style_css'));
  });
  it('template responses: Transfer-Encoding after Accept-Ranges, no Content-Length; HTTP/1.0 gets neither', () => {
    const spec = { status: 200, defaultHeaders: cors, headers: [['Content-Disposition', 'inline']] as const, connectionClose: 'respond' as const, contentType: 'text/html', chunked: true };
    const reply1 = reply('x_tpl');
    expect(assembleResponseHead(fork, 1, spec)).toBe(reply1.slice(0, reply1.indexOf('\r\n\r\n') + 4));
    expect(assembleResponseHead(fork, 0, spec)).toBe(
      'HTTP/1.0 200 OK\r\nAccess-Control-Allow-Origin: *\r\nContent-Disposition: inline\r\nConnection: close\r\nContent-Type: text/html\r\n\r\n',
    );
  });
  it('1.2.4 places Connection the same way within its own layout', () => {
    expect(assembleResponseHead(original, 1, { status: 302, headers: [['Location', '/']], connectionClose: 'constructor', contentLength: 0 })).toBe(
      'HTTP/1.1 302 Found\r\nContent-Length: 0\r\nConnection: close\r\nLocation: /\r\nAccept-Ranges: none\r\n\r\n',
    );
  });
  it('fork: a header the library adds itself is dropped when the response already has it (only-once list)', () => {
    const h = assembleResponseHead(fork, 1, { status: 200, headers: [['Connection', 'keep-alive'], ['content-type', 'x/y']], connectionClose: 'respond', contentLength: 1, contentType: 'text/plain' });
    expect(h).toBe('HTTP/1.1 200 OK\r\nConnection: keep-alive\r\ncontent-type: x/y\r\nAccept-Ranges: none\r\nContent-Length: 1\r\n\r\n');
    expect(addHeaderOnce([['X-A', '1']], 'X-A', '2')).toEqual([['X-A', '1'], ['X-A', '2']]);
  });
});

describe('reason phrases', () => {
  it('fork table (responseCodeToString), Unknown code otherwise', () => {
    expect([200, 302, 304, 401, 429, 505].map((c) => reasonPhrase(fork, c))).toEqual([
      'OK', 'Found', 'Not Modified', 'Unauthorized', 'Too Many Requests', 'HTTP Version Not Supported',
    ]);
    expect(reasonPhrase(fork, 418)).toBe('Unknown code');
    expect(assembleResponseHead(fork, 1, { status: 418, headers: [] }).split('\r\n')[0]).toBe('HTTP/1.1 418 Unknown code');
  });
  it('1.2.4: its own spellings, no 429, empty otherwise', () => {
    expect([416, 429, 505, 418, 302].map((c) => reasonPhrase(original, c))).toEqual([
      'Requested range not satisfiable', '', 'HTTP Version not supported', '', 'Found',
    ]);
  });
});
