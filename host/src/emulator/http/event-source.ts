/**
 * The `AsyncEventSource` model (wire doc §1–§4): the handshake, `onConnect`, `send()` to every
 * client with each client's 32-message queue and its drop rule.
 *
 * "Queued" on the board means not yet ACKed by the peer. The host cannot see ACKs, so a
 * message counts as queued until the host kernel has taken all of its bytes (the socket's
 * user-space buffer, `writableLength`). A client that reads keeps its queue near empty; a
 * client that stops reading fills the kernel buffers, then 32 messages later every further
 * event is dropped for that client only (the connection stays open), as on the board.
 */
import type { Socket } from 'node:net';
import { sseMaxQueuedMessages, type WireProfile } from '../../protocol/http-profiles.js';
import { parseLastEventId } from '../../protocol/http-text.js';
import { encodeSseEvent } from '../../protocol/sse-encode.js';
import type { EmuRequest } from './request.js';
import type { Handler } from './web-server.js';

/** One connected event-stream client (`AsyncEventSourceClient`). */
export class SseClient {
  /** Cumulative end offsets of messages not yet taken by the kernel. */
  private pending: number[] = [];
  private pendingHead = 0;
  private written = 0;
  /** Messages dropped because the queue was full. */
  dropped = 0;

  constructor(
    readonly socket: Socket,
    /** `lastId()`: the request's Last-Event-ID, parsed the profile's way; 0 when absent. */
    readonly lastId: number,
    private readonly source: EventSourceModel,
  ) {}

  get connected(): boolean {
    return !this.socket.destroyed && this.socket.writable;
  }

  /** `client->send(message, event, id, reconnect)`. */
  send(message: string | null, event: string | null = null, id = 0, reconnect = 0): boolean {
    return this.write(this.source.encode(message, event, id, reconnect));
  }

  /** Messages counted against the 32-entry queue. */
  get queued(): number {
    this.settle();
    return this.pending.length - this.pendingHead;
  }

  /** Queues one encoded message; false (dropped) when 32 are already queued. */
  write(bytes: Uint8Array): boolean {
    if (!this.connected) return false;
    if (this.queued >= sseMaxQueuedMessages) {
      this.dropped++;
      this.source.overflow(this);
      return false;
    }
    this.socket.write(bytes);
    this.written += bytes.length;
    this.pending.push(this.written);
    return true;
  }

  private settle(): void {
    const flushed = this.written - this.socket.writableLength;
    while (this.pendingHead < this.pending.length && (this.pending[this.pendingHead] as number) <= flushed) this.pendingHead++;
    if (this.pendingHead === this.pending.length) {
      this.pending = [];
      this.pendingHead = 0;
    }
  }
}

export interface EventSourceHooks {
  /** Where `ets_printf` goes (UART0). */
  readonly print: (text: string) => void;
}

export class EventSourceModel implements Handler {
  private readonly clients = new Set<SseClient>();
  private connectCallback: ((client: SseClient) => void) | undefined;

  constructor(
    readonly url: string,
    private readonly profile: WireProfile,
    private readonly hooks: EventSourceHooks,
  ) {}

  onConnect(callback: (client: SseClient) => void): void {
    this.connectCallback = callback;
  }

  /** The clients in `_clients` (connected or not yet removed), in arrival order. */
  clientList(): readonly SseClient[] {
    return [...this.clients];
  }

  /** Number of connected clients (`count()`). */
  count(): number {
    let n = 0;
    for (const c of this.clients) if (c.connected) n++;
    return n;
  }

  canHandle(request: EmuRequest): boolean {
    const head = request.head;
    if (head.method !== 'GET' || head.url !== this.url) return false;
    return !this.profile.sseRequiresAccept || head.isEventStream;
  }

  handleRequest(request: EmuRequest): void {
    const value = request.header('Last-Event-ID');
    const lastId = value === undefined ? 0 : parseLastEventId(this.profile, value);
    const afterAck = this.profile.helloAfterAck;
    // 1.2.4: the client exists only after the first ACK of the headers; events sent before
    // that do not reach it. Modelled as "after the headers were flushed, one turn later".
    const onWritten = afterAck ? () => setImmediate(() => this.add(client, true)) : undefined;
    const headers = [['Cache-Control', 'no-cache'], ['Connection', 'keep-alive']] as const;
    const socket = request.takeOver(headers, 'text/event-stream', onWritten);
    const client = new SseClient(socket, lastId, this);
    socket.once('close', () => this.clients.delete(client));
    if (!afterAck) {
      // Fork 3.12.0: onConnect runs before the client joins the list, right after the headers.
      this.connectCallback?.(client);
      this.add(client, false);
    }
  }

  /** `events.send(message, event, id, reconnect)`: encodes once, queues to every client. */
  send(message: string | null, event: string | null = null, id = 0, reconnect = 0): { sent: number; dropped: number } {
    const bytes = this.encode(message, event, id, reconnect);
    let sent = 0;
    let dropped = 0;
    for (const c of this.clients) {
      if (!c.connected) continue;
      if (c.write(bytes)) sent++;
      else dropped++;
    }
    return { sent, dropped };
  }

  /** Closes every client (FIN). */
  close(): void {
    for (const c of this.clients) c.socket.end();
  }

  /** @internal */
  encode(message: string | null, event: string | null, id: number, reconnect: number): Buffer {
    const bytes = encodeSseEvent(this.profile.sseSplit, { message, event, id, retry: reconnect });
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  }

  /** @internal A client's queue was full. */
  overflow(_client: SseClient): void {
    if (this.profile.queueOverflowLine) this.hooks.print(this.profile.queueOverflowLine);
  }

  private add(client: SseClient, callFirst: boolean): void {
    if (client.socket.destroyed) return;
    this.clients.add(client);
    if (callFirst) this.connectCallback?.(client);
  }
}
