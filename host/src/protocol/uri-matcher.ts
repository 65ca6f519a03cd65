/**
 * Which callback handler takes a request in ESPAsyncWebServer 3.12.0:
 * `AsyncCallbackWebHandler::canHandle` (src/WebHandlers.cpp: an `onRequest` function, a plain
 * HTTP request, the method bit, then the URI matcher) and `AsyncURIMatcher` (src/WebServer.cpp,
 * src/ESPAsyncWebServer.h). Facts from that source:
 *
 * - A string given to `server.on()` is inspected once: empty → matches everything; ending in `*`
 *   → prefix (without the `*`); containing `/*.` → extension; otherwise "backward compatible":
 *   the URL equals it or starts with it plus `/` (`/reset` also takes `/reset/x`, not `/resetx`).
 * - Extension: the URL starts with the part before the last `/*.` (no slash required after it:
 *   `/img/*.png` takes `/imgX/a.png` too) and ends with the part from its `.` on.
 * - `^…$` strings are regular expressions only in a build with `ASYNCWEBSERVER_REGEX` defined;
 *   the default build (PlatformIO, Arduino) has it undefined, so they are matched "backward
 *   compatibly" like any other string. With it, `std::regex_search` (ECMAScript) runs on the URL
 *   and its groups become `pathArg(i)`.
 * - `CaseInsensitive` lower-cases the pattern (ASCII) once and the URL for each match.
 * - The URL compared is the decoded path without the query (http-request.ts).
 */

/** How a matcher compares (`AsyncURIMatcher::Type`). */
export type UriMatchType = 'all' | 'none' | 'exact' | 'prefix' | 'extension' | 'backward-compatible' | 'regex';

export interface UriMatcher {
  readonly type: UriMatchType;
  /** The pattern as compared (lower-cased for case-insensitive matchers, `*` removed for prefixes). */
  readonly value: string;
  readonly caseInsensitive: boolean;
  /** Regex matchers only. */
  readonly regex?: RegExp;
}

export interface UriMatcherOptions {
  /** `AsyncURIMatcher::CaseInsensitive`. */
  readonly caseInsensitive?: boolean;
  /** The build defines `ASYNCWEBSERVER_REGEX` (off by default, as in the library's default build). */
  readonly regexEnabled?: boolean;
}

/** ASCII-only lower-casing, as Arduino `String::toLowerCase` (`tolower` per byte). */
function asciiLower(s: string): string {
  return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

function make(type: UriMatchType, value: string, options: UriMatcherOptions): UriMatcher {
  const caseInsensitive = options.caseInsensitive === true;
  if (type === 'regex') return { type, value, caseInsensitive, regex: new RegExp(value, caseInsensitive ? 'i' : '') };
  return { type, value: caseInsensitive ? asciiLower(value) : value, caseInsensitive };
}

/** `AsyncURIMatcher(String uri, modifiers)`: the matcher a plain string becomes. */
export function uriMatcher(uri: string, options: UriMatcherOptions = {}): UriMatcher {
  if (options.regexEnabled && uri.startsWith('^') && uri.endsWith('$')) return make('regex', uri, options);
  if (uri === '') return make('all', '', options);
  if (uri.endsWith('*')) return make('prefix', uri.slice(0, -1), options);
  if (uri.lastIndexOf('/*.') >= 0) return make('extension', uri, options);
  return make('backward-compatible', uri, options);
}

/** The factories (`AsyncURIMatcher::exact()` …). `dir` adds the trailing `/` (`""` → `/`). */
export const UriMatchers = {
  all: (): UriMatcher => make('all', '', {}),
  none: (): UriMatcher => make('none', '', {}),
  exact: (uri: string, options: UriMatcherOptions = {}): UriMatcher => make('exact', uri, options),
  prefix: (uri: string, options: UriMatcherOptions = {}): UriMatcher => make('prefix', uri, options),
  dir: (uri: string, options: UriMatcherOptions = {}): UriMatcher =>
    make('prefix', uri === '' ? '/' : uri.endsWith('/') ? uri : `${uri}/`, options),
  ext: (uri: string, options: UriMatcherOptions = {}): UriMatcher => make('extension', uri, options),
  regex: (pattern: string, options: UriMatcherOptions = {}): UriMatcher => make('regex', pattern, options),
} as const;

/** `AsyncURIMatcher::matches`: whether `url` matches, and the regex groups (`pathArg`). */
export function matchUri(matcher: UriMatcher, url: string): { matches: boolean; pathArgs: string[] } {
  if (matcher.regex) {
    const m = matcher.regex.exec(url);
    return m ? { matches: true, pathArgs: m.slice(1).map((g) => g ?? '') } : { matches: false, pathArgs: [] };
  }
  const path = matcher.caseInsensitive ? asciiLower(url) : url;
  const v = matcher.value;
  switch (matcher.type) {
    case 'all':
      return { matches: true, pathArgs: [] };
    case 'exact':
      return { matches: path === v, pathArgs: [] };
    case 'prefix':
      return { matches: path.startsWith(v), pathArgs: [] };
    case 'extension': {
      const split = v.lastIndexOf('/*.');
      return { matches: split >= 0 && path.startsWith(v.slice(0, split)) && path.endsWith(v.slice(split + 2)), pathArgs: [] };
    }
    case 'backward-compatible':
      return { matches: path === v || path.startsWith(`${v}/`), pathArgs: [] };
    default:
      return { matches: false, pathArgs: [] };
  }
}

/** `server.on(uri, …)` with a plain string in the default build: does `url` match? */
export function uriMatches(uri: string, url: string): boolean {
  return matchUri(uriMatcher(uri), url).matches;
}

/**
 * The methods 3.12.0 recognises (`asyncsrv::stringToMethod`, src/WebRequest.cpp), each with its
 * bit. GET … OPTIONS have the values of every library version (`HTTP_GET = 1` … `HTTP_OPTIONS =
 * 64`, `HTTP_ANY = 127` before the list grew); the numeric bits of the 17 later names could not be
 * read from the stored 3.12.0 sources, so they take bits 7… in `stringToMethod`'s order. Matching
 * only ever uses `handlerMethods & requestBit`, so a sketch that names the constants gets the
 * library's result either way. Any other token is not a method: the request is aborted (RST)
 * before any handler is asked (http-request.ts).
 */
export const methodBits: Readonly<Record<string, number>> = {
  GET: 1 << 0,
  POST: 1 << 1,
  DELETE: 1 << 2,
  PUT: 1 << 3,
  PATCH: 1 << 4,
  HEAD: 1 << 5,
  OPTIONS: 1 << 6,
  TRACE: 1 << 7,
  CONNECT: 1 << 8,
  PURGE: 1 << 9,
  LINK: 1 << 10,
  UNLINK: 1 << 11,
  PROPFIND: 1 << 12,
  LOCK: 1 << 13,
  UNLOCK: 1 << 14,
  PROPPATCH: 1 << 15,
  MKCOL: 1 << 16,
  MOVE: 1 << 17,
  COPY: 1 << 18,
  SEARCH: 1 << 19,
  BIND: 1 << 20,
  REBIND: 1 << 21,
  UNBIND: 1 << 22,
  ACL: 1 << 23,
};

/** `HTTP_ANY`: every recognised method. */
export const httpAny = Object.values(methodBits).reduce((a, v) => a | v, 0);

/** The method's bit (case-sensitive, as the library compares); 0 for a token it does not know. */
export function methodBit(method: string): number {
  return Object.hasOwn(methodBits, method) ? (methodBits[method] as number) : 0;
}

/** What `AsyncCallbackWebHandler::canHandle` looks at. */
export interface CallbackRoute {
  /** `WebRequestMethodComposite` the handler was registered with. */
  readonly methods: number;
  readonly matcher: UriMatcher;
  /** False when registered without an `onRequest` function (`on(uri, m, nullptr, …)`): never handles. */
  readonly hasOnRequest?: boolean;
}

/** `AsyncCallbackWebHandler::canHandle` for a request: only plain HTTP (not an event stream or WebSocket upgrade). */
export function callbackCanHandle(
  route: CallbackRoute,
  request: { readonly method: string; readonly url: string; readonly connectionType: 'http' | 'ws' | 'event' },
): boolean {
  if (route.hasOnRequest === false || request.connectionType !== 'http') return false;
  if ((route.methods & methodBit(request.method)) === 0) return false;
  return matchUri(route.matcher, request.url).matches;
}
