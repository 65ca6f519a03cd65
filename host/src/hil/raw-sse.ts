/**
 * An event-stream subscription over a raw socket that keeps the exact head bytes and each
 * event's exact bytes with the host time it arrived, so checks can compare bytes and measure
 * rate and gaps.
 */
import type { Socket } from 'node:net';
import { headEnd, openSocket, parseHead, requestText, type Target } from './raw-http.js';
import { eventFields, RawEventSplitter, type RawEventFields } from './sse-frames.js';
import { waitOn } from './wait-on.js';

/** One event as it arrived. */
export interface ArrivedEvent {
  /** Exact bytes (latin1 text) including the terminating blank line. */
  readonly raw: string;
  readonly fields: RawEventFields;
  /** `performance.now()` when the chunk that completed it arrived. */
  readonly at: number;
}

export class RawSseStream {
  readonly events: ArrivedEvent[] = [];
  /** Exact response head, set once complete. */
  head: string | undefined;
  status = 0;
  /** Set when the connection ended (with the reason). */
  ended: Error | undefined;
  private data = Buffer.alloc(0);
  private readonly splitter = new RawEventSplitter();
  private readonly waiters = new Set<() => void>();

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (e) => this.end(e));
    socket.on('close', () => this.end(new Error('the server closed the event stream')));
  }

  /** Connects and sends `GET path` with `Accept: text/event-stream` plus `extraHeaders`. */
  static async open(t: Target, path: string, opts: { timeoutMs: number; headers?: ReadonlyArray<readonly [string, string]>; accept?: boolean }): Promise<RawSseStream> {
    const socket = await openSocket(t, opts.timeoutMs);
    const s = new RawSseStream(socket);
    const headers: Array<readonly [string, string]> = opts.accept === false ? [] : [['Accept', 'text/event-stream']];
    headers.push(...(opts.headers ?? []));
    socket.write(requestText(t, path, headers), 'latin1');
    return s;
  }

  /** Resolves once the head has arrived (any status). */
  async waitHead(timeoutMs: number): Promise<string> {
    await this.waitUntil(() => this.head !== undefined, timeoutMs, 'the response head');
    return this.head as string;
  }

  /** Resolves with the first event at or after index `from` that matches. */
  async waitEvent(match: (e: ArrivedEvent) => boolean, timeoutMs: number, from = 0, what = 'a matching event'): Promise<ArrivedEvent> {
    let hit: ArrivedEvent | undefined;
    await this.waitUntil(() => (hit = this.events.slice(from).find(match)) !== undefined, timeoutMs, what);
    return hit as ArrivedEvent;
  }

  /** Resolves when `cond()` holds; rejects when the stream ends first or after `timeoutMs`. */
  waitUntil(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
    return waitOn(this.waiters, () => {
      if (cond()) return { value: undefined };
      if (this.ended) throw new Error(`waiting for ${what}: ${this.ended.message}`);
      return undefined;
    }, timeoutMs, () => new Error(`${what} did not arrive within ${timeoutMs} ms`));
  }

  close(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    const at = performance.now();
    if (this.head === undefined) {
      this.data = Buffer.concat([this.data, chunk]);
      const end = headEnd(this.data);
      if (end < 0) return;
      this.head = this.data.subarray(0, end).toString('latin1');
      this.status = parseHead(this.head).status;
      chunk = this.data.subarray(end);
      this.data = Buffer.alloc(0);
    }
    for (const raw of this.splitter.push(chunk.toString('latin1'))) this.events.push({ raw, fields: eventFields(raw), at });
    this.notify();
  }

  private end(e: Error): void {
    this.ended ??= e;
    this.notify();
  }

  private notify(): void {
    for (const w of [...this.waiters]) w();
  }
}
