/**
 * The `AsyncEventSource` model (wire doc §1–§4): the handshake, `onConnect`, `send()` to every
 * client with each client's 32-message queue and its drop rule ({@link SocketQueue}).
 *
 * With an {@link SseWriterPool} (`--sse-writers N`), a client's socket goes to a writer process
 * once its head and `hello!` are in the kernel; the client stays in this list and every send
 * reaches it through the writer, with the same queue rule. Without one, everything happens here.
 */
import type { Socket } from 'node:net';
import type { WireProfile } from '../../protocol/http-profiles.js';
import { parseLastEventId } from '../../protocol/http-text.js';
import { encodeSseEvent } from '../../protocol/sse-encode.js';
import type { EmuRequest } from './request.js';
import { SocketQueue } from './socket-queue.js';
import type { RemoteClient, SseWriterPool } from './sse-writer-pool.js';
import type { Handler } from './web-server.js';

/**
 * How long the head of an event stream waits for a compiled sketch's onConnect to finish
 * before it is sent alone (a board sends it before onConnect runs; the wait only lets the head
 * and `hello!` share a write, as they often share a segment on the board).
 */
const heldHeadMaxMs = 5;

/** One connected event-stream client (`AsyncEventSourceClient`). */
export class SseClient {
  private readonly queue: SocketQueue;
  /** Set once a writer process owns the socket. */
  private remote: RemoteClient | undefined;
  /** Messages dropped because the queue was full. */
  dropped = 0;
  /** Set while the head waits for a remote onConnect ({@link holdHead}). */
  private headTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly socket: Socket,
    /** `lastId()`: the request's Last-Event-ID, parsed the profile's way; 0 when absent. */
    readonly lastId: number,
    private readonly source: EventSourceModel,
  ) {
    this.queue = new SocketQueue(socket);
  }

  get connected(): boolean {
    return !this.socket.destroyed && this.socket.writable;
  }

  /** True once a writer process owns the socket (`--sse-writers`). */
  get inWriter(): boolean {
    return this.remote !== undefined;
  }

  /** `client->send(message, event, id, reconnect)`. */
  send(message: string | null, event: string | null = null, id = 0, reconnect = 0): boolean {
    return this.write(this.source.encode(message, event, id, reconnect));
  }

  /** Messages counted against the 32-entry queue (0 once a writer process holds the queue). */
  get queued(): number {
    return this.remote ? 0 : this.queue.length;
  }

  /**
   * Queues one encoded message; false (dropped) when 32 are already queued. A client in a
   * writer process always accepts here; a drop there is counted when the writer reports it.
   */
  write(bytes: Uint8Array): boolean {
    if (!this.connected) return false;
    if (this.remote) {
      this.remote.write(bytes);
      return true;
    }
    if (this.queue.offer(bytes)) return true;
    this.droppedOne();
    return false;
  }

  /**
   * @internal Keeps the corked head (and what onConnect sends) in user space until
   * {@link releaseHead}, or `maxMs` at most: an onConnect that takes long does not hold the head.
   */
  holdHead(maxMs: number): void {
    this.headTimer = setTimeout(() => this.releaseHead(), maxMs);
  }

  /** @internal Sends the held head and what came after it, in one write. */
  releaseHead(): void {
    if (this.headTimer === undefined) return;
    clearTimeout(this.headTimer);
    this.headTimer = undefined;
    this.socket.uncork();
  }

  /** @internal The socket now belongs to a writer process. */
  handedTo(remote: RemoteClient): void {
    this.remote = remote;
  }

  /** @internal One message was dropped (here or in the writer). */
  droppedOne(): void {
    this.dropped++;
    this.source.overflow(this);
  }
}

export interface EventSourceHooks {
  /** Where `ets_printf` goes (UART0). */
  readonly print: (text: string) => void;
}

export class EventSourceModel implements Handler {
  private readonly clients = new Set<SseClient>();
  private connectCallback: ((client: SseClient) => void | 'later') | undefined;

  constructor(
    readonly url: string,
    private readonly profile: WireProfile,
    private readonly hooks: EventSourceHooks,
    /** Writer processes that take the clients' sockets once they are established; none = all here. */
    private readonly writers?: SseWriterPool,
  ) {}

  /**
   * `onConnect(cb)`. A callback that returns `'later'` (a compiled sketch's, which runs on its
   * async_tcp thread) has not finished yet: the client joins the list when {@link admit} is
   * called for it, in the same turn as the callback's end is known, so no broadcast the sketch
   * sends after it returned can miss the client.
   */
  onConnect(callback: (client: SseClient) => void | 'later'): void {
    this.connectCallback = callback;
  }

  /** The clients in `_clients` (connected or not yet removed), in arrival order. */
  clientList(): readonly SseClient[] {
    return [...this.clients];
  }

  /** Process ids of the running SSE writer processes (none without `sseWriters`). */
  writerPids(): number[] {
    return this.writers?.pids ?? [];
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
    // Fork 3.12.0 writes the head and at once runs onConnect, whose first event often shares
    // the head's TCP segment (docs/http-wire.md §1.3). The head is held (the socket corked) until
    // onConnect is done: this turn for the model's, the app's `done` for a compiled sketch's (at
    // most heldHeadMaxMs), so head and `hello!` leave in one write and wake the client once.
    if (!afterAck) request.socket.cork();
    const socket = request.takeOver(headers, 'text/event-stream', onWritten);
    const client = new SseClient(socket, lastId, this);
    socket.once('close', () => this.clients.delete(client));
    if (!afterAck) {
      // onConnect runs before the client joins the list, so no broadcast reaches the client
      // before what onConnect sent.
      if (this.connectCallback?.(client) === 'later') {
        client.holdHead(heldHeadMaxMs);
      } else {
        socket.uncork();
        this.add(client, false);
      }
    }
  }

  /**
   * `events.send(message, event, id, reconnect)`: encodes once, queues to every client. Clients
   * in writer processes count as sent; their drops arrive later from the writer.
   */
  send(message: string | null, event: string | null = null, id = 0, reconnect = 0): { sent: number; dropped: number } {
    const bytes = this.encode(message, event, id, reconnect);
    let sent = 0;
    let dropped = 0;
    let remote = false;
    for (const c of this.clients) {
      if (!c.connected) continue;
      if (c.inWriter) {
        remote = true;
        sent++;
      } else if (c.write(bytes)) sent++;
      else dropped++;
    }
    if (remote) this.writers?.broadcast(bytes);
    return { sent, dropped };
  }

  /** Closes every client (FIN). */
  close(): void {
    for (const c of this.clients) if (!c.inWriter) c.socket.end();
    this.writers?.end();
  }

  /** Power off: the writer processes reset their clients (RST) and exit; the rest is the server's. */
  async stop(): Promise<void> {
    await this.writers?.stop();
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

  /**
   * A client whose `onConnect` returned `'later'` is done with it: its head and what onConnect
   * sent leave now, and it joins the list.
   */
  admit(client: SseClient): void {
    client.releaseHead();
    this.add(client, false);
  }


  private add(client: SseClient, callFirst: boolean): void {
    if (client.socket.destroyed) return;
    this.clients.add(client);
    // 1.2.4 calls onConnect after adding the client; one that finishes later (a compiled
    // sketch's) is taken out again until it has, so nothing overtakes what it sends.
    if (callFirst && this.connectCallback?.(client) === 'later') {
      this.clients.delete(client);
      return;
    }
    this.writers?.adopt(client.socket, { handed: (remote) => client.handedTo(remote), dropped: () => client.droppedOne() });
  }
}
