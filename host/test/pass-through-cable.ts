import type { ByteTransport, ControlSignals } from '../src/transport/types.js';

/**
 * A cable between the flasher and a real transport that passes everything through; tests
 * subclass it to model one defect (a baud limit, a missing boot line) by overriding one method.
 */
export class PassThroughCable implements ByteTransport {
  constructor(protected readonly inner: ByteTransport) {}
  get name() { return this.inner.name; }
  get isOpen() { return this.inner.isOpen; }
  get baudRate() { return this.inner.baudRate; }
  open() { return this.inner.open(); }
  write(d: Uint8Array) { return this.inner.write(d); }
  close() { return this.inner.close(); }
  setSignals(s: ControlSignals) { return this.inner.setSignals(s); }
  setBaudRate(b: number) { return this.inner.setBaudRate(b); }
  onClose(l: (e?: Error) => void) { return this.inner.onClose(l); }
  onData(l: (d: Uint8Array) => void) { return this.inner.onData(l); }
}
