/**
 * Response-head assembly per library version (`AsyncWebServerResponse::_assembleHead`,
 * wire doc §1.2, §6.1, §8). The header list a response carries is: DefaultHeaders (copied in
 * the base constructor), then the headers its constructor/`_respond` added; the two versions
 * differ in where Content-Length, Content-Type and Accept-Ranges go.
 */
import type { WireProfile } from './http-profiles.js';

export type HeaderList = ReadonlyArray<readonly [string, string]>;

/**
 * Where a response's `Connection: close` goes (fixture http-3.12.0, README):
 * - `constructor`: `AsyncBasicResponse` (`send(code, type, text)`, `beginResponse(code…)`,
 *   redirect, the static 304) adds it in its constructor, so it follows DefaultHeaders and
 *   precedes every header added to the response afterwards;
 * - `respond`: `AsyncAbstractResponse` (files, templates) adds it in `_respond`, after the
 *   response's own headers.
 */
export type ConnectionClose = 'constructor' | 'respond';

/** A response object before assembly. */
export interface ResponseSpec {
  readonly status: number;
  /** DefaultHeaders as copied when the response was created (§8). */
  readonly defaultHeaders?: HeaderList;
  /** The response's own headers, in insertion order (after DefaultHeaders). */
  readonly headers: HeaderList;
  /** Adds `Connection: close` at that place; omitted ⇒ none (SSE, or already in `headers`). */
  readonly connectionClose?: ConnectionClose;
  /** `undefined` ⇒ no Content-Length line (`_sendContentLength = false`, e.g. SSE, templates). */
  readonly contentLength?: number;
  /** Empty/undefined ⇒ no Content-Type line. */
  readonly contentType?: string;
  /** `_chunked` (template responses): `Transfer-Encoding: chunked` after Accept-Ranges, HTTP/1.1 only. */
  readonly chunked?: boolean;
}

/**
 * Reason phrases (`responseCodeToString` and the `T_HTTP_CODE_*` literals of
 * ESP32Async/ESPAsyncWebServer, `src/WebResponses.cpp` + `src/literals.h`); any other code is
 * `Unknown code` (see {@link reasonPhrase} for 1.2.4's differences).
 */
export const reasonPhrases: Readonly<Record<number, string>> = {
  100: 'Continue',
  101: 'Switching Protocols',
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  203: 'Non-Authoritative Information',
  204: 'No Content',
  205: 'Reset Content',
  206: 'Partial Content',
  300: 'Multiple Choices',
  301: 'Moved Permanently',
  302: 'Found',
  303: 'See Other',
  304: 'Not Modified',
  305: 'Use Proxy',
  307: 'Temporary Redirect',
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  407: 'Proxy Authentication Required',
  408: 'Request Time-out',
  409: 'Conflict',
  410: 'Gone',
  411: 'Length Required',
  412: 'Precondition Failed',
  413: 'Request Entity Too Large',
  414: 'Request-URI Too Large',
  415: 'Unsupported Media Type',
  416: 'Requested Range Not Satisfiable',
  417: 'Expectation Failed',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Time-out',
  505: 'HTTP Version Not Supported',
};

/** `responseCodeToString`'s default. */
export const unknownReasonPhrase = 'Unknown code';

/**
 * Where me-no-dev 1.2.4's `_responseCodeToString` (`src/WebResponses.cpp` @ 67de9cd) differs:
 * two spellings, no 429, and an empty phrase for any code it does not list.
 */
const originalReasonPhrases: Readonly<Record<number, string>> = {
  416: 'Requested range not satisfiable',
  429: '',
  505: 'HTTP Version not supported',
};

/** Raw line written for `Expect: 100-continue` (no headers at all, §8). */
export const continueLine = 'HTTP/1.1 100 Continue\r\n\r\n';

/**
 * The fork's headers that may appear once (`T_only_once_headers`, `src/literals.h`): adding one
 * that is already present with `replaceExisting = false` keeps the first and drops the new one.
 */
const onlyOnceHeaders = new Set(
  [
    'Accept-Ranges', 'Content-Length', 'Content-Type', 'Connection', 'Access-Control-Allow-Credentials',
    'Access-Control-Allow-Headers', 'Access-Control-Allow-Methods', 'Access-Control-Allow-Origin',
    'Access-Control-Max-Age', 'Origin', 'Date', 'Digest', 'ETag', 'Last-Modified', 'Location', 'Retry-After',
    'Transfer-Encoding', 'Content-Location', 'Server', 'WWW-Authenticate',
  ].map((h) => h.toLowerCase()),
);

/** Fork `addHeader(name, value, replaceExisting = false)` on a header list (returns a new list). */
export function addHeaderOnce(list: HeaderList, name: string, value: string): HeaderList {
  const lower = name.toLowerCase();
  if (onlyOnceHeaders.has(lower) && list.some(([n]) => n.toLowerCase() === lower)) return list;
  return [...list, [name, value]];
}

/** The status line's reason phrase, per library version. */
export function reasonPhrase(profile: WireProfile, status: number): string {
  if (profile.headerLayout === 'original') return originalReasonPhrases[status] ?? reasonPhrases[status] ?? '';
  return reasonPhrases[status] ?? unknownReasonPhrase;
}

/** Assembles the status line and header block, ending in the blank line. */
export function assembleResponseHead(profile: WireProfile, version: 0 | 1, spec: ResponseSpec): string {
  const connection = [['Connection', 'close'] as const];
  const own: HeaderList = [
    ...(spec.defaultHeaders ?? []),
    ...(spec.connectionClose === 'constructor' ? connection : []),
    ...spec.headers,
  ];
  const length = spec.contentLength === undefined ? [] : [['Content-Length', String(spec.contentLength)] as const];
  const type = spec.contentType ? [['Content-Type', spec.contentType] as const] : [];
  const ranges = version ? [['Accept-Ranges', 'none'] as const, ...(spec.chunked ? [['Transfer-Encoding', 'chunked'] as const] : [])] : [];
  let lines: HeaderList;
  if (profile.headerLayout === 'original') {
    lines = [...length, ...type, ...own, ...(spec.connectionClose === 'respond' ? connection : []), ...ranges];
  } else {
    // Every header the fork adds itself goes through addHeader(…, replaceExisting = false).
    lines = own;
    for (const [n, v] of [...(spec.connectionClose === 'respond' ? connection : []), ...ranges, ...length, ...type]) {
      lines = addHeaderOnce(lines, n, v);
    }
  }
  let out = `HTTP/1.${version} ${spec.status} ${reasonPhrase(profile, spec.status)}\r\n`;
  for (const [name, value] of lines) out += `${name}: ${value}\r\n`;
  return `${out}\r\n`;
}
