/**
 * A small stand-in for the board on a raw TCP server, with switchable faults: by default it
 * answers the way the firmware with ESPAsyncWebServer 3.12.0 does (so the suite passes), and
 * each fault changes one thing a real library regression or a different server would change.
 * Used to show the conformance suite fails, with the right check names, against a server that
 * differs from the firmware.
 */
import { createServer, type Socket } from 'node:net';

export type Fault =
  /** SSE head: Content-Type right after the status line (another server's order). */
  | 'header-order'
  /** SSE lines end in CRLF (the 1.2.4 bytes, not the pinned 3.12.0). */
  | 'crlf-events'
  /** hello! with retry 5000. */
  | 'retry'
  /** /reset pushes its event twice. */
  | 'reset-twice'
  /** The loop sends every 10 ms. */
  | 'fast'
  /** Unknown paths get an empty 500 (the pre-3.7.0 catch-all). */
  | 'catch-all-500';

export interface WrongServer {
  readonly url: string;
  close(): Promise<void>;
}

const acao = 'Access-Control-Allow-Origin: *\r\n';
const page = '<!DOCTYPE html>\n<html><body><script>new EventSource("sse")</script></body></html>\n';

export async function startWrongServer(faults: readonly Fault[] = []): Promise<WrongServer> {
  const has = (f: Fault) => faults.includes(f);
  const eol = has('crlf-events') ? '\r\n' : '\n';
  // The stand-in's clock is its loop schedule (tick n at t0 + n·period), like a board whose
  // time never stalls: a loaded test machine delays delivery, never the ids.
  const t0 = performance.now();
  const period = has('fast') ? 10 : 20;
  let due = 0;
  let board = 1000;
  // hello! and reset are sent between ticks: 1 ms after the last one on the same clock.
  const millis = () => board + 1;
  const clients = new Set<Socket>();
  const sockets = new Set<Socket>();
  const reading = (event: string, at = millis()) => `id: ${at}${eol}event: ${event}${eol}data: {"time":"${at}"}${eol}${eol}`;
  const broadcast = (text: string) => clients.forEach((c) => c.write(text));
  const tick = () => {
    while (performance.now() - t0 >= due * period) {
      board = 1000 + Math.floor(due * period);
      broadcast(reading('time_reading', board));
      due++;
    }
    loop = setTimeout(tick, Math.max(1, t0 + due * period - performance.now()));
  };
  let loop = setTimeout(tick, 0);

  const reply = (s: Socket, status: string, body: string, type = 'text/plain') => {
    const ct = body ? `Content-Length: ${body.length}\r\nContent-Type: ${type}\r\n` : 'Content-Length: 0\r\n';
    s.end(`HTTP/1.1 ${status}\r\n${acao}Connection: close\r\nAccept-Ranges: none\r\n${ct}\r\n${body}`);
  };
  const server = createServer((s) => {
    sockets.add(s);
    s.on('close', () => {
      sockets.delete(s);
      clients.delete(s);
    });
    s.on('error', () => undefined);
    let buf = '';
    s.on('data', (d) => {
      buf += d.toString('latin1');
      if (!buf.includes('\r\n\r\n') || clients.has(s)) return;
      const [method, path] = buf.split(' ');
      const isSse = /\r\naccept:[^\r]*text\/event-stream/i.test(buf);
      if (method === 'GET' && path === '/sse' && isSse) {
        const head = has('header-order')
          ? `HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n${acao}Cache-Control: no-cache\r\nConnection: keep-alive\r\nAccept-Ranges: none\r\n\r\n`
          : `HTTP/1.1 200 OK\r\n${acao}Cache-Control: no-cache\r\nConnection: keep-alive\r\nAccept-Ranges: none\r\nContent-Type: text/event-stream\r\n\r\n`;
        s.write(head + `retry: ${has('retry') ? 5000 : 10000}${eol}id: ${millis()}${eol}data: hello!${eol}${eol}`);
        clients.add(s);
      } else if (method === 'GET' && path === '/reset') {
        broadcast(reading('reset'));
        if (has('reset-twice')) broadcast(reading('reset'));
        reply(s, '200 OK', 'OK');
      } else if (method === 'GET' && path === '/') {
        s.end(`HTTP/1.1 200 OK\r\n${acao}Content-Disposition: inline\r\nConnection: close\r\nAccept-Ranges: none\r\nContent-Length: ${page.length}\r\nContent-Type: text/html\r\n\r\n${page}`);
      } else if (has('catch-all-500')) {
        reply(s, '500 Internal Server Error', '');
      } else {
        reply(s, '404 Not Found', 'Not found');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise((resolve) => {
        clearTimeout(loop);
        sockets.forEach((s) => s.destroy());
        server.close(() => resolve());
      }),
  };
}
