/**
 * One request on one connection, as `AsyncWebServerRequest` sees it: the parsed head and the
 * ways to answer. Responses copy the server's DefaultHeaders when they are created (wire doc §8).
 */
import type { Socket } from 'node:net';
import { findHeader, type HttpRequestHead } from '../../protocol/http-request.js';
import type { WireProfile } from '../../protocol/http-profiles.js';
import { assembleResponseHead, type ConnectionClose, type HeaderList } from '../../protocol/http-response.js';

/** A response with a body (`AsyncBasicResponse`, `AsyncFileResponse`). */
export interface BodyResponse {
  readonly status: number;
  /** The response's own headers, in the order its constructor adds them (after DefaultHeaders). */
  readonly headers?: HeaderList;
  readonly contentType?: string;
  readonly body: Uint8Array;
  /** Where `Connection: close` goes: `constructor` for `AsyncBasicResponse`, `respond` (default) for files. */
  readonly connectionClose?: ConnectionClose;
}

const encoder = new TextEncoder();

export class EmuRequest {
  private answered = false;
  /** The request body (up to `maxKeptBody` bytes), set once the request is complete. */
  body: Uint8Array = new Uint8Array(0);

  constructor(
    readonly head: HttpRequestHead,
    readonly socket: Socket,
    readonly profile: WireProfile,
    private readonly defaultHeaders: HeaderList,
  ) {}

  get url(): string {
    return this.head.url;
  }

  header(name: string): string | undefined {
    return findHeader(this.head, name);
  }

  get isAnswered(): boolean {
    return this.answered;
  }

  /** DefaultHeaders as this request's responses copy them. */
  get defaultHeaderList(): HeaderList {
    return this.defaultHeaders;
  }

  /**
   * Writes a head assembled elsewhere and a body as they are (a chunked template response),
   * then ends as every finished response does.
   */
  sendRaw(head: string, body: Uint8Array): void {
    if (this.answered) return;
    this.answered = true;
    this.finish(Buffer.concat([Buffer.from(head, 'latin1'), body]));
  }

  /** `request->send(code, contentType, content)`. Empty content ⇒ no Content-Type (§6.1). */
  send(status: number, contentType = '', content = ''): void {
    this.sendBasic(status, contentType, encoder.encode(content));
  }

  /**
   * An `AsyncBasicResponse` with the headers added to it after construction: content without a
   * type is text/plain. `respond` places `Connection` after those headers, as the abstract
   * responses built from text do (AsyncResponseStream).
   */
  sendBasic(status: number, contentType: string, body: Uint8Array, headers: HeaderList = [], connectionClose: ConnectionClose = 'constructor'): void {
    this.sendResponse({ status, headers, contentType: body.length > 0 ? contentType || 'text/plain' : contentType, body, connectionClose });
  }

  /** Writes head + body, Content-Length and `Connection: close` included (`AsyncAbstractResponse::_respond`). */
  sendResponse(response: BodyResponse): void {
    if (this.answered) return;
    this.answered = true;
    const head = assembleResponseHead(this.profile, this.head.version, {
      status: response.status,
      defaultHeaders: this.defaultHeaders,
      headers: response.headers ?? [],
      connectionClose: response.connectionClose ?? 'respond',
      contentLength: response.body.length,
      contentType: response.contentType,
    });
    this.finish(Buffer.concat([Buffer.from(head, 'latin1'), response.body]));
  }

  private finish(bytes: Buffer): void {
    const socket = this.socket;
    socket.setTimeout(0);
    if (socket.destroyed) return;
    socket.write(bytes, () => {
      // Fork: once the response is finished and ACKed the server closes (FIN); 1.2.4 waits
      // for the client to close (§6.1).
      if (this.profile.closeAfterResponse && !socket.destroyed) socket.end();
    });
  }

  /**
   * Writes a head without Content-Length and hands the connection over (SSE). Returns the
   * socket, which the caller now owns.
   */
  takeOver(headers: HeaderList, contentType: string, onWritten?: () => void): Socket {
    this.answered = true;
    const head = assembleResponseHead(this.profile, this.head.version, {
      status: 200,
      headers: [...this.defaultHeaders, ...headers],
      contentType,
    });
    this.socket.setTimeout(0);
    if (!this.socket.destroyed) this.socket.write(head, 'latin1', () => onWritten?.());
    return this.socket;
  }
}
