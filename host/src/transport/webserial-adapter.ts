import type { ByteTransport } from './types.js';

/** The options esptool-js's `Transport.connect` passes to `open()` (fields may be undefined). */
export interface WebSerialOpenOptions {
  baudRate: number;
  dataBits?: number;
  stopBits?: number;
  bufferSize?: number;
  parity?: string;
  flowControl?: string;
}

/** `SerialPort.setSignals()` of the Web Serial API: absent keys leave that line unchanged. */
export interface WebSerialSignals {
  dataTerminalReady?: boolean;
  requestToSend?: boolean;
  break?: boolean;
}

/**
 * Gives esptool-js 0.7.0 the Web Serial `SerialPort` it expects, over any {@link ByteTransport}
 * (docs/serial-protocol.md §4.1): `open()` creates fresh `readable`/`writable` streams each
 * time, `readable` becomes null after `close()` so esptool-js's read loop ends, a pending read
 * resolves `{done: true}` on close, both control lines are always sent (the transport caches the
 * other line), and `setBaudRate()` changes the rate in place so esptool-js never has to reopen.
 */
export class WebSerialAdapter {
  readable: ReadableStream<Uint8Array> | null = null;
  writable: WritableStream<Uint8Array> | null = null;
  private unsubscribe: (() => void)[] = [];

  constructor(
    readonly transport: ByteTransport,
    private readonly info: { usbVendorId?: number; usbProductId?: number } = {},
  ) {}

  getInfo(): { usbVendorId?: number; usbProductId?: number } {
    return { ...this.info };
  }

  async open(options: WebSerialOpenOptions): Promise<void> {
    if (this.readable) throw new DOMException('The port is already open.', 'InvalidStateError');
    await this.transport.setBaudRate(options.baudRate);
    if (!this.transport.isOpen) await this.transport.open();
    let controller!: ReadableStreamDefaultController<Uint8Array>;
    let ended = false;
    const end = (error?: Error): void => {
      if (ended) return;
      ended = true;
      if (error) controller.error(new DOMException(`The device has been lost: ${error.message}`, 'NetworkError'));
      else controller.close();
    };
    this.readable = new ReadableStream<Uint8Array>({
      start: (c) => {
        controller = c;
      },
      cancel: () => {
        ended = true;
      },
    });
    this.unsubscribe = [
      this.transport.onData((d) => {
        if (!ended) controller.enqueue(d.slice());
      }),
      this.transport.onClose((error) => {
        end(error);
        this.readable = null;
        this.writable = null;
      }),
      () => end(),
    ];
    const transport = this.transport;
    this.writable = new WritableStream<Uint8Array>({
      write: (chunk) => transport.write(chunk),
    });
  }

  async setSignals(signals: WebSerialSignals): Promise<void> {
    const s: { dtr?: boolean; rts?: boolean } = {};
    if (signals.dataTerminalReady !== undefined) s.dtr = signals.dataTerminalReady;
    if (signals.requestToSend !== undefined) s.rts = signals.requestToSend;
    await this.transport.setSignals(s);
  }

  /** Non-standard, used by esptool-js `Transport.changeBaudrate`: change the rate in place. */
  async setBaudRate(baud: number): Promise<void> {
    await this.transport.setBaudRate(baud);
  }

  async close(): Promise<void> {
    for (const u of this.unsubscribe.splice(0)) u();
    this.readable = null;
    this.writable = null;
    await this.transport.close();
  }
}
