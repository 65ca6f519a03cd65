import { FaultInjector, type FaultOptions } from '../../transport/faults.js';
import { systemClock, type Clock } from './clock.js';
import { Wire } from './wire.js';

/** Something on the host side of the UART: an RFC 2217 or TCP client, a pty, a memory pair. */
export interface UartClient {
  /** Bytes from the board. */
  deliver(bytes: Uint8Array): void;
  /** The link was cut (a disconnect fault); the client should close its connection. */
  disconnect(reason: string): void;
}

/** What an attached client can do to the UART. */
export interface UartPort {
  /** Bytes the host sent. */
  receive(bytes: Uint8Array): void;
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
}

/** Relative baud mismatch beyond which a real UART receives garbage. */
const BAUD_TOLERANCE = 0.05;

/**
 * The board's UART0 as seen from both ends. The board transmits and receives bytes and follows
 * the host's control lines; clients attach and detach. At the set baud rate each direction is a
 * paced {@link Wire}; when the host's rate (where known) differs from the board's by more than
 * 5 %, bytes arrive garbled, as they would on a real line.
 */
export class Uart {
  private board: number;
  private pendingBaud: number | undefined;
  private readonly clients = new Map<UartClient, { baud?: number }>();
  private readonly rxListeners = new Set<(b: Uint8Array) => void>();
  private readonly lineListeners = new Set<(l: { dtr: boolean; rts: boolean }) => void>();
  private readonly tx: Wire;
  private readonly rx: Wire;
  private readonly txFaults: FaultInjector;
  private readonly rxFaults: FaultInjector;

  constructor(options: UartOptions = {}) {
    this.board = options.baudRate ?? 115200;
    const clock = options.clock ?? systemClock;
    const timing = options.wireTiming ?? true;
    this.txFaults = new FaultInjector(options.txFaults);
    this.rxFaults = new FaultInjector(options.rxFaults);
    this.tx = new Wire(clock, (b, baud) => this.toHost(b, baud), this.board, timing);
    this.rx = new Wire(clock, (b) => this.toBoard(b), this.board, timing);
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

  /** Drops bytes still on the wire in both directions (the chip was reset). */
  flush(): void {
    this.tx.clear();
    this.rx.clear();
    if (this.pendingBaud !== undefined) this.applyBaudRate(this.pendingBaud);
  }

  attach(client: UartClient): UartPort {
    const state: { baud?: number } = {};
    this.clients.set(client, state);
    return {
      receive: (bytes) => {
        if (!this.clients.has(client)) return;
        this.rx.send(this.garble(bytes, state.baud, this.board));
      },
      setLines: (lines) => {
        for (const l of [...this.lineListeners]) l({ ...lines });
      },
      setHostBaudRate: (baud) => {
        state.baud = baud;
      },
      detach: () => {
        this.clients.delete(client);
      },
    };
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
      this.clients.delete(c);
      c.disconnect(reason);
    }
  }

  /** What a receiver at `hostBaud` makes of bytes sent at `sentAt` baud. */
  private garble(bytes: Uint8Array, hostBaud: number | undefined, sentAt: number): Uint8Array {
    if (hostBaud === undefined || Math.abs(hostBaud - sentAt) / sentAt <= BAUD_TOLERANCE) return bytes;
    const ratio = hostBaud / sentAt;
    const n = Math.max(1, Math.round(bytes.length * Math.min(ratio, 1 / ratio) + 0.49));
    return Uint8Array.from({ length: n }, (_, i) => ((bytes[i % bytes.length] ?? 0) * 0x9d + i) & 0xfe);
  }
}
