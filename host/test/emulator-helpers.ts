/**
 * Helpers for the emulator's end-to-end tests: a raw TCP client that records every byte and how
 * the server ended the connection (FIN or RST), a manual clock, a data folder with the edge cases
 * the wire doc names, and an emulator started on a free loopback port.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { afterEach } from 'vitest';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../src/emulator/index.js';
import { waitOn } from '../src/hil/wait-on.js';
import { SseParser, type SseMessage } from '../src/protocol/sse-parser.js';

/** Generous: waits are for events, the timeout only turns a hang into a failure. */
export const waitTimeoutMs = 20_000;

export type CloseKind = 'fin' | 'reset';

/** A TCP client that keeps every received byte and reports how the peer closed. */
export class RawClient {
  data = Buffer.alloc(0);
  private closeKind: CloseKind | undefined;
  private readonly waiters = new Set<() => void>();
  readonly closed: Promise<CloseKind>;

  private constructor(readonly socket: Socket) {
    this.closed = new Promise((resolve) => {
      socket.on('data', (chunk: Buffer) => {
        this.data = Buffer.concat([this.data, chunk]);
        this.notify();
      });
      socket.on('end', () => {
        this.closeKind ??= 'fin';
        socket.end();
      });
      socket.on('error', (e: NodeJS.ErrnoException) => {
        this.closeKind ??= e.code === 'ECONNRESET' || e.code === 'EPIPE' ? 'reset' : 'fin';
      });
      socket.on('close', () => {
        this.closeKind ??= 'fin';
        resolve(this.closeKind);
        this.notify();
      });
    });
  }

  static connect(port: number, host = '127.0.0.1'): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host, noDelay: true });
      const client = new RawClient(socket);
      socket.once('connect', () => resolve(client));
      // A server that resets right after accepting can beat the connect event: that is a
      // connection that was reset, not a failure to connect.
      socket.once('error', (e: NodeJS.ErrnoException) => (e.code === 'ECONNRESET' ? resolve(client) : reject(e)));
    });
  }

  get text(): string {
    return this.data.toString('latin1');
  }

  get isClosed(): boolean {
    return this.socket.destroyed;
  }

  write(data: string | Uint8Array): void {
    this.socket.write(typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
  }

  /** Resolves once `predicate(received text)` holds; rejects if the connection closes first or on timeout. */
  waitFor(predicate: (text: string) => boolean, what: string, timeoutMs = waitTimeoutMs): Promise<string> {
    return waitOn(this.waiters, () => {
      if (predicate(this.text)) return { value: this.text };
      if (this.socket.destroyed) throw new Error(`connection closed before ${what}; received ${JSON.stringify(this.text.slice(-400))}`);
      return undefined;
    }, timeoutMs, () => new Error(`timed out waiting for ${what}; received ${JSON.stringify(this.text.slice(-400))}`));
  }


  /** Waits for `text` to appear in the received bytes. */
  waitForText(text: string): Promise<string> {
    return this.waitFor((t) => t.includes(text), JSON.stringify(text));
  }

  /** Waits until at least `n` bytes arrived. */
  waitBytes(n: number): Promise<string> {
    return this.waitFor((t) => t.length >= n, `${n} bytes`);
  }

  /**
   * Waits for one complete response (head, then Content-Length body bytes) and returns it;
   * for 1.2.4, which never closes the connection itself.
   */
  async response(): Promise<string> {
    const head = await this.waitFor((t) => t.includes('\r\n\r\n'), 'a response head');
    const headEnd = head.indexOf('\r\n\r\n') + 4;
    const m = /\r\nContent-Length: (\d+)\r\n/.exec(head.slice(0, headEnd));
    const total = headEnd + (m ? Number(m[1]) : 0);
    const all = await this.waitBytes(total);
    return all.slice(0, total);
  }

  /** Waits for the server to close; returns FIN or RST. */
  async waitClose(timeoutMs = waitTimeoutMs): Promise<CloseKind> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`server did not close; received ${JSON.stringify(this.text.slice(-200))}`)), timeoutMs);
    });
    try {
      return await Promise.race([this.closed, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  destroy(): void {
    this.socket.destroy();
  }

  private notify(): void {
    for (const w of [...this.waiters]) w();
  }
}

/** Sends one request on a fresh connection and returns everything until the server closes. */
export async function exchange(port: number, request: string | Uint8Array): Promise<{ text: string; close: CloseKind }> {
  const c = await RawClient.connect(port);
  c.write(request);
  const close = await c.waitClose();
  return { text: c.text, close };
}

/** A manual time source for `MillisClock`: time moves only when the test says so. */
export class ManualTime {
  constructor(public now = 0) {}
  readonly source = (): number => this.now;
  advance(ms: number): void {
    this.now += ms;
  }
}

/** Data folders made so far; {@link removeDataDirs} deletes them (call it in afterAll). */
const madeDirs: string[] = [];

/** Deletes every folder {@link makeDataDir} made in this test file. */
export function removeDataDirs(): void {
  for (const d of madeDirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** Files of the test data folder: name → contents. */
export const dataFiles = {
  index: '<!doctype html><title>esp-sse test</title><p>index</p>\n',
  css: 'body{margin:0}\n',
  js: 'console.log(1);\n',
  json: '{"a":1}\n',
  txt: 'plain\n',
  logoSvg: '<svg xmlns="http://www.w3.org/2000/svg"/>\n',
  subIndex: '<p>sub index.htm</p>\n',
};

/**
 * A temporary data folder with plain, gzip-only, plain + gzip (`both.txt`), empty,
 * extension-less and directory-index files.
 */
export function makeDataDir(options: { index?: boolean; emptyIndex?: boolean } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'esp-sse-data-'));
  madeDirs.push(dir);
  if (options.emptyIndex) writeFileSync(join(dir, 'index.html'), '');
  else if (options.index !== false) writeFileSync(join(dir, 'index.html'), dataFiles.index);
  writeFileSync(join(dir, 'style.css'), dataFiles.css);
  writeFileSync(join(dir, 'app.js'), dataFiles.js);
  writeFileSync(join(dir, 'data.json'), dataFiles.json);
  writeFileSync(join(dir, 'notes.txt'), dataFiles.txt);
  writeFileSync(join(dir, 'README'), dataFiles.txt);
  writeFileSync(join(dir, 'empty.txt'), '');
  writeFileSync(join(dir, 'logo.svg.gz'), gzipSync(Buffer.from(dataFiles.logoSvg)));
  writeFileSync(join(dir, 'both.txt'), dataFiles.txt);
  writeFileSync(join(dir, 'both.txt.gz'), gzipSync(Buffer.from(dataFiles.txt)));
  mkdirSync(join(dir, 'sub'));
  writeFileSync(join(dir, 'sub', 'index.htm'), dataFiles.subIndex);
  return dir;
}

/** The event-stream request 3.12.0 answers (it needs the Accept header). */
export const sseGet = 'GET /sse HTTP/1.1\r\nAccept: text/event-stream\r\n\r\n';

/** Waits for a condition the emulator reaches on its own (the event has no callback to hook). */
export async function until(what: string, cond: () => boolean): Promise<void> {
  const deadline = Date.now() + waitTimeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export interface OpenStreamsOptions {
  /** Where the clients are recorded for closing after the test. */
  readonly track?: RawClient[];
  readonly request?: string;
  /** Waited for on each client; default the fork's `hello!` line endings. */
  readonly hello?: string;
}

/** Opens `n` raw clients at once, sends each the request and waits for each one's `hello!`. */
export async function openStreams(port: number, n: number, o: OpenStreamsOptions = {}): Promise<RawClient[]> {
  const opened = await Promise.all(Array.from({ length: n }, () => RawClient.connect(port)));
  o.track?.push(...opened);
  for (const c of opened) c.write(o.request ?? sseGet);
  await Promise.all(opened.map((c) => c.waitForText(o.hello ?? 'data: hello!\n\n')));
  return opened;
}

/** Starts an emulator on a free loopback port; the loop is driven by hand unless a timer is given. */
export function startTestEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  return startEmulator({ host: '127.0.0.1', httpPort: 0, loopTimer: false, ...options });
}

/** The gzip CRC32 trailer of `bytes` as the fork prints it: uppercase hex in file byte order. */
export function gzipTrailerHex(gz: Uint8Array): string {
  return Buffer.from(gz.subarray(gz.length - 8, gz.length - 4)).toString('hex').toUpperCase();
}

/**
 * A manual `LoopTimer` (and `TimeSource`): timers fire only inside `advanceTo`, in due order,
 * with `now` set to each timer's due time. `busy(ms)` lets a callback spend simulated host time.
 */
export class ManualTimer {
  now = 0;
  /** Timers set so far (each is one turn of the event loop for the code under test). */
  scheduled = 0;
  private seq = 0;
  private timers: Array<{ due: number; seq: number; fn: () => void }> = [];

  readonly source = (): number => this.now;

  readonly loopTimer = {
    now: (): number => this.now,
    setTimeout: (fn: () => void, ms: number): unknown => {
      this.scheduled++;
      const t = { due: this.now + Math.max(0, ms), seq: this.seq++, fn };
      this.timers.push(t);
      return t;
    },
    clearTimeout: (handle: unknown): void => {
      this.timers = this.timers.filter((t) => t !== handle);
    },
  };

  get pending(): number {
    return this.timers.length;
  }

  /** Simulated host work inside a callback: time passes without any timer firing. */
  busy(ms: number): void {
    this.now += ms;
  }

  /** Runs every timer due up to `t` (including ones scheduled meanwhile), then sets now = t. */
  advanceTo(t: number): void {
    for (;;) {
      this.timers.sort((a, b) => a.due - b.due || a.seq - b.seq);
      const next = this.timers[0];
      if (!next || next.due > t) break;
      this.timers.shift();
      this.now = Math.max(this.now, next.due);
      next.fn();
    }
    this.now = Math.max(this.now, t);
  }
}

/** A raw SSE consumer that parses as it reads (cheap for megabytes of events). */
export class StreamReader {
  readonly events: SseMessage[] = [];
  private readonly parser = new SseParser();
  private head = '';
  private inBody = false;
  private readonly waiters = new Set<() => void>();

  constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      let body = chunk;
      if (!this.inBody) {
        this.head += chunk.toString('latin1');
        const end = this.head.indexOf('\r\n\r\n');
        if (end < 0) return;
        this.inBody = true;
        body = Buffer.from(this.head.slice(end + 4), 'latin1');
      }
      this.events.push(...this.parser.push(body));
      for (const w of [...this.waiters]) w();
    });
    socket.on('error', () => undefined);
  }

  static open(port: number, request: string): Promise<StreamReader> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host: '127.0.0.1' }, () => {
        socket.write(request);
        resolve(new StreamReader(socket));
      });
      socket.once('error', reject);
    });
  }

  /** The response head, blank line included, once it has arrived. */
  get responseHead(): string {
    return this.inBody ? this.head.slice(0, this.head.indexOf('\r\n\r\n') + 4) : '';
  }

  /** The first event (received so far or later) that `match` accepts. */
  waitForEvent(match: (m: SseMessage) => boolean, what = 'matching event'): Promise<SseMessage> {
    return waitOn(this.waiters, () => {
      const m = this.events.find(match);
      return m ? { value: m } : undefined;
    }, waitTimeoutMs, () => new Error(`no ${what}; last: ${JSON.stringify(this.events.at(-1))}`));
  }

  waitForId(id: number): Promise<void> {
    return waitOn(this.waiters, () => (this.events.some((e) => e.id === String(id)) ? { value: undefined } : undefined),
      waitTimeoutMs, () => new Error(`no event with id ${id}; last: ${this.events.at(-1)?.id}`));
  }

}

/**
 * The emulators and raw clients a test file opens, closed after each test (clients first, so
 * nothing waits on a live peer). Push onto the arrays; they keep their identity.
 */
export function closeAfterEach(): { running: RunningEmulator[]; clients: RawClient[] } {
  const opened = { running: [] as RunningEmulator[], clients: [] as RawClient[] };
  afterEach(async () => {
    for (const c of opened.clients.splice(0)) c.destroy();
    for (const e of opened.running.splice(0)) await e.close();
  });
  return opened;
}
