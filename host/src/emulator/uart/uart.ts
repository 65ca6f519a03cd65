import type { WarnFn } from '../../errors.js';
import { FaultInjector, type FaultOptions } from '../../transport/faults.js';
import { systemClock, type Clock } from './clock.js';
import { Wire } from './wire.js';

/**
 * How far a host may run ahead of the emulated wire (bytes sent but not yet across it) before
 * its connection is paused. A real host cannot be further ahead than its USB–UART driver's write
 * buffer (Linux usb-serial: one page, 4 KiB) plus the bridge chip's few hundred bytes: beyond
 * that its `write()` blocks. The board's own receive buffers (the UART's 128-byte FIFO, the
 * driver's 256-byte ring) sit behind the wire and are modelled by the app runtime and
 * `RxFifo` (rx-fifo.ts). 4 KiB is also at least two of the wire's 10 ms slices up to 2 Mbaud, so a
 * client that keeps up is never starved by the pause.
 */
export const RX_BACKLOG_MAX = 4096;

/** Something on the host side of the UART: an RFC 2217 or TCP client, a pty, a memory pair. */
export interface UartClient {
  /** Bytes from the board. */
  deliver(bytes: Uint8Array): void;
  /** The link was cut (a disconnect fault); the client should close its connection. */
  disconnect(reason: string): void;
  /** After `receive()` returned false: the wire has room again, read from the host again. */
  resume?(): void;
}

/** What an attached client can do to the UART. */
export interface UartPort {
  /**
   * Bytes the host sent. Returns false when the wire is behind by more than
   * {@link RX_BACKLOG_MAX}: the client should stop reading from its host (pause its socket)
   * until `resume()`; what it passes meanwhile is held, not lost (unless the client detaches or
   * a newer client takes the RX line over: then its bytes are dropped, and it is resumed so that
   * the rest of what its host sent is read and dropped too).
   */
  receive(bytes: Uint8Array): boolean;
  /** Host-side control lines (clients without lines never call this). */
  setLines(lines: { dtr: boolean; rts: boolean }): void;
  /** The host's baud rate, when the client knows it (RFC 2217, memory pair). */
  setHostBaudRate(baud: number): void;
  detach(): void;
}

export interface UartOptions {
  baudRate?: number;
  /** Bytes take the time they take on a wire at the set baud rate (default on). */
  wireTiming?: boolean;
  clock?: Clock;
  /** Faults on the board → host direction. */
  txFaults?: FaultOptions;
  /** Faults on the host → board direction. */
  rxFaults?: FaultOptions;
  /** Bytes dropped on the receive side (another client drives the RX line). */
  warn?: WarnFn;
}

interface ClientState {
  /** Attach order: the newest client that has sent data drives the RX line. */
  seq: number;
  baud?: number;
  sent: boolean;
  /** Bytes received while the wire was full, in order (at most what the client read before pausing). */
  held: Uint8Array[];
  heldBytes: number;
  /** `receive()` returned false and `resume()` is owed. */
  paused: boolean;
}

/** Relative baud mismatch beyond which a real UART receives garbage. */
const BAUD_TOLERANCE = 0.05;

/**
 * The board's UART0 as seen from both ends. The board transmits and receives bytes and follows
 * the host's control lines; clients attach and detach. At the set baud rate each direction is a
 * paced {@link Wire}; when the host's rate (where known) differs from the board's by more than
 * 5 %, bytes arrive garbled, as they would on a real line.
 *
 * Every client hears the board's TX line; one drives its RX line: the newest client that has
 * sent data (plugging a host in takes the line over). A host that runs ahead of the wire is
 * paused ({@link RX_BACKLOG_MAX}); bytes of a client that detaches or loses the line are taken
 * off the wire at once, as bytes on an unplugged cable are, and an older client's data is dropped
 * while a newer one drives the line.
 */
export class Uart {
  private board: number;
  private pendingBaud: number | undefined;
  private readonly clients = new Map<UartClient, ClientState>();
  private driver: UartClient | undefined;
  private seq = 0;
  private readonly rxListeners = new Set<(b: Uint8Array) => void>();
  private readonly lineListeners = new Set<(l: { dtr: boolean; rts: boolean }) => void>();
  private readonly txListeners = new Set<() => void>();
  private readonly tx: Wire;
  private readonly rx: Wire;
  private readonly txFaults: FaultInjector;
  private readonly rxFaults: FaultInjector;
  private readonly warn: WarnFn;

  constructor(options: UartOptions = {}) {
    this.board = options.baudRate ?? 115200;
    const clock = options.clock ?? systemClock;
    const timing = options.wireTiming ?? true;
    this.warn = options.warn ?? (() => {});
    this.txFaults = new FaultInjector(options.txFaults);
    this.rxFaults = new FaultInjector(options.rxFaults);
    this.tx = new Wire(clock, (b, baud) => this.toHost(b, baud), this.board, timing, () => this.txProgress());
    this.rx = new Wire(clock, (b) => this.toBoard(b), this.board, timing, () => this.feed());
  }

  get baudRate(): number {
    return this.board;
  }

  /**
   * The board switches its rate (CHANGE_BAUDRATE, a reboot into the app at its rate). Like the
   * stub, which waits for its transmitter to go idle after the reply, the new rate applies once
   * the bytes already on the wire have left at the old one.
   */
  setBaudRate(baud: number): void {
    if (this.tx.pending > 0) {
      this.pendingBaud = baud;
      return;
    }
    this.applyBaudRate(baud);
  }

  private applyBaudRate(baud: number): void {
    this.pendingBaud = undefined;
    this.board = baud;
    this.tx.baud = baud;
    this.rx.baud = baud;
  }

  /** Board → host. */
  transmit(bytes: Uint8Array): void {
    this.tx.send(bytes);
  }

  /** Bytes the board has transmitted that have not crossed the wire yet. */
  get txBacklog(): number {
    return this.tx.pending;
  }

  /** Host → board bytes on the wire, not yet received by the board. */
  get rxBacklog(): number {
    return this.rx.pending;
  }

  /** Called whenever transmitted bytes have left the wire (or were flushed). */
  onTransmitted(listener: () => void): () => void {
    this.txListeners.add(listener);
    return () => this.txListeners.delete(listener);
  }

  /** Host → board bytes, after the wire. */
  onReceive(listener: (bytes: Uint8Array) => void): () => void {
    this.rxListeners.add(listener);
    return () => this.rxListeners.delete(listener);
  }

  /** Host control-line changes (DTR/RTS), in order. */
  onLines(listener: (lines: { dtr: boolean; rts: boolean }) => void): () => void {
    this.lineListeners.add(listener);
    return () => this.lineListeners.delete(listener);
  }

  /**
   * Drops bytes still on the wire in both directions (the chip was reset). What hosts hold back
   * because they were paused is still theirs to send, and follows.
   */
  flush(): void {
    this.tx.clear();
    this.rx.clear();
    if (this.pendingBaud !== undefined) this.applyBaudRate(this.pendingBaud);
    this.txProgress();
    this.feed();
  }

  attach(client: UartClient): UartPort {
    const state: ClientState = { seq: ++this.seq, sent: false, held: [], heldBytes: 0, paused: false };
    this.clients.set(client, state);
    return {
      receive: (bytes) => this.receiveFrom(client, state, bytes),
      setLines: (lines) => {
        for (const l of [...this.lineListeners]) l({ ...lines });
      },
      setHostBaudRate: (baud) => {
        state.baud = baud;
      },
      detach: () => this.remove(client),
    };
  }

  /** The client driving the RX line, if any (exposed for tests). */
  get rxDriver(): UartClient | undefined {
    return this.driver;
  }

  private receiveFrom(client: UartClient, state: ClientState, bytes: Uint8Array): boolean {
    if (!this.clients.has(client) || bytes.length === 0) return true;
    if (!state.sent) {
      state.sent = true;
      this.elect();
    }
    if (this.driver !== client) {
      this.warn('serial.rx-not-driver', `${bytes.length} byte(s) from a serial client dropped: a newer client drives the board's RX line`);
      return true;
    }
    const garbled = this.garble(bytes, state.baud, this.board);
    if (!this.rx.timing) {
      this.rx.send(garbled, client);
      return true;
    }
    if (state.heldBytes === 0) {
      const room = Math.max(0, RX_BACKLOG_MAX - this.rx.pending);
      if (room > 0) this.rx.send(garbled.subarray(0, room), client);
      if (garbled.length > room) this.hold(state, garbled.subarray(room));
    } else {
      this.hold(state, garbled);
    }
    if (state.heldBytes === 0) return true;
    state.paused = true;
    return false;
  }

  private hold(state: ClientState, bytes: Uint8Array): void {
    state.held.push(bytes);
    state.heldBytes += bytes.length;
  }

  /** Moves held bytes of the driving client onto the wire as it empties; resumes a paused client. */
  private feed(): void {
    const client = this.driver;
    const state = client && this.clients.get(client);
    if (!client || !state) return;
    while (state.heldBytes > 0) {
      const room = RX_BACKLOG_MAX - this.rx.pending;
      if (room <= 0) return;
      const first = state.held[0]!;
      const part = first.subarray(0, room);
      if (part.length === first.length) state.held.shift();
      else state.held[0] = first.subarray(room);
      state.heldBytes -= part.length;
      this.rx.send(part, client);
    }
    if (state.paused) {
      state.paused = false;
      client.resume?.();
    }
  }

  /** The newest client that has sent data drives the RX line; the one it replaces is unplugged from it. */
  private elect(): void {
    let next: UartClient | undefined;
    let best = -1;
    for (const [c, s] of this.clients) {
      if (s.sent && s.seq > best) {
        best = s.seq;
        next = c;
      }
    }
    if (next === this.driver) return;
    const previous = this.driver;
    this.driver = next;
    if (previous && this.clients.has(previous)) this.unplug(previous);
    this.feed();
  }

  /** Takes a client's bytes off the RX line; a paused client resumes, its data now dropped. */
  private unplug(client: UartClient): void {
    const onWire = this.rx.drop(client);
    const state = this.clients.get(client);
    if (!state) return;
    const dropped = onWire + state.heldBytes;
    if (dropped > 0) this.warn('serial.rx-unplugged', `${dropped} byte(s) from a serial client dropped: a newer client took over the board's RX line`);
    state.held = [];
    state.heldBytes = 0;
    if (state.paused) {
      state.paused = false;
      client.resume?.();
    }
  }

  private remove(client: UartClient): void {
    if (!this.clients.has(client)) return;
    this.rx.drop(client);
    this.clients.delete(client);
    if (this.driver === client) {
      this.driver = undefined;
      this.elect();
    }
  }

  get clientCount(): number {
    return this.clients.size;
  }

  private toHost(bytes: Uint8Array, sentAt: number): void {
    // Nobody on the line: nothing to corrupt or cut (the bytes are simply gone).
    const r = this.clients.size > 0 ? this.txFaults.apply(bytes) : { bytes: new Uint8Array(0), disconnect: false };
    for (const [c, s] of [...this.clients]) if (r.bytes.length > 0) c.deliver(this.garble(r.bytes, s.baud, sentAt));
    if (this.pendingBaud !== undefined && this.tx.pending === 0) this.applyBaudRate(this.pendingBaud);
    if (r.disconnect) this.cutAll('disconnect fault on the board → host direction');
  }


  private toBoard(bytes: Uint8Array): void {
    const r = this.rxFaults.apply(bytes);
    if (r.bytes.length > 0) for (const l of [...this.rxListeners]) l(r.bytes);
    if (r.disconnect) this.cutAll('disconnect fault on the host → board direction');
  }

  private cutAll(reason: string): void {
    for (const c of [...this.clients.keys()]) {
      this.remove(c);
      c.disconnect(reason);
    }
  }

  private txProgress(): void {
    for (const l of [...this.txListeners]) l();
  }

  /** What a receiver at `hostBaud` makes of bytes sent at `sentAt` baud. */
  private garble(bytes: Uint8Array, hostBaud: number | undefined, sentAt: number): Uint8Array {
    if (hostBaud === undefined || Math.abs(hostBaud - sentAt) / sentAt <= BAUD_TOLERANCE) return bytes;
    const ratio = hostBaud / sentAt;
    const n = Math.max(1, Math.round(bytes.length * Math.min(ratio, 1 / ratio) + 0.49));
    return Uint8Array.from({ length: n }, (_, i) => ((bytes[i % bytes.length] ?? 0) * 0x9d + i) & 0xfe);
  }
}
