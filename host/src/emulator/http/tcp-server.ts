/**
 * The board's TCP listener on a raw `net` server (not node:http: the emulator writes every
 * byte itself). Models lwIP's limit of 16 active TCP PCBs (wire doc §9).
 *
 * The 17th connection (UNVERIFIED on esp-lwip, doc §13): lwIP's `tcp_listen_input` cannot
 * allocate a PCB for the SYN and drops it, so the client retries and gets through once a
 * connection closes. The emulator cannot drop a SYN (the host kernel accepts it), so it
 * models that outcome: a connection over the limit is held, unread and unanswered, and
 * served as soon as a slot frees. At most `listenBacklog` (5) are held; beyond that new
 * connections are reset (RST) so a load test fails loudly instead of piling up sockets.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { listenBacklog } from '../../protocol/http-profiles.js';

/**
 * Aborts a connection with RST, as lwIP's `tcp_abort` does. A socket that is already shutting
 * down (its FIN sent, e.g. after the peer closed first) is destroyed instead: libuv refuses to
 * reset a handle in that state (`uv_tcp_close_reset` → EINVAL), and Node then leaves the handle
 * open, with its fd spinning the event loop.
 */
export function resetSocket(socket: Socket): void {
  if (socket.destroyed) return;
  if (socket.writableEnded) socket.destroy();
  else socket.resetAndDestroy();
}

export interface TcpServerOptions {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** Active connection limit; 0 = unlimited. */
  readonly maxConnections: number;
  /** Called for each connection that gets a slot. */
  readonly onConnection: (socket: Socket) => void;
}

export class BoardTcpServer {
  private readonly server: Server;
  private readonly active = new Set<Socket>();
  private readonly held: Socket[] = [];
  private boundPort = 0;

  constructor(private readonly options: TcpServerOptions) {
    this.server = createServer({ noDelay: true }, (socket) => this.accept(socket));
  }

  /** Starts listening; resolves with the bound port, rejects with the OS error (EADDRINUSE…). */
  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      const onError = (e: Error): void => reject(e);
      this.server.once('error', onError);
      this.server.listen({ host: this.options.host, port: this.options.port, exclusive: true }, () => {
        this.server.off('error', onError);
        const address = this.server.address();
        this.boundPort = typeof address === 'object' && address ? address.port : this.options.port;
        resolve(this.boundPort);
      });
    });
  }

  get port(): number {
    return this.boundPort;
  }

  /** Connections currently holding a slot. */
  get activeCount(): number {
    return this.active.size;
  }

  /** Connections waiting for a slot. */
  get heldCount(): number {
    return this.held.length;
  }

  /** Stops listening and drops every connection with RST, as a board that reboots does. */
  close(): Promise<void> {
    for (const s of [...this.active, ...this.held]) resetSocket(s);
    this.active.clear();
    this.held.length = 0;
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    socket.on('error', () => undefined); // peers vanish; that is not the emulator's problem
    const limit = this.options.maxConnections;
    if (limit > 0 && this.active.size >= limit) {
      if (this.held.length >= listenBacklog) {
        resetSocket(socket);
        return;
      }
      socket.pause();
      this.held.push(socket);
      socket.once('close', () => {
        const i = this.held.indexOf(socket);
        if (i >= 0) this.held.splice(i, 1);
      });
      return;
    }
    this.admit(socket);
  }

  private admit(socket: Socket): void {
    this.active.add(socket);
    socket.setNoDelay(true);
    socket.once('close', () => {
      this.active.delete(socket);
      this.promote();
    });
    this.options.onConnection(socket);
    socket.resume();
  }

  private promote(): void {
    const limit = this.options.maxConnections;
    while (this.held.length > 0 && (limit === 0 || this.active.size < limit)) {
      const next = this.held.shift() as Socket;
      if (!next.destroyed) this.admit(next);
    }
  }
}
