import type { WarnFn } from '../errors.js';
import type { BorrowOutcome } from '../transport/port-handover-client.js';
import type { ByteTransport } from '../transport/types.js';

/**
 * The Web Serial–shaped port esptool-js's `Transport` drives (see
 * docs/serial-protocol.md §4.1). `transport/webserial-adapter.ts` provides it over a
 * {@link ByteTransport}; the flasher only needs these members.
 */
export interface WebSerialLike {
  open(options: { baudRate: number }): Promise<void>;
  close(): Promise<void>;
  setSignals(signals: { dataTerminalReady?: boolean; requestToSend?: boolean; break?: boolean }): Promise<void>;
  getInfo(): { usbVendorId?: number; usbProductId?: number };
  readonly readable: unknown;
  readonly writable: unknown;
}

/**
 * How the flasher reaches a port: by name (`/dev/ttyUSB0`, `socket://…`, `rfc2217://…`) to an
 * unopened byte transport, and from that to the Web Serial shape. Injected so tests and the
 * emulator can supply their own.
 */
export interface LinkFactory {
  createTransport(name: string): ByteTransport | Promise<ByteTransport>;
  toWebSerial(transport: ByteTransport, info?: { usbVendorId?: number; usbProductId?: number }): WebSerialLike;
  /**
   * Before the port is opened: asks an esp-sse monitor that holds it to let go of it
   * (transport/port-handover.ts). Absent: nobody is asked.
   */
  borrow?(name: string, warn: WarnFn): Promise<BorrowOutcome>;
}
