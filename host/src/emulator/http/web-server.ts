/**
 * The `AsyncWebServer` model: handlers in registration order, the first whose `canHandle`
 * succeeds takes the request, else the catch-all answers (wire doc §1.1, §6.2, §10).
 * Connections come from {@link BoardTcpServer}; requests are parsed with the profile's quirks.
 */
import type { Socket } from 'node:net';
import { HttpRequestReader } from '../../protocol/http-request.js';
import { rxTimeoutMs, type WireProfile } from '../../protocol/http-profiles.js';
import { continueLine } from '../../protocol/http-response.js';
import { EmuRequest } from './request.js';
import { BoardTcpServer, resetSocket } from './tcp-server.js';

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

  constructor(readonly options: WebServerOptions) {}

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

  /** Connections accepted by the host but waiting for one of the board's TCP slots. */
  get heldConnections(): number {
    return this.tcp?.heldCount ?? 0;
  }

  /** Stops listening and resets every connection. */
  async end(): Promise<void> {
    const tcp = this.tcp;
    this.tcp = undefined;
    await tcp?.close();
  }

  private serve(socket: Socket): void {
    const reader = new HttpRequestReader(this.profile);
    let request: EmuRequest | undefined;
    let handler: Handler | undefined;
    // setRxTimeout(3): no data for 3 s before a response started ⇒ graceful close (§6.3).
    socket.setTimeout(rxTimeoutMs, () => socket.end());
    const onData = (chunk: Buffer): void => {
      for (const ev of reader.push(chunk)) {
        if (ev.type === 'close') socket.end();
        else if (ev.type === 'reset') resetSocket(socket);
        else if (ev.type === 'head') {
          request = new EmuRequest(ev.head, socket, this.profile, this.defaultHeaders);
          handler = this.handlers.find((h) => h.canHandle(request as EmuRequest));
          if (ev.head.expectContinue) socket.write(continueLine, 'latin1');
        } else if (request && ev.type === 'complete') {
          // Request complete: later bytes on this connection are ignored (§6.1).
          request.body = ev.body;
          if (handler) handler.handleRequest(request);
          else this.catchAll(request);
        }
      }
    };
    socket.on('data', onData);
  }

  /** `_catchAllHandler` with no onNotFound: 500 empty (1.2.4) or 404 `Not found` (fork ≥ 3.7.0). */
  private catchAll(request: EmuRequest): void {
    if (this.notFound) return this.notFound(request);
    const { status, body } = this.profile.notFound;
    request.send(status, body ? 'text/plain' : '', body);
  }
}
