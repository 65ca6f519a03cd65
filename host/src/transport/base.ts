import { TransportClosedError, type ByteTransport, type ControlSignals } from './types.js';

/**
 * Listener bookkeeping and the parts of the {@link ByteTransport} contract every implementation
 * shares: open/closed state, signal caching (absent lines keep their value), the baud rate and
 * exactly-once close listeners. Subclasses implement the `do*` hooks and call `deliver()` /
 * `dropped()`.
 */
export abstract class TransportBase implements ByteTransport {
  abstract readonly name: string;
  private dataListeners = new Set<(data: Uint8Array) => void>();
  private closeListeners = new Set<(error?: Error) => void>();
  private state: 'new' | 'opening' | 'open' | 'closed' = 'new';
  protected signals: Required<ControlSignals> = { dtr: false, rts: false };
  private baud: number;

  constructor(baudRate: number) {
    this.baud = baudRate;
  }

  get isOpen(): boolean {
    return this.state === 'open';
  }

  get baudRate(): number {
    return this.baud;
  }

  /** Current state of the control lines as last set. */
  get lines(): Readonly<Required<ControlSignals>> {
    return this.signals;
  }

  async open(): Promise<void> {
    if (this.state === 'open' || this.state === 'opening') throw new Error(`${this.name} is already open`);
    this.state = 'opening';
    this.signals = { dtr: false, rts: false };
    try {
      await this.doOpen();
    } catch (e) {
      this.state = 'new';
      throw e;
    }
    this.state = 'open';
  }

  async write(data: Uint8Array): Promise<void> {
    if (this.state !== 'open') throw new TransportClosedError(`${this.name} is not open`);
    await this.doWrite(data);
  }

  async close(): Promise<void> {
    if (this.state === 'closed' || this.state === 'new') return;
    this.state = 'closed';
    await this.doClose();
    this.emitClose();
  }

  async setSignals(s: ControlSignals): Promise<void> {
    if (this.state !== 'open') throw new TransportClosedError(`${this.name} is not open`);
    const next = { dtr: s.dtr ?? this.signals.dtr, rts: s.rts ?? this.signals.rts };
    this.signals = next;
    await this.doSetSignals(next, s);
  }

  async setBaudRate(baud: number): Promise<void> {
    if (!Number.isInteger(baud) || baud <= 0) throw new RangeError(`invalid baud rate ${baud}`);
    this.baud = baud;
    if (this.state === 'open') await this.doSetBaudRate(baud);
  }

  onData(listener: (data: Uint8Array) => void): () => void {
    this.dataListeners.add(listener);
    return () => this.dataListeners.delete(listener);
  }

  onClose(listener: (error?: Error) => void): () => void {
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  /** Hands received bytes to the listeners (nothing after close). */
  protected deliver(data: Uint8Array): void {
    if (this.state !== 'open' || data.length === 0) return;
    for (const l of [...this.dataListeners]) l(data);
  }

  /** The link dropped underneath us: mark closed and tell the listeners why. */
  protected dropped(error: Error): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.emitClose(error);
  }

  private emitClose(error?: Error): void {
    const ls = [...this.closeListeners];
    this.closeListeners.clear();
    for (const l of ls) l(error);
  }

  protected abstract doOpen(): Promise<void>;
  protected abstract doWrite(data: Uint8Array): Promise<void>;
  protected abstract doClose(): Promise<void>;
  /** `all` = both lines after the change, `changed` = what the caller named. */
  protected abstract doSetSignals(all: Required<ControlSignals>, changed: ControlSignals): Promise<void>;
  protected abstract doSetBaudRate(baud: number): Promise<void>;
}
