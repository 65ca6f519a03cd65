/**
 * Incremental HTTP request-head reader with each ESPAsyncWebServer version's quirks
 * (wire doc §1.1, §3, §6.3; me-no-dev `_onData`/`_parseLine`/`_parseReqHead`/`_parseReqHeader`).
 * Pure: feed bytes, get events; the emulator decides what to do with them.
 */
import type { WireProfile } from './http-profiles.js';
import { decodeUrl, trimArduino } from './http-text.js';

/** Methods each version recognises (wire doc §6.3). Anything else is unknown. */
export const originalMethods = ['GET', 'POST', 'DELETE', 'PUT', 'PATCH', 'HEAD', 'OPTIONS'] as const;
export const forkMethods = [
  ...originalMethods,
  'TRACE', 'CONNECT', 'PURGE', 'LINK', 'UNLINK', 'PROPFIND', 'LOCK', 'UNLOCK', 'PROPPATCH',
  'MKCOL', 'MOVE', 'COPY', 'SEARCH', 'BIND', 'REBIND', 'UNBIND', 'ACL',
] as const;

/** `RequestedConnectionType`: plain HTTP, a WebSocket upgrade, or an event stream. */
export type RequestConnectionType = 'http' | 'ws' | 'event';

/** A parsed request head as the library sees it. */
export interface HttpRequestHead {
  /** Method token as sent. */
  readonly method: string;
  /** False for a token the version does not know (1.2.4 then treats it as HTTP_ANY). */
  readonly methodKnown: boolean;
  /** Path after splitting off the query and URL-decoding (bytes as latin1 chars). */
  readonly url: string;
  readonly query: string;
  /** 0 for `HTTP/1.0`, else 1. */
  readonly version: 0 | 1;
  /** Headers with values extracted the version's way, in arrival order. */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly contentLength: number;
  readonly expectContinue: boolean;
  /**
   * `_reqconntype` (wire doc §1.1): `Upgrade: websocket` makes a request `ws`, an Accept value
   * containing `text/event-stream` (case-insensitive) makes it `event`, whatever the method; with
   * both, the later header wins (3.12.0 tag and 1.2.4; fixture requests sse_upgrade_then_accept
   * and sse_accept_then_upgrade). Callback and static handlers take only `http` requests.
   */
  readonly connectionType: RequestConnectionType;
  /** `connectionType === 'event'` (`RCT_EVENT`). */
  readonly isEventStream: boolean;
}

/** Which of the {@link HttpLimits} a request went over. */
export type HttpLimitName = 'request-line' | 'header-line' | 'head' | 'headers';

/** What a chunk of bytes completed. */
export type RequestEvent =
  | { readonly type: 'head'; readonly head: HttpRequestHead }
  /**
   * Body (Content-Length bytes) received: the request can be handled now. `bodyDropped`: the
   * body was larger than `maxKeptBody`, read and not kept (`body` is empty).
   */
  | { readonly type: 'complete'; readonly body: Uint8Array; readonly bodyDropped: boolean }
  /** The library closes (FIN) or aborts (RST) the connection; `limit` when a head went over one. */
  | { readonly type: 'close' | 'reset'; readonly reason: string; readonly limit?: HttpLimitName };

const latin1 = new TextDecoder('latin1');

/**
 * What a peer's request may make the emulator keep. ESPAsyncWebServer has no such numbers (wire
 * doc §6.3): a line grows in the `_temp` String until the newline, headers go into a list, both
 * bounded only by the board's heap (~250 KB free on a WiFi-connected ESP32, ~110 KB in its
 * largest block). When `_temp.reserve` fails, 3.12.0 aborts the connection (RST); 1.2.4's concat
 * fails silently and a failed `new` for a header aborts the whole board. These limits stand for
 * that heap; over one the connection is reset (RST) in both profiles, the board keeps running.
 */
export interface HttpLimits {
  /**
   * Longest request line or header line, its bytes before the LF (a CR included): one String
   * that grows by realloc, so it needs its old and new buffer at once within a heap whose largest
   * block is ~110 KB.
   */
  readonly maxLineBytes: number;
  /** Longest head: every byte from the request line to the blank line, line endings included. */
  readonly maxHeadBytes: number;
  /** Most headers kept; each costs the board a list node and two String objects (≥ 48 bytes of heap). */
  readonly maxHeaders: number;
  /**
   * Largest body kept for a handler (a sketch's POST form or JSON): larger bodies are read and
   * dropped, and the handler sees none. The board streams a body to its callback in pieces.
   */
  readonly maxKeptBody: number;
}

/** The board's limits (see {@link HttpLimits}; the reasons are in docs/limits.md). */
export const boardHttpLimits: HttpLimits = {
  maxLineBytes: 64 * 1024,
  maxHeadBytes: 128 * 1024,
  maxHeaders: 1024,
  maxKeptBody: 64 * 1024,
};

/** {@link HttpLimits.maxKeptBody} of the board. */
export const maxKeptBody = boardHttpLimits.maxKeptBody;

/** A line buffer starts this small and doubles up to `maxLineBytes`. */
const initialLineBytes = 256;

const limitText: Record<HttpLimitName, string> = {
  'request-line': 'request line longer than',
  'header-line': 'header line longer than',
  head: 'request head longer than',
  headers: 'more headers than',
};

export class HttpRequestReader {
  private state: 'start' | 'headers' | 'body' | 'done' = 'start';
  /** The line so far, as bytes (`_temp`); decoded once its LF arrives. */
  private lineBuf = new Uint8Array(0);
  private lineLen = 0;
  /** Bytes of the head so far (request line to blank line, line endings included). */
  private headBytes = 0;
  private first = true;
  private method = '';
  private methodKnown = false;
  private url = '';
  private query = '';
  private version: 0 | 1 = 0;
  private headers: Array<readonly [string, string]> = [];
  private contentLength = 0;
  private expectContinue = false;
  private connectionType: RequestConnectionType = 'http';
  private bodyRemaining = 0;
  private body: Uint8Array[] = [];

  constructor(
    private readonly profile: WireProfile,
    private readonly limits: HttpLimits = boardHttpLimits,
  ) {}

  /**
   * Bytes of request data the reader holds right now: the line buffer, the method, URL, query
   * and headers kept, the body kept. Never more than `maxLineBytes + maxHeadBytes + maxKeptBody`.
   */
  get retainedBytes(): number {
    let n = this.lineBuf.byteLength + this.method.length + this.url.length + this.query.length;
    for (const [name, value] of this.headers) n += name.length + value.length;
    for (const b of this.body) n += b.byteLength;
    return n;
  }

  /** Feeds received bytes. After a `close`/`reset`/`complete` event further bytes are ignored. */
  push(chunk: Uint8Array): RequestEvent[] {
    const out: RequestEvent[] = [];
    if (this.state === 'done' || chunk.length === 0) return out;
    if (this.first) {
      this.first = false;
      if (this.profile.strictRequestLine && chunk[0] === 0x16) return this.fail(out, 'reset', 'TLS ClientHello on a plain HTTP port');
    }
    let i = 0;
    while (i < chunk.length && !this.isDone()) {
      if (this.state === 'body') {
        const take = Math.min(this.bodyRemaining, chunk.length - i);
        if (this.contentLength <= this.limits.maxKeptBody) this.body.push(chunk.slice(i, i + take));
        this.bodyRemaining -= take;
        i += take;
        if (this.bodyRemaining === 0) this.finish(out);
        continue;
      }
      const nl = chunk.indexOf(0x0a, i);
      const end = nl < 0 ? chunk.length : nl;
      const piece = chunk.subarray(i, end);
      const refused = this.refusal(piece, nl >= 0);
      if (refused) return this.fail(out, 'reset', refused.reason, refused.limit);
      this.headBytes += piece.length + (nl < 0 ? 0 : 1);
      if (nl < 0) {
        this.append(piece);
        break;
      }
      i = nl + 1;
      // A line whole in this chunk is decoded where it lies; a line cut by chunks is joined first.
      let bytes = piece;
      if (this.lineLen > 0) {
        this.append(piece);
        bytes = this.lineBuf.subarray(0, this.lineLen);
        this.lineLen = 0;
      }
      this.parseLine(trimArduino(latin1.decode(bytes)), out);
    }
    return out;
  }

  /**
   * Why the bytes of `piece` (a line's next bytes, then its LF when `lf`) end the request, if
   * they do: a NUL byte (the fork), or the first byte past a limit. The earliest byte decides,
   * so the outcome does not depend on how the stream was cut into chunks.
   */
  private refusal(piece: Uint8Array, lf: boolean): { reason: string; limit?: HttpLimitName } | undefined {
    const { maxLineBytes, maxHeadBytes } = this.limits;
    const nul = this.profile.strictRequestLine ? piece.indexOf(0) : -1;
    // Index in the piece of the first byte over each limit (the LF, at piece.length, counts for the head).
    const lineOver = maxLineBytes - this.lineLen;
    const headOver = maxHeadBytes - this.headBytes;
    const last = lf ? piece.length : piece.length - 1;
    let at = Infinity;
    let refused: { reason: string; limit?: HttpLimitName } | undefined;
    if (nul >= 0) {
      at = nul;
      refused = { reason: 'NUL byte in the request head' };
    }
    if (lineOver < piece.length && lineOver < at) {
      at = lineOver;
      const limit = this.state === 'start' ? 'request-line' : 'header-line';
      refused = { reason: `${limitText[limit]} ${maxLineBytes} bytes`, limit };
    }
    if (headOver <= last && headOver < at) refused = { reason: `${limitText.head} ${maxHeadBytes} bytes`, limit: 'head' };
    return refused;
  }

  /** Appends to the line buffer, doubling it up to `maxLineBytes` (the caller checked the limit). */
  private append(piece: Uint8Array): void {
    const need = this.lineLen + piece.length;
    if (need > this.lineBuf.byteLength) {
      let size = Math.max(initialLineBytes, this.lineBuf.byteLength);
      while (size < need) size *= 2;
      const grown = new Uint8Array(Math.min(size, this.limits.maxLineBytes));
      grown.set(this.lineBuf.subarray(0, this.lineLen));
      this.lineBuf = grown;
    }
    this.lineBuf.set(piece, this.lineLen);
    this.lineLen = need;
  }

  private parseLine(line: string, out: RequestEvent[]): void {
    if (this.state === 'start') {
      if (line === '') {
        this.fail(out, this.profile.strictRequestLine ? 'reset' : 'close', 'empty request line');
        return;
      }
      this.parseRequestLine(line);
      if (this.profile.strictRequestLine && !this.methodKnown) return void this.fail(out, 'reset', `unknown method ${this.method}`);
      if (this.profile.strictRequestLine && this.url === '') return void this.fail(out, 'reset', 'empty URL');
      this.state = 'headers';
      return;
    }
    if (line !== '') {
      this.parseHeader(line, out);
      return;
    }
    out.push({ type: 'head', head: this.head() });
    if (this.contentLength > 0) {
      this.state = 'body';
      this.bodyRemaining = this.contentLength;
    } else {
      this.finish(out);
    }
  }

  /** `_parseReqHead`: method up to the first space, URL up to the next, then the version text. */
  private parseRequestLine(line: string): void {
    const sp1 = line.indexOf(' ');
    this.method = sp1 < 0 ? line : line.slice(0, sp1);
    const sp2 = sp1 < 0 ? -1 : line.indexOf(' ', sp1 + 1);
    let url = sp1 < 0 ? '' : sp2 < 0 ? line.slice(sp1 + 1) : line.slice(sp1 + 1, sp2);
    const rest = sp2 < 0 ? (sp1 < 0 ? line : '') : line.slice(sp2 + 1);
    const known: readonly string[] = this.profile.unknownMethod === 'any' ? originalMethods : forkMethods;
    this.methodKnown = known.includes(this.method);
    const q = url.indexOf('?');
    if (q > 0) {
      this.query = url.slice(q + 1);
      url = url.slice(0, q);
    }
    this.url = decodeUrl(url);
    this.version = rest.startsWith('HTTP/1.0') ? 0 : 1;
  }

  /** `_parseReqHeader`: name before the colon, value the version's way. */
  private parseHeader(line: string, out: RequestEvent[]): void {
    let colon = line.indexOf(':');
    if (colon === 0) return;
    if (colon < 0) {
      // 1.2.4 tests `if(index)`, and -1 is true: the whole line becomes the name, the value
      // is `substring(1)`. The fork skips such lines.
      if (this.profile.headerValue !== 'colon-plus-2') return;
      colon = line.length;
    }
    const name = line.slice(0, colon);
    const value =
      this.profile.headerValue === 'colon-plus-2'
        ? line.slice(colon === line.length ? 1 : colon + 2)
        : line.slice(skipBlanks(line, colon + 1));
    if (this.headers.length >= this.limits.maxHeaders) {
      this.fail(out, 'reset', `${limitText.headers} ${this.limits.maxHeaders}`, 'headers');
      return;
    }
    const lower = name.toLowerCase();
    if (lower === 'content-length') this.contentLength = Math.max(0, Number.parseInt(value, 10) || 0);
    else if (lower === 'expect' && value === '100-continue') this.expectContinue = true;
    else if (lower === 'upgrade' && value.toLowerCase() === 'websocket') this.connectionType = 'ws';
    else if (lower === 'accept' && value.toLowerCase().includes('text/event-stream')) this.connectionType = 'event';
    this.headers.push([name, value]);
  }

  private head(): HttpRequestHead {
    return {
      method: this.method,
      methodKnown: this.methodKnown,
      url: this.url,
      query: this.query,
      version: this.version,
      headers: this.headers,
      contentLength: this.contentLength,
      expectContinue: this.expectContinue,
      connectionType: this.connectionType,
      isEventStream: this.connectionType === 'event',
    };
  }

  private finish(out: RequestEvent[]): void {
    this.done();
    const body = this.body.length === 1 ? this.body[0]! : new Uint8Array(Buffer.concat(this.body));
    this.body = [];
    out.push({ type: 'complete', body, bodyDropped: this.contentLength > this.limits.maxKeptBody });
  }

  private fail(out: RequestEvent[], type: 'close' | 'reset', reason: string, limit?: HttpLimitName): RequestEvent[] {
    this.done();
    this.body = [];
    out.push(limit ? { type, reason, limit } : { type, reason });
    return out;
  }

  private isDone(): boolean {
    return this.state === 'done';
  }

  /** No more bytes will be read: the line buffer goes (the socket may live on as an event stream). */
  private done(): void {
    this.state = 'done';
    this.lineBuf = new Uint8Array(0);
    this.lineLen = 0;
  }
}

/** Index of the first character at or after `from` that is not a space or a tab. */
function skipBlanks(s: string, from: number): number {
  let i = from;
  while (i < s.length && (s.charCodeAt(i) === 0x20 || s.charCodeAt(i) === 0x09)) i++;
  return i;
}

/** Case-insensitive header lookup (`getHeader` uses equalsIgnoreCase); first match wins. */
export function findHeader(head: HttpRequestHead, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [n, v] of head.headers) if (n.toLowerCase() === lower) return v;
  return undefined;
}
