/**
 * What the firmware puts on the wire, as literal bytes per ESPAsyncWebServer version. Source:
 * docs/http-wire.md (§1.2 SSE head, §2 event bytes, §5.1 `send(FS)`,
 * §6.1 `/reset` reply, §6.2 catch-all, §8 DefaultHeaders position). Written out by hand, not
 * computed with the emulator's own encoders, so the suite is an independent reading of the doc.
 * The firmware adds `Access-Control-Allow-Origin: *` through DefaultHeaders.
 */
export const expectedProfiles = ['esp32async-3.12.0', 'me-no-dev-1.2.4'] as const;
export type ExpectedProfile = (typeof expectedProfiles)[number];

export interface ExpectedWire {
  /** Head of `GET /sse` (with `Accept: text/event-stream`). */
  readonly sseHead: string;
  /** Whole `/reset` reply. */
  readonly resetReply: string;
  /** Whole reply to a path nothing handles (catch-all). */
  readonly notFound: string;
  /** Head of `GET /` for an `index.html` of `length` bytes (`gz`: served from `index.html.gz`, fork ETag given). */
  indexHead(length: number, gz?: { etag: string }): string;
  /** SSE line ending. */
  readonly eol: '\n' | '\r\n';
  /** Fork ≥ 3.3.18: `GET /sse` without the Accept header is not the event stream (it falls to the 404). */
  readonly sseNeedsAccept: boolean;
}

const acao = 'Access-Control-Allow-Origin: *\r\n';

export const expectedWire: Readonly<Record<ExpectedProfile, ExpectedWire>> = {
  'esp32async-3.12.0': {
    sseHead: `HTTP/1.1 200 OK\r\n${acao}Cache-Control: no-cache\r\nConnection: keep-alive\r\nAccept-Ranges: none\r\nContent-Type: text/event-stream\r\n\r\n`,
    resetReply: `HTTP/1.1 200 OK\r\n${acao}Connection: close\r\nAccept-Ranges: none\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n\r\nOK`,
    notFound: `HTTP/1.1 404 Not Found\r\n${acao}Connection: close\r\nAccept-Ranges: none\r\nContent-Length: 9\r\nContent-Type: text/plain\r\n\r\nNot found`,
    indexHead: (n, gz) =>
      `HTTP/1.1 200 OK\r\n${acao}` +
      (gz ? `Content-Encoding: gzip\r\nETag: ${gz.etag}\r\nCache-Control: no-cache\r\n` : '') +
      `Content-Disposition: inline\r\nConnection: close\r\nAccept-Ranges: none\r\nContent-Length: ${n}\r\nContent-Type: text/html\r\n\r\n`,
    eol: '\n',
    sseNeedsAccept: true,
  },
  'me-no-dev-1.2.4': {
    sseHead: `HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n${acao}Cache-Control: no-cache\r\nConnection: keep-alive\r\nAccept-Ranges: none\r\n\r\n`,
    resetReply: `HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n${acao}Connection: close\r\nAccept-Ranges: none\r\n\r\nOK`,
    notFound: `HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n${acao}Connection: close\r\nAccept-Ranges: none\r\n\r\n`,
    indexHead: (n, gz) =>
      `HTTP/1.1 200 OK\r\nContent-Length: ${n}\r\nContent-Type: text/html\r\n${acao}` +
      (gz ? 'Content-Encoding: gzip\r\n' : '') +
      `Content-Disposition: inline; filename="index.html"\r\nConnection: close\r\nAccept-Ranges: none\r\n\r\n`,
    eol: '\r\n',
    sseNeedsAccept: false,
  },
};

/** `hello!` from onConnect: retry 10000, id = millis() (never 0: an id of 0 is omitted). */
export function helloBytes(w: ExpectedWire, id: number): string {
  const e = w.eol;
  return `retry: 10000${e}id: ${id}${e}data: hello!${e}${e}`;
}

/** A `time_reading` or `reset` event: `{"time":"<millis>"}` with id = millis() read just after. */
export function readingBytes(w: ExpectedWire, event: string, id: number, time: number): string {
  const e = w.eol;
  return `id: ${id}${e}event: ${event}${e}data: {"time":"${time}"}${e}${e}`;
}

export function isExpectedProfile(s: string): s is ExpectedProfile {
  return (expectedProfiles as readonly string[]).includes(s);
}
