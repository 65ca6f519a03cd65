/**
 * SSE writer processes (`esp-sse emulate --sse-writers N`): spreads the fan-out of events over
 * more cores. On loopback most of the cost of an event is the kernel's TCP write (the
 * receiver's side runs inside the sender's syscall), about 9 µs per client: 2,000 clients at
 * 50 Hz fill one core. With writers, the emulator still accepts, parses, answers the head and
 * `hello!`, runs the loop and decides everything; once a client's first bytes are in the
 * kernel its socket is handed to the least-loaded writer, and each later message crosses to
 * each writer once instead of to each socket. Writers apply the same 32-message queue rule.
 *
 * The emulator keeps the parent's husk of a handed socket as the client's stand-in: it holds
 * the board's TCP slot and the client's place in `_clients` until the writer reports the
 * close, so the connection limit, `count()` and the Serial lines stay exactly as without writers.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Socket } from 'node:net';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bytesToWire, type FromWriter, type ToWriter } from './sse-writer-protocol.js';

/**
 * Which program writes: the Node writer (sse-writer-process.ts), or the C++ one built from
 * host/native/sse-writer.cpp (its executable; it speaks the same messages over Node's IPC channel).
 */
export type SseWriterProgram = { readonly kind: 'node' } | { readonly kind: 'native'; readonly executable: string };

/** A client whose socket a writer owns. */
export interface RemoteClient {
  /** `client->send()`: one message to this client (queue rule applied by the writer). */
  write(bytes: Uint8Array): void;
}

/** What the pool reports back about one adopted client. */
export interface AdoptHooks {
  /** The socket went to a writer: from now on every write goes through `remote`. */
  handed(remote: RemoteClient): void;
  /** The writer dropped a message for this client (queue full). */
  dropped(): void;
}

interface Entry {
  readonly socket: Socket;
  readonly hooks: AdoptHooks;
}

interface Writer {
  readonly child: ChildProcess;
  readonly clients: Map<number, Entry>;
  alive: boolean;
}

/** Polling interval while a socket still has bytes in user space (rare on loopback). */
const handRetryMs = 5;

/** The writer's entry point: the compiled `.js` beside this module, or the `.ts` source run through tsx. */
function writerEntry(): { path: string; execArgv: string[] } {
  const js = fileURLToPath(new URL('./sse-writer-process.js', import.meta.url));
  if (existsSync(js)) return { path: js, execArgv: [] };
  const ts = fileURLToPath(new URL('./sse-writer-process.ts', import.meta.url));
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return { path: ts, execArgv: ['--import', tsx] };
}

/**
 * Sends `socket`'s handle to `writer`. Node's handle passing treats a socket that came from a
 * `net.Server` as moving to a cluster-style worker: it takes it off the server's connection
 * count and makes `server.close()` poll the child, which never answers once the child has
 * exited, so the close never completes. Detached from `socket.server` first, the socket keeps
 * its place in the count as the parent's husk until {@link releaseHusk}.
 */
function sendHandle(writer: Writer, message: ToWriter, socket: Socket, done: (e: Error | null) => void): void {
  (socket as unknown as { server: unknown }).server = null;
  writer.child.send(message, socket, done);
}

/** The parent's husk of a handed socket: closed as a bare object, so its 'close' listeners run. */
function releaseHusk(socket: Socket): void {
  socket.destroy();
}

export class SseWriterPool {
  private nextId = 1;
  private stopping = false;

  private constructor(
    private readonly writers: Writer[],
    private readonly warn: (message: string) => void,
  ) {
    for (const w of writers) {
      w.child.on('message', (m: FromWriter) => this.onMessage(w, m));
      w.child.on('exit', (code, signal) => this.onExit(w, code, signal));
    }
  }

  /** Starts `count` writers of `program` (default: the Node writer) and resolves once all of them listen. */
  static async start(count: number, warn: (message: string) => void, program: SseWriterProgram = { kind: 'node' }): Promise<SseWriterPool> {
    const stdio = ['ignore', 'inherit', 'inherit', 'ipc'] as const;
    let startOne: () => ChildProcess;
    if (program.kind === 'native') {
      const { executable } = program;
      startOne = () => spawn(executable, [], { stdio: [...stdio] });
    } else {
      const entry = writerEntry(); // once for all the writers
      startOne = () => fork(entry.path, [], { execArgv: entry.execArgv, stdio: [...stdio] });
    }
    const writers: Writer[] = Array.from({ length: count }, () => ({ child: startOne(), clients: new Map<number, Entry>(), alive: true }));
    await Promise.all(writers.map((w) => new Promise<void>((resolve, reject) => {
      const onExit = (code: number | null): void => reject(new Error(`SSE writer process exited (code ${code}) before it was ready`));
      const onError = (e: Error): void => reject(new Error(`SSE writer process did not start: ${e.message}`));
      w.child.once('exit', onExit);
      w.child.once('error', onError);
      w.child.once('message', () => {
        w.child.off('exit', onExit);
        w.child.off('error', onError);
        resolve();
      });
    }))).catch((e: unknown) => {
      for (const w of writers) w.child.kill();
      throw e;
    });
    return new SseWriterPool(writers, warn);
  }

  /** Process ids of the writers still running. */
  get pids(): number[] {
    return this.writers.filter((w) => w.alive).map((w) => w.child.pid as number);
  }

  /**
   * Hands `socket` to the least-loaded writer as soon as all its bytes are in the kernel (so
   * nothing written so far can be overtaken). Until `hooks.handed` runs, the caller keeps
   * writing to the socket itself; if it closes first or no writer is left, it simply stays.
   */
  adopt(socket: Socket, hooks: AdoptHooks): void {
    const attempt = (): void => {
      if (this.stopping || socket.destroyed || !socket.writable) return;
      if (socket.writableLength > 0) {
        setTimeout(attempt, handRetryMs);
        return;
      }
      const writer = this.leastLoaded();
      if (!writer) return;
      const id = this.nextId++;
      const entry: Entry = { socket, hooks };
      writer.clients.set(id, entry);
      const message: ToWriter = { t: 'adopt', id };
      sendHandle(writer, message, socket, (e) => {
        if (e && writer.clients.delete(id)) releaseHusk(socket);
      });
      hooks.handed({ write: (bytes) => this.post(writer, { t: 'one', id, b: bytesToWire(bytes) }) });
    };
    setImmediate(attempt);
  }

  /** One message to every handed client: one IPC message per writer that owns any. */
  broadcast(bytes: Uint8Array): void {
    let wire: string | undefined;
    for (const w of this.writers) {
      if (!w.alive || w.clients.size === 0) continue;
      this.post(w, { t: 'all', b: (wire ??= bytesToWire(bytes)) });
    }
  }

  /** FIN to every handed client. */
  end(): void {
    for (const w of this.writers) this.post(w, { t: 'end' });
  }

  /** Resets every handed client (RST) and waits for the writers to exit. */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.writers.map((w) => {
      if (!w.alive) return undefined;
      const exited = new Promise<void>((resolve) => w.child.once('exit', () => resolve()));
      this.post(w, { t: 'reset' });
      return exited;
    }));
  }

  private leastLoaded(): Writer | undefined {
    let best: Writer | undefined;
    for (const w of this.writers) if (w.alive && (!best || w.clients.size < best.clients.size)) best = w;
    return best;
  }

  private post(writer: Writer, message: ToWriter): void {
    if (writer.alive && writer.child.connected) writer.child.send(message);
  }

  private onMessage(writer: Writer, message: FromWriter): void {
    if (message.t === 'ready') return;
    const entry = writer.clients.get(message.id);
    if (!entry) return;
    if (message.t === 'dropped') entry.hooks.dropped();
    else {
      writer.clients.delete(message.id);
      releaseHusk(entry.socket);
    }
  }

  /** A writer that exits takes its sockets with it (the kernel closes them): their clients are gone. */
  private onExit(writer: Writer, code: number | null, signal: NodeJS.Signals | null): void {
    writer.alive = false;
    if (!this.stopping) this.warn(`an SSE writer process exited (${signal ?? `code ${code}`}); its ${writer.clients.size} client(s) were disconnected`);
    for (const entry of writer.clients.values()) releaseHusk(entry.socket);
    writer.clients.clear();
  }
}
