/**
 * Soak helper: the normal clients of the board's `/sse`, as a page would be. Streams count the
 * sketch's `time_reading` events and reconnect when dropped; probes open a new stream now and
 * then and close it at `hello!`. Every connect is logged: when it started, when `hello!` came
 * (or that it failed).
 */
import { connect, type Socket } from 'node:net';
import { SseParser } from '../src/protocol/sse-parser.js';

const sseRequest = 'GET /sse HTTP/1.1\r\nAccept: text/event-stream\r\n\r\n';

/** One connect of a normal client: `okAt` once `hello!` arrived, `failedAt` (and why) if it never did. */
export interface Attempt {
  readonly startedAt: number;
  okAt?: number;
  failedAt?: number;
  /** `reset` (RST), `closed` (FIN), `HTTP nnn`, `timeout`, or `stopped` (still waiting when the bench ended). */
  failure?: string;
}

/** One `/sse` connection: counts `time_reading` events; `onHello`/`onClose` report its life. */
class SseStream {
  events = 0;
  /** Why it ended: `reset`, `closed`, `HTTP nnn` or what {@link close} was given. */
  ending = 'closed';
  private readonly socket: Socket;
  private readonly parser = new SseParser();
  private head = '';
  private inBody = false;

  constructor(port: number, onHello: () => void, onClose: (ending: string) => void) {
    this.socket = connect({ port, host: '127.0.0.1' }, () => this.socket.write(sseRequest));
    this.socket.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ECONNRESET' || e.code === 'EPIPE') this.ending = 'reset';
    });
    this.socket.on('close', () => onClose(this.ending));
    this.socket.on('data', (chunk: Buffer) => {
      let body = chunk;
      if (!this.inBody) {
        this.head += chunk.toString('latin1');
        const end = this.head.indexOf('\r\n\r\n');
        if (end < 0) return;
        if (!this.head.startsWith('HTTP/1.1 200')) return this.close(this.head.slice(0, 12).replace('HTTP/1.1', 'HTTP'));
        this.inBody = true;
        body = Buffer.from(this.head.slice(end + 4), 'latin1');
      }
      for (const m of this.parser.push(body)) {
        if (m.data === 'hello!') onHello();
        else if (m.event === 'time_reading') this.events++;
      }
    });
  }

  close(ending = this.ending): void {
    this.ending = ending;
    this.socket.destroy();
  }
}

export class NormalClients {
  readonly attempts: Attempt[] = [];
  /** Events per stream client so far, reconnects included. */
  private readonly counted: number[];
  private readonly live: Array<SseStream | undefined>;
  private readonly probes = new Set<SseStream>();
  private stopped = false;
  private probeTimer: NodeJS.Timeout | undefined;

  constructor(private readonly port: number, streams: number, private readonly probeTimeoutMs: number) {
    this.counted = new Array<number>(streams).fill(0);
    this.live = Array.from({ length: streams }, () => undefined);
  }

  /** Opens the streams; resolves once each has had its `hello!`. */
  async start(): Promise<void> {
    await Promise.all(this.live.map((_, i) => new Promise<void>((resolve) => this.open(i, resolve))));
  }

  /** Events each stream client has received so far. */
  events(): number[] {
    return this.counted.map((n, i) => n + (this.live[i]?.events ?? 0));
  }

  /** Opens one probe every `everyMs`: a new stream, closed at its `hello!`. */
  probeEvery(everyMs: number): void {
    this.probeTimer = setInterval(() => this.probe(), everyMs);
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.probeTimer);
    for (const s of [...this.live, ...this.probes]) s?.close('stopped');
  }

  private open(i: number, onHello?: () => void): void {
    const attempt: Attempt = { startedAt: performance.now() };
    this.attempts.push(attempt);
    const stream = new SseStream(this.port, () => {
      attempt.okAt ??= performance.now();
      onHello?.();
    }, (ending) => {
      if (attempt.okAt === undefined) Object.assign(attempt, { failedAt: performance.now(), failure: ending });
      this.counted[i]! += stream.events;
      this.live[i] = undefined;
      if (!this.stopped) setTimeout(() => this.open(i, onHello), 200);
    });
    this.live[i] = stream;
  }

  private probe(): void {
    const attempt: Attempt = { startedAt: performance.now() };
    this.attempts.push(attempt);
    const timer = setTimeout(() => stream.close('timeout'), this.probeTimeoutMs);
    const stream = new SseStream(this.port, () => {
      attempt.okAt ??= performance.now();
      stream.close();
    }, (ending) => {
      clearTimeout(timer);
      if (attempt.okAt === undefined) Object.assign(attempt, { failedAt: performance.now(), failure: ending });
      this.probes.delete(stream);
    });
    this.probes.add(stream);
  }
}
