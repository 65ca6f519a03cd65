/**
 * Requests for a compiled sketch's handlers: which `server.on()` handler takes a request
 * (`AsyncCallbackWebHandler::canHandle`: the method bit, the URI matcher, HTTP only), and the
 * `request` frame that carries it to the app (sketch-link.ts lists the fields).
 */
import { findHeader } from '../../protocol/http-request.js';
import type { WireProfile } from '../../protocol/http-profiles.js';
import { parseParams } from '../../protocol/http-params.js';
import { frame, T, type Frame } from '../../protocol/sketch-link.js';
import { methodBit, uriMatches } from '../../protocol/uri-matcher.js';
import type { EmuRequest } from '../http/request.js';
import type { Handler } from '../http/web-server.js';

/** `server.on(uri, methods, fn)` of a compiled sketch: the handler runs in the app. */
export class NativeCallbackHandler implements Handler {
  constructor(
    readonly id: number,
    private readonly methods: number,
    private readonly uri: string,
    private readonly profile: WireProfile,
    private readonly run: (request: EmuRequest) => void,
    /** `on(uri, method, nullptr, …)`: a handler without onRequest never takes a request. */
    private readonly hasRequestHandler = true,
  ) {}

  canHandle(request: EmuRequest): boolean {
    if (!this.hasRequestHandler) return false;
    const head = request.head;
    // isHTTP(): neither an event stream nor a WebSocket upgrade (the original library had no such test).
    if (this.profile.callbackHandlersRequireHttp && head.connectionType !== 'http') return false;
    if ((this.methods & methodBit(head.method)) === 0) return false;
    return uriMatches(this.uri, head.url);
  }

  handleRequest(request: EmuRequest): void {
    this.run(request);
  }
}

const latin1Bytes = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));

/** The `request` frame for dispatch `id` to handler `handlerId`. */
export function requestFrame(id: number, handlerId: number, req: EmuRequest): Frame {
  const head = req.head;
  const socket = req.socket;
  const headers = head.headers.flatMap(([n, v]) => [n, v]);
  const params = parseParams(head.query, req.body, findHeader(head, 'Content-Type') ?? '')
    // An empty name would read as the list's separator; the library keeps none worth a handler.
    .filter((p) => p.name !== '')
    .flatMap((p) => [p.name, p.value, p.file ? 'f' : p.post ? 'p' : '']);
  return frame(T.request, id, {
    a: handlerId,
    b: methodBit(head.method),
    c: head.version,
    d: socket.remotePort ?? 0,
    s1: latin1Bytes(head.method),
    s2: latin1Bytes(head.url),
    s3: latin1Bytes(head.query),
    s4: req.body,
    l1: [...headers, '', ...params, '', socket.remoteAddress ?? ''].map((s) => latin1Bytes(s)),
  });
}
