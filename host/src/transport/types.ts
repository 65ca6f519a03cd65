/**
 * One byte-transport interface for everything that carries a serial link: a USB adapter
 * (node-serialport), a raw TCP socket (`socket://host:port`), an RFC 2217 server
 * (`rfc2217://host:port`), the emulator's UART and the in-memory pair used in tests.
 *
 * Contract (every implementation honours it; `host/test/serial-transport-contract.test.ts` checks it
 * for each against a real far end):
 * - `open()` resolves once bytes can flow; opening an open transport rejects.
 * - Received bytes are delivered, in order, to every `onData` listener. No byte is delivered
 *   after `close()` resolves.
 * - `write()` resolves when the bytes have been handed to the OS/peer (not when the far end
 *   has read them); writing to a closed transport rejects with `TransportClosedError`.
 * - `close()` is idempotent. Listeners registered with `onClose` run exactly once, with an
 *   error when the link dropped (unplug, peer closed, disconnect fault) and without one when
 *   `close()` was called.
 * - `setSignals()` changes only the lines it names; the other keeps its last value. Both lines
 *   start deasserted (false) on open unless the implementation documents otherwise.
 *   Transports without control lines (`socket://`) accept and ignore the call.
 * - `setBaudRate()` changes the rate in place, without closing; transports without a rate
 *   (`socket://`) accept and ignore it.
 */
export interface ByteTransport {
  /** Human-readable name as pyserial/esptool would print it: `/dev/ttyUSB0`, `rfc2217://…`. */
  readonly name: string;
  readonly isOpen: boolean;
  open(): Promise<void>;
  write(data: Uint8Array): Promise<void>;
  close(): Promise<void>;
  setSignals(signals: ControlSignals): Promise<void>;
  setBaudRate(baud: number): Promise<void>;
  /** Current baud rate (the one requested last). */
  readonly baudRate: number;
  /** Registers a receive listener; returns a function that removes it. */
  onData(listener: (data: Uint8Array) => void): () => void;
  /** Registers a close listener; `error` is set when the link dropped rather than being closed. */
  onClose(listener: (error?: Error) => void): () => void;
}

/** Modem control lines. `true` = asserted (the pin is driven low on a USB-UART adapter). */
export interface ControlSignals {
  dtr?: boolean;
  rts?: boolean;
}

/** Raised by `write()` on a closed transport. */
export class TransportClosedError extends Error {
  override readonly name = 'TransportClosedError';
}
