/**
 * A byte-recording HTTP/1.1 client on a plain TCP socket: the suite must see the exact status
 * line, header order and line endings, which `node:http` normalises away.
 */
import { connect, type Socket } from 'node:net';

/** Where to connect, from a base URL such as `http://10.0.0.7/` or `http://127.0.0.1:8080/`. */
export interface Target {
  readonly host: string;
  readonly port: number;
  /** Value for the `Host:` header. */
  readonly hostHeader: string;
}

export function targetOf(baseUrl: string): Target {
  const u = new URL(baseUrl);
  if (u.protocol !== 'http:') throw new Error(`only http:// targets are supported, got ${u.protocol}`);
  const host = u.hostname.startsWith('[') ? u.hostname.slice(1, -1) : u.hostname;
  return { host, port: u.port ? Number(u.port) : 80, hostHeader: u.host };
}

/** Request text: `GET path HTTP/1.1`, Host, the given headers, blank line. */
export function requestText(t: Target, path: string, headers: ReadonlyArray<readonly [string, string]> = [], method = 'GET'): string {
  return `${method} ${path} HTTP/1.1\r\nHost: ${t.hostHeader}\r\n${headers.map(([n, v]) => `${n}: ${v}\r\n`).join('')}\r\n`;
}

/** Opens a TCP connection; rejects with the OS error (ECONNREFUSED, EHOSTUNREACH…) or after `timeoutMs`. */
export function openSocket(t: Target, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: t.host, port: t.port, noDelay: true });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no TCP connection to ${t.host}:${t.port} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

/** A response as bytes: the head text (through the blank line) and the body. */
export interface RawResponse {
  /** Status line and headers including the final `\r\n\r\n`, as latin1 text. */
  readonly head: string;
  readonly body: Buffer;
  readonly status: number;
  /** Header lookup (case-insensitive, first occurrence). */
  header(name: string): string | undefined;
}

/** Finds the end of the head (`\r\n\r\n`); -1 when not complete yet. */
export function headEnd(data: Buffer): number {
  const i = data.indexOf('\r\n\r\n');
  return i < 0 ? -1 : i + 4;
}

export function parseHead(head: string): { status: number; header(name: string): string | undefined } {
  const lines = head.split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '')?.[1] ?? 0);
  return {
    status,
    header(name) {
      const want = name.toLowerCase();
      for (const l of lines.slice(1)) {
        const c = l.indexOf(':');
        if (c > 0 && l.slice(0, c).toLowerCase() === want) return l.slice(c + 1).trim();
      }
      return undefined;
    },
  };
}

/**
 * Sends one request and reads the response: the head, then `Content-Length` bytes of body
 * (or everything until the server closes when there is none; for an event stream, only the head).
 * Does not rely on the server
 * closing: the original library never closes after a response.
 */
export function rawRequest(t: Target, request: string, timeoutMs: number): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    let data = Buffer.alloc(0);
    let socket: Socket | undefined;
    let done = false;
    const finish = (err: Error | undefined, res?: RawResponse) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket?.destroy();
      if (err) reject(err);
      else resolve(res!);
    };
    const timer = setTimeout(() => finish(new Error(`no complete answer to "${request.split('\r\n')[0]}" within ${timeoutMs} ms (got ${data.length} bytes)`)), timeoutMs);
    const tryComplete = (closed: boolean) => {
      const end = headEnd(data);
      if (end < 0) {
        if (closed) finish(new Error(`connection closed after ${data.length} bytes, before a complete response head: ${JSON.stringify(data.toString('latin1').slice(0, 200))}`));
        return;
      }
      const head = data.subarray(0, end).toString('latin1');
      const parsed = parseHead(head);
      const cl = parsed.header('content-length');
      const want = cl === undefined ? undefined : Number(cl);
      if (want !== undefined && data.length - end >= want) finish(undefined, { head, body: data.subarray(end, end + want), ...parsed });
      // An event stream never ends: the head is the answer.
      else if (want === undefined && parsed.header('content-type') === 'text/event-stream') finish(undefined, { head, body: data.subarray(end), ...parsed });
      else if (closed) finish(undefined, { head, body: data.subarray(end), ...parsed });
    };
    openSocket(t, timeoutMs).then(
      (s) => {
        socket = s;
        if (done) return s.destroy();
        s.on('data', (chunk: Buffer) => {
          data = Buffer.concat([data, chunk]);
          tryComplete(false);
        });
        s.on('error', () => undefined);
        s.on('close', () => tryComplete(true));
        s.write(request, 'latin1');
      },
      (e: Error) => finish(e),
    );
  });
}
