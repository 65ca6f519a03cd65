/**
 * The emulator's HTTP bytes for profile esp32async-3.12.0 (the firmware's pinned library), over
 * real TCP on loopback, compared byte for byte with the wire doc (docs/http-wire.md §1–§10).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../src/emulator/index.js';
import { removeDataDirs, dataFiles, exchange, gzipTrailerHex, makeDataDir, ManualTime, RawClient, startTestEmulator } from './emulator-helpers.js';

const acao = 'Access-Control-Allow-Origin: *\r\n';
const tail = 'Connection: close\r\nAccept-Ranges: none\r\n';
const notFound = `HTTP/1.1 404 Not Found\r\n${acao}${tail}Content-Length: 9\r\nContent-Type: text/plain\r\n\r\nNot found`;
const sseHead =
  `HTTP/1.1 200 OK\r\n${acao}Cache-Control: no-cache\r\nConnection: keep-alive\r\nAccept-Ranges: none\r\n` +
  'Content-Type: text/event-stream\r\n\r\n';
const sseGet = 'GET /sse HTTP/1.1\r\nHost: esp-sse.local\r\nAccept: text/event-stream\r\n\r\n';

const time = new ManualTime(0);
let emu: RunningEmulator;
let port: number;
let dir: string;

beforeAll(async () => {
  dir = makeDataDir();
  emu = await startTestEmulator({ dataDir: dir, timeSource: time.source });
  port = emu.httpPort;
});
afterAll(async () => {
  await emu?.close();
  removeDataDirs();
});

const get = (path: string, headers = '') => exchange(port, `GET ${path} HTTP/1.1\r\nHost: x\r\n${headers}\r\n`);
const len = (s: string) => Buffer.byteLength(s);

describe('file responses (§5)', () => {
  it('GET / serves index.html through send(SPIFFS, "/index.html", "text/html"), then the server closes (FIN)', async () => {
    const { text, close } = await get('/');
    expect(text).toBe(
      `HTTP/1.1 200 OK\r\n${acao}Content-Disposition: inline\r\n${tail}Content-Length: ${len(dataFiles.index)}\r\n` +
        `Content-Type: text/html\r\n\r\n${dataFiles.index}`,
    );
    expect(close).toBe('fin');
  });

  it('any query string and the //x prefix rule still reach on("/")', async () => {
    expect((await get('/?a=1')).text).toContain(dataFiles.index);
    expect((await get('//x')).text).toContain(dataFiles.index);
  });

  it('serveStatic: ETag = "%08x" of the size (mtime 0), Cache-Control: no-cache, fork MIME table', async () => {
    const cases: Array<[string, string, string]> = [
      ['/style.css', dataFiles.css, 'text/css'],
      ['/app.js', dataFiles.js, 'text/javascript'],
      ['/data.json', dataFiles.json, 'application/json'],
      ['/notes.txt', dataFiles.txt, 'text/plain'],
      ['/README', dataFiles.txt, 'application/octet-stream'],
      ['/index.html', dataFiles.index, 'text/html'],
    ];
    for (const [path, body, type] of cases) {
      const etag = len(body).toString(16).padStart(8, '0');
      const { text } = await get(path);
      expect(text, path).toBe(
        `HTTP/1.1 200 OK\r\n${acao}Content-Disposition: inline\r\nETag: "${etag}"\r\nCache-Control: no-cache\r\n${tail}` +
          `Content-Length: ${len(body)}\r\nContent-Type: ${type}\r\n\r\n${body}`,
      );
    }
  });

  it('If-None-Match equal to the ETag gives 304 with Cache-Control and no body; a different one the file', async () => {
    const etag = `"${len(dataFiles.css).toString(16).padStart(8, '0')}"`;
    const { text } = await get('/style.css', `If-None-Match: ${etag}\r\n`);
    // An AsyncBasicResponse: Connection (its constructor) comes before the handler's Cache-Control.
    expect(text).toBe(`HTTP/1.1 304 Not Modified\r\n${acao}Connection: close\r\nCache-Control: no-cache\r\nAccept-Ranges: none\r\nContent-Length: 0\r\n\r\n`);
    expect((await get('/style.css', 'If-None-Match: "deadbeef"\r\n')).text).toContain(`200 OK`);
  });

  it('a gzip-only file: Content-Encoding first, ETag from the gzip CRC trailer, type from the name without .gz', async () => {
    const gz = readFileSync(join(dir, 'logo.svg.gz'));
    const crc = gzipTrailerHex(gz);
    const c = await RawClient.connect(port);
    c.write('GET /logo.svg HTTP/1.1\r\n\r\n');
    await c.waitClose();
    const head =
      `HTTP/1.1 200 OK\r\n${acao}Content-Encoding: gzip\r\nContent-Disposition: inline\r\nETag: "${crc}"\r\n` +
      `Cache-Control: no-cache\r\n${tail}Content-Length: ${gz.length}\r\nContent-Type: image/svg+xml\r\n\r\n`;
    expect(c.data.subarray(0, len(head)).toString('latin1')).toBe(head);
    expect(Buffer.compare(c.data.subarray(len(head)), gz)).toBe(0);
    expect((await get('/logo.svg', `If-None-Match: "${crc}"\r\n`)).text).toMatch(/^HTTP\/1.1 304 Not Modified\r\n/);
    // Asked for by its own name: no Content-Encoding, octet-stream, still the trailer ETag.
    const direct = await RawClient.connect(port);
    direct.write('GET /logo.svg.gz HTTP/1.1\r\n\r\n');
    await direct.waitClose();
    expect(direct.text.slice(0, direct.text.indexOf('\r\n\r\n') + 4)).toBe(
      `HTTP/1.1 200 OK\r\n${acao}Content-Disposition: inline\r\nETag: "${crc}"\r\nCache-Control: no-cache\r\n${tail}` +
        `Content-Length: ${gz.length}\r\nContent-Type: application/octet-stream\r\n\r\n`,
    );
  });

  it('x and x.gz both present: the fork always serves the plain file', async () => {
    await get('/logo.svg');
    await get('/logo.svg');
    const { text } = await get('/both.txt');
    expect(text).not.toContain('Content-Encoding');
    expect(text.endsWith(`\r\n\r\n${dataFiles.txt}`)).toBe(true);
  });

  it('directory URLs serve index.htm (not index.html); an empty file is served with ETag "00000000"', async () => {
    for (const path of ['/sub/', '/sub']) {
      const { text } = await get(path);
      expect(text, path).toContain(`Content-Type: text/html\r\n\r\n${dataFiles.subIndex}`);
    }
    expect((await get('/empty.txt')).text).toBe(
      `HTTP/1.1 200 OK\r\n${acao}Content-Disposition: inline\r\nETag: "00000000"\r\nCache-Control: no-cache\r\n${tail}` +
        'Content-Length: 0\r\nContent-Type: text/plain\r\n\r\n',
    );
  });

  it('HTTP/1.0: status line says HTTP/1.0 and Accept-Ranges is left out', async () => {
    const { text } = await exchange(port, 'GET / HTTP/1.0\r\n\r\n');
    expect(text).toBe(
      `HTTP/1.0 200 OK\r\n${acao}Content-Disposition: inline\r\nConnection: close\r\nContent-Length: ${len(dataFiles.index)}\r\n` +
        `Content-Type: text/html\r\n\r\n${dataFiles.index}`,
    );
  });
});

describe('missing files under send(SPIFFS, …) (§5.1)', () => {
  it('no index.html and no .gz: 501 "Handler did not handle the request"; with If-None-Match an empty 404', async () => {
    const other = await startTestEmulator({ dataDir: makeDataDir({ index: false }) });
    try {
      const body = 'Handler did not handle the request';
      expect((await exchange(other.httpPort, 'GET / HTTP/1.1\r\n\r\n')).text).toBe(
        `HTTP/1.1 501 Not Implemented\r\n${acao}${tail}Content-Length: ${body.length}\r\nContent-Type: text/plain\r\n\r\n${body}`,
      );
      expect((await exchange(other.httpPort, 'GET / HTTP/1.1\r\nIf-None-Match: "x"\r\n\r\n')).text).toBe(
        `HTTP/1.1 404 Not Found\r\n${acao}${tail}Content-Length: 0\r\n\r\n`,
      );
    } finally {
      await other.close();
    }
  });

  it('only index.html.gz: served gzip with the trailer ETag and Cache-Control; a matching If-None-Match gives a bare 304', async () => {
    const gzDir = makeDataDir({ index: false });
    const gz = gzipSync(Buffer.from(dataFiles.index));
    writeFileSync(join(gzDir, 'index.html.gz'), gz);
    const other = await startTestEmulator({ dataDir: gzDir });
    try {
      const crc = gzipTrailerHex(gz);
      const c = await RawClient.connect(other.httpPort);
      c.write('GET / HTTP/1.1\r\n\r\n');
      await c.waitClose();
      const head =
        `HTTP/1.1 200 OK\r\n${acao}Content-Encoding: gzip\r\nETag: "${crc}"\r\nCache-Control: no-cache\r\n` +
        `Content-Disposition: inline\r\n${tail}Content-Length: ${gz.length}\r\nContent-Type: text/html\r\n\r\n`;
      expect(c.data.subarray(0, len(head)).toString('latin1')).toBe(head);
      expect(Buffer.compare(c.data.subarray(len(head)), gz)).toBe(0);
      expect((await exchange(other.httpPort, `GET / HTTP/1.1\r\nIf-None-Match: "${crc}"\r\n\r\n`)).text).toBe(
        `HTTP/1.1 304 Not Modified\r\n${acao}${tail}Content-Length: 0\r\n\r\n`,
      );
    } finally {
      await other.close();
    }
  });

  it('a zero-length index.html counts as missing: 500 "Invalid data in handler"', async () => {
    const other = await startTestEmulator({ dataDir: makeDataDir({ emptyIndex: true }) });
    try {
      const body = 'Invalid data in handler';
      expect((await exchange(other.httpPort, 'GET / HTTP/1.1\r\n\r\n')).text).toBe(
        `HTTP/1.1 500 Internal Server Error\r\n${acao}${tail}Content-Length: ${body.length}\r\nContent-Type: text/plain\r\n\r\n${body}`,
      );
    } finally {
      await other.close();
    }
  });
});

describe('catch-all, HEAD and methods (§6, §10)', () => {
  it.each(['/nope', '/SSE', '/sse/', '/index.htm'])('GET %s → 404 Not found, FIN', async (path) => {
    const { text, close } = await get(path);
    expect(text).toBe(notFound);
    expect(close).toBe('fin');
  });

  it('GET /sse without Accept: text/event-stream never reaches the event source (404)', async () => {
    expect((await get('/sse')).text).toBe(notFound);
    expect((await get('/sse', 'Accept: text/html, */*\r\n')).text).toBe(notFound);
  });

  it('Accept: text/event-stream on / and on a static file: 404 (handlers require a plain HTTP request)', async () => {
    expect((await get('/', 'Accept: text/event-stream\r\n')).text).toBe(notFound);
    expect((await get('/style.css', 'Accept: text/event-stream\r\n')).text).toBe(notFound);
    expect((await get('/reset', 'Accept: text/event-stream\r\n')).text).toBe(notFound);
  });

  it('HEAD gets the catch-all, body included; POST /reset and OPTIONS too', async () => {
    for (const req of ['HEAD / HTTP/1.1\r\n\r\n', 'POST /reset HTTP/1.1\r\nContent-Length: 0\r\n\r\n', 'OPTIONS /sse HTTP/1.1\r\n\r\n']) {
      expect((await exchange(port, req)).text, req).toBe(notFound);
    }
  });

  it('a POST body is read (Content-Length) before the answer', async () => {
    const c = await RawClient.connect(port);
    c.write('POST /x HTTP/1.1\r\nContent-Length: 4\r\n\r\nab');
    c.write('cd');
    expect(await c.waitClose()).toBe('fin');
    expect(c.text).toBe(notFound);
  });

  it('unknown method, lower-case method, empty request line, empty URL, TLS hello, NUL: RST without a byte', async () => {
    for (const req of ['FOO /reset HTTP/1.1\r\n\r\n', 'get / HTTP/1.1\r\n\r\n', '\r\n', 'GET\r\n\r\n', '\x16\x03\x01\x00', 'GET /\0 HTTP/1.1\r\n']) {
      const r = await exchange(port, req);
      expect(r, JSON.stringify(req)).toEqual({ text: '', close: 'reset' });
    }
  });

  it('Expect: 100-continue gets the raw 100 line first', async () => {
    const { text } = await exchange(port, 'POST /nope HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\nx');
    expect(text).toBe(`HTTP/1.1 100 Continue\r\n\r\n${notFound}`);
  });

  it('random bytes from the network never take the board down', async () => {
    let seed = 12345;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let i = 0; i < 30; i++) {
      const junk = Uint8Array.from({ length: 1 + rnd(300) }, () => rnd(256));
      const c = await RawClient.connect(port);
      c.write(junk);
      c.socket.end(); // half-close: the board sees the end of the request bytes
      await c.waitClose();
    }
    expect((await get('/reset')).text).toMatch(/\r\n\r\nOK$/);
  });

  it('a pipelined second request on the same connection is ignored', async () => {
    const { text } = await exchange(port, 'GET /nope HTTP/1.1\r\n\r\nGET /reset HTTP/1.1\r\n\r\n');
    expect(text).toBe(notFound);
  });
});

describe('event source and /reset (§1, §2, §10)', () => {
  it('SSE head (no Content-Length, not chunked) and hello! with id = millis() and retry 10000 right after it', async () => {
    time.now = 1234;
    const c = await RawClient.connect(port);
    c.write(sseGet);
    const expected = `${sseHead}retry: 10000\nid: 1234\ndata: hello!\n\n`;
    await c.waitBytes(len(expected));
    expect(c.text).toBe(expected);
    c.destroy();
  });

  it('query strings and %-escapes still match /sse; the header name match is case-insensitive', async () => {
    const c = await RawClient.connect(port);
    c.write('GET /ss%65?x=1 HTTP/1.1\r\naccept: TEXT/EVENT-STREAM\r\n\r\n');
    await c.waitForText('data: hello!\n\n');
    expect(c.text.startsWith(sseHead)).toBe(true);
    c.destroy();
  });

  it('time_reading events carry {"time":"<millis>"} and id millis(); /reset pushes one reset event to every client, then OK', async () => {
    time.now = 5000;
    const clients = await Promise.all([RawClient.connect(port), RawClient.connect(port), RawClient.connect(port)]);
    for (const c of clients) c.write(sseGet);
    await Promise.all(clients.map((c) => c.waitForText('data: hello!\n\n')));
    const start = clients.map((c) => c.data.length);

    time.now = 5678;
    emu.board.sketch!.loopOnce();
    const reading = 'id: 5678\nevent: time_reading\ndata: {"time":"5678"}\n\n';
    await Promise.all(clients.map((c) => c.waitForText(reading)));

    time.now = 6000;
    const { text, close } = await get('/reset');
    expect(text).toBe(`HTTP/1.1 200 OK\r\n${acao}${tail}Content-Length: 2\r\nContent-Type: text/plain\r\n\r\nOK`);
    expect(close).toBe('fin');
    const reset = 'id: 6000\nevent: reset\ndata: {"time":"6000"}\n\n';
    await Promise.all(clients.map((c) => c.waitForText(reset)));
    clients.forEach((c, i) => expect(c.text.slice(start[i])).toBe(reading + reset));
    for (const c of clients) c.destroy();
  });

  it('/reset/anything matches the /reset handler (prefix rule)', async () => {
    expect((await get('/reset/anything')).text).toMatch(/\r\n\r\nOK$/);
  });

  it('an SSE client that sends more bytes is ignored, not answered', async () => {
    const c = await RawClient.connect(port);
    c.write(sseGet);
    await c.waitForText('data: hello!\n\n');
    c.write('GET /reset HTTP/1.1\r\n\r\n');
    // A round trip on another connection: the loopback bytes above have been read by now.
    await get('/nope');
    time.now = 7000;
    emu.board.sketch!.loopOnce();
    await c.waitForText('id: 7000\n');
    expect(c.text.split('HTTP/1.1').length).toBe(2);
    expect(c.text).not.toContain('event: reset');
    expect(c.isClosed).toBe(false);
    c.destroy();
  });
});
