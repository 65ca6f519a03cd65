/**
 * The `AsyncWebServer` model: handlers in registration order, the first whose `canHandle`
 * succeeds takes the request, else the catch-all answers (wire doc §1.1, §6.2, §10).
 * Connections come from {@link BoardTcpServer}; requests are parsed with the profile's quirks,
 * within the board's {@link HttpLimits}.
 */
import type { Socket } from 'node:net';
import type { WarnFn } from '../../errors.js';
import { boardHttpLimits, HttpRequestReader, type HttpLimits } from '../../protocol/http-request.js';
import { rxTimeoutMs, type WireProfile } from '../../protocol/http-profiles.js';
import { continueLine } from '../../protocol/http-response.js';
import { limitWarnings, unrefSchedule, type LimitedWarn } from '../../warn-limit.js';
import { EmuRequest } from './request.js';
import { BoardTcpServer, resetSocket, type TcpDropReason, type TcpTimers } from './tcp-server.js';

/** Warning codes of the HTTP side (rate-limited: one line per code per 10 s, with a count). */
export const httpWarnings = {
  /** A request went over one of the {@link HttpLimits}: reset, or its body not kept. */
  limit: 'emulate.http-limit',
  /** lwIP's timers freed a connection whose peer never closed or never read. */
  dropped: 'emulate.http-dropped',
} as const;

/** The board's limits and timers; tests shorten the timers. Default: the board's. */
export interface HttpServerTuning {
  readonly limits?: Partial<HttpLimits>;
  /** `setRxTimeout(3)` (§6.3): idle time before a connection without a response is closed. */
  readonly rxTimeoutMs?: number;
  readonly tcp?: Partial<TcpTimers>;
}

/** A request handler (`AsyncWebHandler`). */
export interface Handler {
  canHandle(request: EmuRequest): boolean;
  handleRequest(request: EmuRequest): void;
}

export interface WebServerOptions {
  readonly profile: WireProfile;
  readonly host: string;
  readonly port: number;
  /** Active TCP connection limit; 0 = unlimited. */
  readonly maxConnections: number;
  readonly tuning?: HttpServerTuning;
  /** Host-side diagnostics (a peer over a limit); rate-limited here. */
  readonly warn?: WarnFn;
}

/** `server.on(uri, HTTP_GET, fn)`: exact URI or a `uri + "/"` prefix; method mask GET. */
export class CallbackHandler implements Handler {
  constructor(
    private readonly uri: string,
    private readonly profile: WireProfile,
    private readonly fn: (request: EmuRequest) => void,
  ) {}

  canHandle(request: EmuRequest): boolean {
    const head = request.head;
    // HTTP_GET & method: GET matches; 1.2.4 gives unknown methods HTTP_ANY, which matches too.
    const method = head.method === 'GET' || (!head.methodKnown && this.profile.unknownMethod === 'any');
    if (!method) return false;
    if (this.profile.callbackHandlersRequireHttp && head.connectionType !== 'http') return false;
    return head.url === this.uri || head.url.startsWith(`${this.uri}/`);
  }

  handleRequest(request: EmuRequest): void {
    this.fn(request);
  }
}

export class WebServerModel {
  /** `DefaultHeaders::Instance()`: copied into every response created after `addHeader`. */
  readonly defaultHeaders: Array<readonly [string, string]> = [];
  private readonly handlers: Handler[] = [];
  private notFound: ((request: EmuRequest) => void) | undefined;
  private tcp: BoardTcpServer | undefined;
  private readonly limits: HttpLimits;
  private readonly rxTimeoutMs: number;
  private readonly warn: LimitedWarn;
  private headsRead = 0;

  constructor(readonly options: WebServerOptions) {
    this.limits = { ...boardHttpLimits, ...options.tuning?.limits };
    this.rxTimeoutMs = options.tuning?.rxTimeoutMs ?? rxTimeoutMs;
    this.warn = limitWarnings(options.warn ?? (() => {}), { schedule: unrefSchedule });
  }

  get profile(): WireProfile {
    return this.options.profile;
  }

  on(uri: string, fn: (request: EmuRequest) => void): Handler {
    return this.addHandler(new CallbackHandler(uri, this.profile, fn));
  }

  addHandler<H extends Handler>(handler: H): H {
    this.handlers.push(handler);
    return handler;
  }

  /** `server.onNotFound(fn)`: what answers a request no handler takes. */
  onNotFound(fn: (request: EmuRequest) => void): void {
    this.notFound = fn;
  }

  /** `server.begin()`: listens; rejects with the OS error if the port cannot be bound. */
  async begin(): Promise<number> {
    const tcp = new BoardTcpServer({
      host: this.options.host,
      port: this.options.port,
      maxConnections: this.options.maxConnections,
      onConnection: (socket) => this.serve(socket),
      ...(this.options.tuning?.tcp ? { timers: this.options.tuning.tcp } : {}),
      onDrop: (socket, reason) => this.dropped(socket, reason),
    });
    const port = await tcp.listen();
    this.tcp = tcp;
    return port;
  }

  get port(): number {
    return this.tcp?.port ?? 0;
  }

  get activeConnections(): number {
    return this.tcp?.activeCount ?? 0;
  }

  /**
   * A number that moves whenever a connection is accepted or a request head is read: work a
   * board does on its network task, which a host that has fallen behind must not starve (one
   * connection is accepted per turn of Node's event loop).
   */
  get connectionActivity(): number {
    return (this.tcp?.acceptedCount ?? 0) + this.headsRead;
  }

  /** Connections accepted by the host but waiting for one of the board's TCP slots. */
  get heldConnections(): number {
    return this.tcp?.heldCount ?? 0;
  }

  /** Stops listening and resets every connection. */
  async end(): Promise<void> {
    const tcp = this.tcp;
    this.tcp = undefined;
    await tcp?.close();
    this.warn.flush();
  }

  private serve(socket: Socket): void {
    const reader = new HttpRequestReader(this.profile, this.limits);
    let request: EmuRequest | undefined;
    let handler: Handler | undefined;
    // setRxTimeout(3): no data for 3 s before a response started ⇒ graceful close (§6.3).
    socket.setTimeout(this.rxTimeoutMs, () => socket.end());
    const onData = (chunk: Buffer): void => {
      for (const ev of reader.push(chunk)) {
        if (ev.type === 'close') socket.end();
        else if (ev.type === 'reset') {
          if (ev.limit) this.warn(httpWarnings.limit, `${peer(socket)}: ${ev.reason}; connection reset (RST)`, limitHint);
          resetSocket(socket);
        } else if (ev.type === 'head') {
          this.headsRead++;
          request = new EmuRequest(ev.head, socket, this.profile, this.defaultHeaders);
          handler = this.handlers.find((h) => h.canHandle(request as EmuRequest));
          if (ev.head.expectContinue) socket.write(continueLine, 'latin1');
        } else if (request && ev.type === 'complete') {
          // Request complete: later bytes on this connection are ignored (§6.1).
          request.body = ev.body;
          if (ev.bodyDropped) {
            const what = `${request.head.method} ${request.head.url}`;
            this.warn(httpWarnings.limit, `${peer(socket)}: ${what}: body of ${request.head.contentLength} bytes not kept for the handler (over ${this.limits.maxKeptBody})`);
          }
          if (handler) handler.handleRequest(request);
          else this.catchAll(request);
        }
      }
    };
    socket.on('data', onData);
  }

  private dropped(socket: Socket, reason: TcpDropReason): void {
    const why = reason === 'fin-wait-2'
      ? 'never closed after the board did (lwIP FIN_WAIT_2 timeout)'
      : 'read nothing the board sent (lwIP zero-window probe limit)';
    this.warn(httpWarnings.dropped, `${peer(socket)}: ${why}; connection dropped, its slot freed`);
  }

  /** `_catchAllHandler` with no onNotFound: 500 empty (1.2.4) or 404 `Not found` (fork ≥ 3.7.0). */
  private catchAll(request: EmuRequest): void {
    if (this.notFound) return this.notFound(request);
    const { status, body } = this.profile.notFound;
    request.send(status, body ? 'text/plain' : '', body);
  }
}

const limitHint = 'a board keeps the whole request head in its RAM and fails on such a request too: send fewer or shorter headers';

/** `address:port` of the peer, for warnings. */
function peer(socket: Socket): string {
  const a = socket.remoteAddress ?? '?';
  return `${a.includes(':') ? `[${a}]` : a}:${socket.remotePort ?? '?'}`;
}
