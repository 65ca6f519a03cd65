import type { SerialPort } from 'serialport';
import type { WarnFn } from '../errors.js';
import { TransportBase } from './base.js';
import type { ControlSignals } from './types.js';

/**
 * A device path (`/dev/ttyUSB0`, `COM3`, a pseudo-terminal) through node-serialport.
 * node-serialport's `set()` fills missing flags with defaults (DTR and RTS asserted), so both
 * lines are always passed from the cache. Baud changes use `update()` (in place). A device that
 * has no modem lines (a pseudo-terminal answers ENOTTY/EINVAL) gets a warning once and the
 * change is ignored, as esptool does ("Chip was NOT reset"). node-serialport (and its native
 * binding) is loaded on the first open, so importing the transports costs no native module.
 */
export class SerialPortTransport extends TransportBase {
  private port?: SerialPort;
  private linesUnsupported = false;

  constructor(
    readonly name: string,
    baudRate = 115200,
    private readonly warn?: WarnFn,
  ) {
    super(baudRate);
  }

  /** False once the device refused a DTR/RTS change (a pty, some USB-CDC drivers). */
  get hasControlLines(): boolean {
    return !this.linesUnsupported;
  }

  protected async doOpen(): Promise<void> {
    const [{ SerialPort }, { eofSafeBinding }] = await Promise.all([import('serialport'), import('./serialport-eof.js')]);
    return new Promise((resolve, reject) => {
      // eofSafeBinding: an unplug or a closed pty is reported as a drop (serialport-eof.ts).
      const port = new SerialPort({ path: this.name, baudRate: this.baudRate, autoOpen: false, binding: eofSafeBinding } as ConstructorParameters<typeof SerialPort>[0]);
      port.open((err) => {
        if (err) return reject(err);
        this.port = port;
        port.on('data', (d: Buffer) => this.deliver(new Uint8Array(d.buffer, d.byteOffset, d.length)));
        port.on('close', (e?: Error | null) => {
          if (e) this.dropped(e);
        });
        port.on('error', (e: Error) => this.warn?.('serial.port-error', `${this.name}: ${e.message}`));
        resolve();
      });
    });
  }

  protected doWrite(data: Uint8Array): Promise<void> {
    const port = this.port;
    return new Promise((resolve, reject) => {
      if (!port) return reject(new Error(`${this.name} is not open`));
      port.write(Buffer.from(data.buffer, data.byteOffset, data.length), (e) => {
        if (e) return reject(e);
        port.drain((e2) => (e2 ? reject(e2) : resolve()));
      });
    });
  }

  protected doClose(): Promise<void> {
    const port = this.port;
    this.port = undefined;
    return new Promise((resolve) => {
      if (!port?.isOpen) return resolve();
      port.close(() => resolve());
    });
  }

  protected doSetSignals(all: Required<ControlSignals>): Promise<void> {
    const port = this.port;
    if (!port || this.linesUnsupported) return Promise.resolve();
    return new Promise((resolve, reject) => {
      port.set({ dtr: all.dtr, rts: all.rts }, (e) => {
        if (!e) return resolve();
        const code = (e as NodeJS.ErrnoException).code ?? '';
        if (/ENOTTY|EINVAL|Inappropriate ioctl|Invalid argument/.test(`${code} ${e.message}`)) {
          this.linesUnsupported = true;
          this.warn?.('serial.no-control-lines', `${this.name} has no DTR/RTS lines (${e.message}); the board was NOT reset`);
          return resolve();
        }
        reject(e);
      });
    });
  }

  protected doSetBaudRate(baud: number): Promise<void> {
    const port = this.port;
    return new Promise((resolve, reject) => {
      if (!port) return resolve();
      port.update({ baudRate: baud }, (e) => (e ? reject(e) : resolve()));
    });
  }
}
