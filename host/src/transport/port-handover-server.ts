import { chmodSync, lstatSync, unlinkSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { isUserError, type WarnFn } from '../errors.js';
import { handoverSocketFor } from './port-handover-dir.js';
import {
  encodeHandover, handoverLimits, HandoverLines, isHandoverProblem, type HandoverMessage, type LendHandler, type LoanRequest, type LoanReturn, type LoanSource,
} from './port-handover.js';

export interface PortLenderOptions {
  /** How the monitor names itself in `released` (`esp-sse monitor`). */
  holder: string;
  /** Problems that leave the monitor without handover, and bad bytes on the socket. */
  warn: WarnFn;
  env?: NodeJS.ProcessEnv;
}

/**
 * The monitor's end of the port handover (see `port-handover.ts`): a Unix socket server at the
 * port's handover path that turns `release` requests into calls of the registered
 * {@link LendHandler}, one loan at a time. A socket left by a monitor that was killed
 * (connection refused) is replaced; a live one means another monitor answers for the port.
 * The socket file goes away on {@link close}, and on process exit as a last resort.
 */
export class PortLender implements LoanSource {
  private handler?: LendHandler;
  private lentTo?: LoanRequest;
  private readonly sockets = new Set<Socket>();
  private readonly onExit = () => this.unlinkIfOurs();
  private closed = false;

  private constructor(
    private readonly server: Server,
    readonly path: string,
    private readonly ino: number,
    private readonly o: PortLenderOptions,
  ) {
    server.on('connection', (s) => this.serve(s));
    process.on('exit', this.onExit);
  }

  /** Listens for `portName`'s handover requests; undefined (after a warning) when it cannot. */
  static async listen(portName: string, o: PortLenderOptions): Promise<PortLender | undefined> {
    let path: string | undefined;
    try {
      path = handoverSocketFor(portName, { create: true, ...(o.env ? { env: o.env } : {}) });
    } catch (e) {
      if (!isUserError(e)) throw e;
      o.warn(e.code, `${e.message}; this monitor will not hand ${portName} over to esp-sse flasher commands`, e.hint);
      return undefined;
    }
    if (path === undefined) return undefined;
    const server = createServer();
    server.on('error', () => {});
    for (let attempt = 0; ; attempt++) {
      const error = await listenOn(server, path);
      if (!error) break;
      if (error.code === 'EADDRINUSE' && attempt < 2) {
        if (await answers(path)) {
          o.warn('handover.in-use', `another esp-sse monitor answers handover requests for ${portName} (${path}); esp-sse flasher commands will ask that one, not this one`, 'quit the other monitor');
          return undefined;
        }
        // Left by a monitor that was killed: nobody listens on it any more.
        try {
          unlinkSync(path);
        } catch {
          // Gone already (another monitor replaced it): try again.
        }
        continue;
      }
      o.warn('handover.listen-failed', `cannot listen on ${path} (${error.message}); this monitor will not hand ${portName} over to esp-sse flasher commands`);
      return undefined;
    }
    chmodSync(path, 0o600);
    return new PortLender(server, path, lstatSync(path).ino, o);
  }

  onRequest(handler: LendHandler): () => void {
    this.handler = handler;
    return () => {
      if (this.handler === handler) this.handler = undefined;
    };
  }

  /** Stops listening and removes the socket; a borrower still connected sees its lender go. */
  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    process.off('exit', this.onExit);
    for (const s of this.sockets) s.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private serve(socket: Socket): void {
    this.sockets.add(socket);
    const lines = new HandoverLines();
    let asked = false;
    let gone = false;
    const ret: LoanReturn = { finished: false, reset: false };
    let settle: (r: LoanReturn) => void = () => {};
    const back = new Promise<LoanReturn>((resolve) => (settle = resolve));
    // A connection that never asks is dropped (it would keep the monitor's process alive).
    const idle = setTimeout(() => socket.destroy(), 2 * handoverLimits.answerMs);
    const send = (m: HandoverMessage) => {
      if (!socket.destroyed) socket.write(encodeHandover(m));
    };
    const refuse = (reason: string) => {
      send({ type: 'refused', reason });
      socket.end();
    };
    socket.on('error', () => {});
    socket.on('close', () => {
      gone = true;
      clearTimeout(idle);
      this.sockets.delete(socket);
      settle({ ...ret });
    });
    socket.on('data', (chunk: Buffer) => {
      for (const m of lines.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length))) {
        if (isHandoverProblem(m)) {
          this.o.warn('handover.bad-message', `bad bytes on the handover socket ${this.path} ignored: ${m.problem}`);
          if (!asked) refuse(`bad request: ${m.problem}`);
        } else if (m.type === 'release' && !asked) {
          asked = true;
          clearTimeout(idle);
          // After this turn's I/O: a flasher that already gave up (its close follows its
          // request in the same read) is not lent the port.
          setImmediate(() => void this.lend({ client: m.client, pid: m.pid }, back, () => gone, send, refuse));
        } else if (m.type === 'done' && asked) {
          ret.finished = true;
          ret.reset = m.reset;
        } else {
          this.o.warn('handover.bad-message', `unexpected ${m.type} message on the handover socket ${this.path} ignored`);
        }
      }
    });
  }

  private async lend(request: LoanRequest, back: Promise<LoanReturn>, gone: () => boolean, send: (m: HandoverMessage) => void, refuse: (reason: string) => void): Promise<void> {
    if (gone()) return;
    if (this.lentTo) return refuse(`the port is lent to ${this.lentTo.client} (pid ${this.lentTo.pid})`);
    if (!this.handler || this.closed) return refuse('the monitor is not ready or is ending');
    this.lentTo = request;
    let refusal: string | undefined;
    try {
      refusal = await this.handler(request, back);
    } catch (e) {
      refusal = `the monitor could not let go of the port: ${(e as Error).message}`;
    }
    if (refusal !== undefined) {
      this.lentTo = undefined;
      return refuse(refusal);
    }
    void back.then(() => {
      if (this.lentTo === request) this.lentTo = undefined;
    });
    send({ type: 'released', pid: process.pid, holder: this.o.holder });
  }

  /** Exit path (process.exit, an uncaught error): the socket file would be left behind. */
  private unlinkIfOurs(): void {
    try {
      if (lstatSync(this.path).ino === this.ino) unlinkSync(this.path);
    } catch {
      // Already gone.
    }
  }
}

function listenOn(server: Server, path: string): Promise<NodeJS.ErrnoException | undefined> {
  return new Promise((resolve) => {
    const onError = (e: NodeJS.ErrnoException) => resolve(e);
    server.once('error', onError);
    server.listen(path, () => {
      server.off('error', onError);
      resolve(undefined);
    });
  });
}

/** True when something accepts connections at `path` (a live monitor), false for a stale file. */
function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(path);
    const timer = setTimeout(() => done(true), handoverLimits.answerMs);
    const done = (alive: boolean) => {
      clearTimeout(timer);
      s.destroy();
      resolve(alive);
    };
    s.once('connect', () => done(true));
    s.once('error', (e: NodeJS.ErrnoException) => done(e.code !== 'ECONNREFUSED' && e.code !== 'ENOENT'));
  });
}
