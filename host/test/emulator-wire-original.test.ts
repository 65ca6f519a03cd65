/**
 * Profile me-no-dev-1.2.4: the original library's bytes wherever the wire doc lists a difference
 * (header order, CRLF events, no Accept rule, 500 catch-all, HTTP_ANY for unknown methods, no
 * ETag, filename in Content-Disposition, the server never closes after a response).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../src/emulator/index.js';
import { removeDataDirs, dataFiles, makeDataDir, ManualTime, RawClient, startTestEmulator } from './emulator-helpers.js';

const acao = 'Access-Control-Allow-Origin: *\r\n';
const tail = 'Connection: close\r\nAccept-Ranges: none\r\n';
const error500 = `HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n${acao}${tail}\r\n`;
const sseHead =
  `HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n${acao}Cache-Control: no-cache\r\nConnection: keep-alive\r\n` +
  'Accept-Ranges: none\r\n\r\n';

const time = new ManualTime(0);
let emu: RunningEmulator;
let port: number;
let serial = '';

beforeAll(async () => {
  emu = await startTestEmulator({
    profile: 'me-no-dev-1.2.4',
    dataDir: makeDataDir(),
    timeSource: time.source,
    onSerial: (b) => (serial += Buffer.from(b).toString('utf8')),
  });
  port = emu.httpPort;
});
afterAll(async () => {
  await emu?.close();
  removeDataDirs();
});

const len = (s: string) => Buffer.byteLength(s);

/** One request; returns the complete response. The connection stays open (1.2.4 waits for the client). */
async function ask(request: string): Promise<{ text: string; open: boolean; client: RawClient }> {
  const client = await RawClient.connect(port);
  client.write(request);
  const text = await client.response();
  // Let a FIN, if the server wrongly sent one, arrive: a second exchange on another connection.
  const probe = await RawClient.connect(port);
  probe.write('GET /nope HTTP/1.1\r\n\r\n');
  await probe.response();
  probe.destroy();
  const open = !client.isClosed;
  client.destroy();
  return { text, open, client };
}
const get = (path: string, headers = '') => ask(`GET ${path} HTTP/1.1\r\nHost: x\r\n${headers}\r\n`);

describe('1.2.4 responses', () => {
  it('GET /: Content-Length and Content-Type first, filename in Content-Disposition, connection left open', async () => {
    const { text, open } = await get('/');
    expect(text).toBe(
      `HTTP/1.1 200 OK\r\nContent-Length: ${len(dataFiles.index)}\r\nContent-Type: text/html\r\n${acao}` +
        `Content-Disposition: inline; filename="index.html"\r\n${tail}\r\n${dataFiles.index}`,
    );
    expect(open).toBe(true);
  });

  it('serveStatic: no ETag or Cache-Control, 1.2.4 MIME chain', async () => {
    const cases: Array<[string, string, string, string]> = [
      ['/app.js', 'app.js', dataFiles.js, 'application/javascript'],
      ['/README', 'README', dataFiles.txt, 'text/plain'],
      ['/sub/', 'index.htm', dataFiles.subIndex, 'text/html'],
    ];
    for (const [path, name, body, type] of cases) {
      expect((await get(path)).text, path).toBe(
        `HTTP/1.1 200 OK\r\nContent-Length: ${len(body)}\r\nContent-Type: ${type}\r\n${acao}` +
          `Content-Disposition: inline; filename="${name}"\r\n${tail}\r\n${body}`,
      );
    }
  });

  it('a gzip-only file: Content-Encoding, no ETag, filename without .gz', async () => {
    const { text } = await get('/logo.svg');
    expect(text).toMatch(
      new RegExp(
        `^HTTP/1.1 200 OK\r\nContent-Length: \\d+\r\nContent-Type: image/svg\\+xml\r\nAccess-Control-Allow-Origin: \\*\r\n` +
          `Content-Encoding: gzip\r\nContent-Disposition: inline; filename="logo.svg"\r\n${tail}\r\n`,
      ),
    );
  });

  it('x and x.gz both present: the plain file first, the .gz first once more than 4 of the last 8 hits were gzip', async () => {
    // A fresh board: the lookup history starts at 0xF8 (5 of 8) with gzipFirst off.
    const fresh = async () => {
      const e = await startTestEmulator({ profile: 'me-no-dev-1.2.4', dataDir: makeDataDir() });
      const fetch1 = async (path: string) => {
        const c = await RawClient.connect(e.httpPort);
        c.write(`GET ${path} HTTP/1.1\r\n\r\n`);
        const r = await c.response();
        c.destroy();
        return r;
      };
      return { e, fetch1 };
    };
    const a = await fresh();
    try {
      expect(await a.fetch1('/both.txt')).not.toContain('Content-Encoding');
    } finally {
      await a.e.close();
    }
    const b = await fresh();
    try {
      // One gzip hit makes the history 0xF1 (5 of 8): now the .gz is tried first.
      expect(await b.fetch1('/logo.svg')).toContain('Content-Encoding: gzip');
      expect(await b.fetch1('/both.txt')).toContain('Content-Encoding: gzip\r\nContent-Disposition: inline; filename="both.txt"');
    } finally {
      await b.e.close();
    }
  });

  it.each(['/nope', '/SSE', '/sse/'])('GET %s → empty 500 (no onNotFound)', async (path) => {
    expect((await get(path)).text).toBe(error500);
  });

  it('HEAD and POST get the empty 500', async () => {
    expect((await ask('HEAD / HTTP/1.1\r\n\r\n')).text).toBe(error500);
    expect((await ask('POST /reset HTTP/1.1\r\n\r\n')).text).toBe(error500);
  });

  it('an unknown method is HTTP_ANY: FOO / serves the page, FOO /reset runs /reset', async () => {
    expect((await ask('FOO / HTTP/1.1\r\n\r\n')).text).toContain(`\r\n\r\n${dataFiles.index}`);
    expect((await ask('FOO /reset HTTP/1.1\r\n\r\n')).text).toBe(
      `HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n${acao}${tail}\r\nOK`,
    );
  });

  it('Accept: text/event-stream: on("/") still answers, a static file falls through to the 500', async () => {
    expect((await get('/', 'Accept: text/event-stream\r\n')).text).toContain(dataFiles.index);
    expect((await get('/style.css', 'Accept: text/event-stream\r\n')).text).toBe(error500);
  });

  it('an empty first line closes with FIN; garbage is not reset', async () => {
    const c = await RawClient.connect(port);
    c.write('\r\n');
    expect(await c.waitClose()).toBe('fin');
    expect(c.text).toBe('');
    expect((await ask('HELLO\r\n\r\n')).text).toBe(error500);
  });

  it('a missing index.html is an empty 404', async () => {
    const other = await startTestEmulator({ profile: 'me-no-dev-1.2.4', dataDir: makeDataDir({ index: false }) });
    try {
      const c = await RawClient.connect(other.httpPort);
      c.write('GET / HTTP/1.1\r\n\r\n');
      expect(await c.response()).toBe(`HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n${acao}${tail}\r\n`);
      c.destroy();
    } finally {
      await other.close();
    }
  });
});

describe('1.2.4 event source', () => {
  it('no Accept needed; CRLF events; hello! after the head', async () => {
    time.now = 1234;
    const c = await RawClient.connect(port);
    c.write('GET /sse HTTP/1.1\r\n\r\n');
    const expected = `${sseHead}retry: 10000\r\nid: 1234\r\ndata: hello!\r\n\r\n`;
    await c.waitBytes(len(expected));
    expect(c.text).toBe(expected);
    time.now = 1300;
    emu.board.sketch!.loopOnce();
    await c.waitForText('id: 1300\r\nevent: time_reading\r\ndata: {"time":"1300"}\r\n\r\n');
    c.destroy();
  });

  it('Last-Event-ID value starts two characters after the colon: "Last-Event-ID:12345" reconnects as 2345', async () => {
    const c = await RawClient.connect(port);
    c.write('GET /sse HTTP/1.1\r\nLast-Event-ID:12345\r\n\r\n');
    await c.waitForText('data: hello!\r\n\r\n');
    expect(serial).toContain('Client reconnected! Last message ID that it got is: 2345\n');
    c.destroy();
  });
});
