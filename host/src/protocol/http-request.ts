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

/** What a chunk of bytes completed. */
export type RequestEvent =
  | { readonly type: 'head'; readonly head: HttpRequestHead }
  /** Body (Content-Length bytes) received: the request can be handled now. */
  | { readonly type: 'complete'; readonly body: Uint8Array }
  /** The library closes (FIN) or aborts (RST) the connection. */
  | { readonly type: 'close' | 'reset'; readonly reason: string };

const latin1 = new TextDecoder('latin1');

/**
 * The largest body kept for a handler (a sketch's onBody/POST form): larger bodies are read
 * and dropped, and the handler sees none. The board streams a body to its callback in pieces.
 */
export const maxKeptBody = 64 * 1024;

export class HttpRequestReader {
  private state: 'start' | 'headers' | 'body' | 'done' = 'start';
  private line = '';
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

  constructor(private readonly profile: WireProfile) {}

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
        if (this.contentLength <= maxKeptBody) this.body.push(chunk.slice(i, i + take));
        this.bodyRemaining -= take;
        i += take;
        if (this.bodyRemaining === 0) this.finish(out);
        continue;
      }
      const nl = chunk.indexOf(0x0a, i);
      const end = nl < 0 ? chunk.length : nl;
      const piece = chunk.subarray(i, end);
      if (this.profile.strictRequestLine && piece.includes(0)) return this.fail(out, 'reset', 'NUL byte in the request head');
      this.line += latin1.decode(piece);
      if (nl < 0) break;
      i = nl + 1;
      const line = trimArduino(this.line);
      this.line = '';
      this.parseLine(line, out);
    }
    return out;
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
      this.parseHeader(line);
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
  private parseHeader(line: string): void {
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
        : line.slice(colon + 1).replace(/^[ \t]+/, '');
    const lower = name.toLowerCase();
    if (lower === 'content-length') this.contentLength = Math.max(0, Number.parseInt(value, 10) || 0);
    else if (lower === 'expect' && value === '100-continue') this.expectContinue = true;
    else if (lower === 'upgrade' && value.toLowerCase() === 'websocket') this.connectionType = 'ws';
    else if (lower === 'accept' && value.toLowerCase().includes('text/event-stream')) this.connectionType = 'event';
    this.headers.push([name, value]);
  }

  private isDone(): boolean {
    return this.state === 'done';
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
    this.state = 'done';
    const body = this.body.length === 1 ? this.body[0]! : new Uint8Array(Buffer.concat(this.body));
    this.body = [];
    out.push({ type: 'complete', body });
  }

  private fail(out: RequestEvent[], type: 'close' | 'reset', reason: string): RequestEvent[] {
    this.state = 'done';
    out.push({ type, reason });
    return out;
  }
}

/** Case-insensitive header lookup (`getHeader` uses equalsIgnoreCase); first match wins. */
export function findHeader(head: HttpRequestHead, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [n, v] of head.headers) if (n.toLowerCase() === lower) return v;
  return undefined;
}
