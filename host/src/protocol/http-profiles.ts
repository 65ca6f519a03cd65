/**
 * Wire profiles: how each ESPAsyncWebServer version puts bytes on the wire, as data.
 * Source: docs/http-wire.md (section numbers below), which was read from
 * ESP32Async/ESPAsyncWebServer @ d009eff (v3.12.0) and me-no-dev/ESPAsyncWebServer @ 67de9cd (1.2.4).
 */

export const profileIds = ['esp32async-3.12.0', 'me-no-dev-1.2.4'] as const;
export type ProfileId = (typeof profileIds)[number];
export const defaultProfileId: ProfileId = 'esp32async-3.12.0';

/** One library version's observable behaviour. */
export interface WireProfile {
  readonly id: ProfileId;
  /** Short tag used in the wire doc: `F` (fork) or `O` (original). */
  readonly tag: 'F' | 'O';
  /**
   * Header layout (§1.2, §8): `original` = status, Content-Length, Content-Type, header list
   * (DefaultHeaders first), Accept-Ranges; `fork` = status, header list (DefaultHeaders first),
   * Accept-Ranges, Content-Length, Content-Type.
   */
  readonly headerLayout: 'original' | 'fork';
  /** SSE line ending (§2): CRLF in 1.2.4, LF from fork v3.4.0. */
  readonly sseLineEnding: '\r\n' | '\n';
  /** Multi-line data splitting (§2): 1.2.4's rules, or the fork's (with its whole-message bug). */
  readonly sseSplit: 'original' | 'fork';
  /** Fork v3.3.18+: the SSE handler requires `Accept: …text/event-stream…` (§1.1). */
  readonly sseRequiresAccept: boolean;
  /**
   * How a request is classified as an event-stream request (§1.1, §10): the fork tests that the
   * lower-cased Accept value contains `text/event-stream`.
   */
  readonly callbackHandlersRequireHttp: boolean;
  /** Header value extraction (§3, §6.3): `colon-plus-2` drops exactly one char after the colon; `skip-ws` skips spaces/tabs. */
  readonly headerValue: 'colon-plus-2' | 'skip-ws';
  /** Last-Event-ID number parsing (§3): C `atoi` (32-bit int) or `strtoul` (32-bit unsigned long). */
  readonly lastEventId: 'atoi' | 'strtoul';
  /** Unknown method (§6.3): 1.2.4 treats it as HTTP_ANY; the fork aborts with RST. */
  readonly unknownMethod: 'any' | 'reset';
  /** Fork: empty URL, TLS first byte, NUL bytes → RST (§6.3). */
  readonly strictRequestLine: boolean;
  /** Catch-all response (§6.2). */
  readonly notFound: { readonly status: number; readonly body: string };
  /** MIME table (§5.2). */
  readonly mime: 'original' | 'fork';
  /**
   * serveStatic lookup order when both `x` and `x.gz` exist (§5.2): 1.2.4 adapts to its last 8
   * hits; the fork tries the plain file first (no `setTryGzipFirst`).
   */
  readonly staticGzipOrder: 'adaptive' | 'plain-first';
  /** Static files: fork adds `ETag: "%08x"` and `Cache-Control: no-cache` (§5.2). */
  readonly staticEtag: boolean;
  /** `Content-Disposition` value: fork `inline`; original `inline; filename="<basename>"` (§5.1). */
  readonly dispositionFilename: boolean;
  /** Missing file for `send(FS, …)` (§5.1): original 404 empty; fork 501 text. */
  readonly sendFileMissing: { readonly status: number; readonly body: string };
  /** Line printed (to UART) when a client's 32-entry queue overflows (§4); `null` = not printed at default log level. */
  readonly queueOverflowLine: string | null;
  /** 1.2.4 (and fork ≤ 3.11.2): the SSE client exists only after the first ACK of the headers (§1.3). */
  readonly helloAfterAck: boolean;
  /** Fork: the server closes (FIN) after a finished response; 1.2.4 waits for the client (§6.1). */
  readonly closeAfterResponse: boolean;
}

/** Per-client SSE queue limit, `SSE_MAX_QUEUED_MESSAGES` on ESP32 (§4), both versions. */
export const sseMaxQueuedMessages = 32;
/** `setRxTimeout(3)`: a connection without a started response is closed after 3 s idle (§6.3). */
export const rxTimeoutMs = 3000;
/** lwIP's `CONFIG_LWIP_MAX_ACTIVE_TCP` on arduino-esp32 2.x and 3.x (§9). */
export const boardMaxActiveTcp = 16;
/** AsyncTCP's listen backlog (§9). */
export const listenBacklog = 5;

export const profiles: Readonly<Record<ProfileId, WireProfile>> = {
  'esp32async-3.12.0': {
    id: 'esp32async-3.12.0',
    tag: 'F',
    headerLayout: 'fork',
    sseLineEnding: '\n',
    sseSplit: 'fork',
    sseRequiresAccept: true,
    callbackHandlersRequireHttp: true,
    headerValue: 'skip-ws',
    lastEventId: 'strtoul',
    unknownMethod: 'reset',
    strictRequestLine: true,
    notFound: { status: 404, body: 'Not found' },
    mime: 'fork',
    staticGzipOrder: 'plain-first',
    staticEtag: true,
    dispositionFilename: false,
    sendFileMissing: { status: 501, body: 'Handler did not handle the request' },
    queueOverflowLine: null,
    helloAfterAck: false,
    closeAfterResponse: true,
  },
  'me-no-dev-1.2.4': {
    id: 'me-no-dev-1.2.4',
    tag: 'O',
    headerLayout: 'original',
    sseLineEnding: '\r\n',
    sseSplit: 'original',
    sseRequiresAccept: false,
    callbackHandlersRequireHttp: false,
    headerValue: 'colon-plus-2',
    lastEventId: 'atoi',
    unknownMethod: 'any',
    strictRequestLine: false,
    notFound: { status: 500, body: '' },
    mime: 'original',
    staticGzipOrder: 'adaptive',
    staticEtag: false,
    dispositionFilename: true,
    sendFileMissing: { status: 404, body: '' },
    queueOverflowLine: 'ERROR: Too many messages queued\n',
    helloAfterAck: true,
    closeAfterResponse: false,
  },
};

export function isProfileId(s: string): s is ProfileId {
  return (profileIds as readonly string[]).includes(s);
}
