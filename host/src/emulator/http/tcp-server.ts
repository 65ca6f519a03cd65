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
 *
 * A slot comes back when its connection closes, or when lwIP gives up on it ({@link TcpTimers}):
 * a peer that never answers the board's FIN, or one that takes none of its bytes.
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

/**
 * lwIP's timers that free a connection on their own (`tcp_slowtmr`, lwIP 2.1 as in esp-lwip,
 * with arduino-esp32's `CONFIG_LWIP_TCP_MAXRTX=12`). lwIP frees the PCB without sending
 * anything; so does the emulator (it closes its socket without RST).
 */
export interface TcpTimers {
  /** `TCP_SLOW_INTERVAL`: how often lwIP's slow timer checks the rules below. */
  readonly slowTickMs: number;
  /**
   * `TCP_FIN_WAIT_TIMEOUT`: a connection the board has closed (its FIN out, every byte taken)
   * whose peer never closes is freed this long after the last bytes received before the close
   * (the PCB's timer stops once the board has closed it, `TF_RXCLOSED`).
   */
  readonly finWait2Ms: number;
  /**
   * A peer that takes none of the board's bytes (a zero window; here: the host kernel takes none
   * of the socket's bytes) is dropped after `TCP_MAXRTX` window probes backed off 1.5, 3, 6, 12,
   * 24, 48 and then 60 s (`tcp_persist_backoff`): 909 slow ticks, dropped on the 910th.
   */
  readonly zeroWindowMs: number;
}

/** The board's timers (see {@link TcpTimers}). */
export const lwipTcpTimers: TcpTimers = {
  slowTickMs: 500,
  finWait2Ms: 20_000,
  zeroWindowMs: 455_000,
};

/** Why lwIP dropped a connection. */
export type TcpDropReason = 'fin-wait-2' | 'zero-window';

export interface TcpServerOptions {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** Active connection limit; 0 = unlimited. */
  readonly maxConnections: number;
  /** Called for each connection that gets a slot. */
  readonly onConnection: (socket: Socket) => void;
  /** Default {@link lwipTcpTimers}; tests shorten them. */
  readonly timers?: Partial<TcpTimers>;
  /** A connection lwIP's timers dropped (its socket is being closed). */
  readonly onDrop?: (socket: Socket, reason: TcpDropReason) => void;
}

/** What lwIP's slow timer tracks for one connection. */
interface Slot {
  /** When bytes last arrived from the peer. */
  heardAt: number;
  /** `heardAt` when the board's FIN went out: the FIN_WAIT_2 timer counts from there. */
  finTmr?: number;
  /** Bytes the host kernel had taken at the last tick. */
  taken: number;
  /** Since when the kernel has taken none of the bytes waiting. */
  stalledSince?: number;
}

export class BoardTcpServer {
  private readonly server: Server;
  private readonly active = new Map<Socket, Slot>();
  private readonly held: Socket[] = [];
  private readonly timers: TcpTimers;
  private ticker: NodeJS.Timeout | undefined;
  private boundPort = 0;
  private accepted = 0;

  constructor(private readonly options: TcpServerOptions) {
    this.server = createServer({ noDelay: true }, (socket) => this.accept(socket));
    this.timers = { ...lwipTcpTimers, ...options.timers };
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

  /** Connections the host has handed over since listening (admitted, held or reset). */
  get acceptedCount(): number {
    return this.accepted;
  }

  /** Stops listening and drops every connection with RST, as a board that reboots does. */
  close(): Promise<void> {
    this.stopTicker();
    for (const s of [...this.active.keys(), ...this.held]) resetSocket(s);
    this.active.clear();
    this.held.length = 0;
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    this.accepted++;
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
    const slot: Slot = { heardAt: Date.now(), taken: 0 };
    this.active.set(socket, slot);
    socket.setNoDelay(true);
    socket.on('data', () => {
      slot.heardAt = Date.now();
    });
    // 'finish': the board's FIN went out after its last byte.
    socket.once('finish', () => {
      slot.finTmr = slot.heardAt;
    });
    socket.once('close', () => {
      this.active.delete(socket);
      if (this.active.size === 0) this.stopTicker();
      this.promote();
    });
    this.startTicker();
    this.options.onConnection(socket);
    socket.resume();
  }

  private startTicker(): void {
    if (this.ticker) return;
    this.ticker = setInterval(() => this.tick(), this.timers.slowTickMs);
    this.ticker.unref();
  }

  private stopTicker(): void {
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = undefined;
  }

  /** One run of lwIP's slow timer over the connections holding a slot. */
  private tick(): void {
    const now = Date.now();
    for (const [socket, slot] of this.active) {
      if (socket.destroyed) continue;
      const taken = socket.bytesWritten - socket.writableLength;
      if (socket.writableLength > 0 && taken === slot.taken) slot.stalledSince ??= now;
      else slot.stalledSince = undefined;
      slot.taken = taken;
      if (slot.stalledSince !== undefined && now - slot.stalledSince >= this.timers.zeroWindowMs) this.drop(socket, 'zero-window');
      else if (slot.finTmr !== undefined && now - slot.finTmr > this.timers.finWait2Ms) this.drop(socket, 'fin-wait-2');
    }
  }

  /** lwIP frees the PCB and sends nothing: the socket is closed without RST. */
  private drop(socket: Socket, reason: TcpDropReason): void {
    this.options.onDrop?.(socket, reason);
    socket.destroy();
  }

  private promote(): void {
    const limit = this.options.maxConnections;
    while (this.held.length > 0 && (limit === 0 || this.active.size < limit)) {
      const next = this.held.shift() as Socket;
      if (!next.destroyed) this.admit(next);
    }
  }
}
