import { connect, type Socket } from 'node:net';
import { TransportBase } from './base.js';
import type { ControlSignals } from './types.js';

/**
 * `socket://host:port`: a raw TCP byte stream, as pyserial's `protocol_socket` handler opens it.
 * There are no control lines and no baud rate on the far side, so `setSignals()` and
 * `setBaudRate()` are accepted and ignored (the rate is only remembered). A peer closing the
 * connection, or a socket error, drops the transport (close listeners get the error).
 */
export class TcpTransport extends TransportBase {
  readonly name: string;
  private socket?: Socket;

  constructor(
    readonly host: string,
    readonly port: number,
    baudRate = 115200,
    /** Connect timeout in ms. */
    private readonly timeoutMs = 5000,
  ) {
    super(baudRate);
    this.name = `socket://${host.includes(':') ? `[${host}]` : host}:${port}`;
  }

  protected doOpen(): Promise<void> {
    return new Promise((resolve, reject) => {
      const s = connect({ host: this.host, port: this.port });
      const timer = setTimeout(() => {
        s.destroy();
        reject(new Error(`${this.name}: no connection within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      s.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      s.once('connect', () => {
        clearTimeout(timer);
        s.removeAllListeners('error');
        s.setNoDelay(true);
        this.socket = s;
        s.on('data', (d: Buffer) => this.deliver(new Uint8Array(d.buffer, d.byteOffset, d.length)));
        s.on('error', (e) => this.dropped(e));
        s.on('close', () => this.dropped(new Error(`${this.name}: connection closed by the peer`)));
        resolve();
      });
    });
  }

  protected doWrite(data: Uint8Array): Promise<void> {
    const s = this.socket;
    return new Promise((resolve, reject) => {
      if (!s || s.destroyed) return reject(new Error(`${this.name}: connection closed`));
      s.write(data, (e) => (e ? reject(e) : resolve()));
    });
  }

  protected async doClose(): Promise<void> {
    const s = this.socket;
    this.socket = undefined;
    if (!s || s.destroyed) return;
    await new Promise<void>((resolve) => {
      s.once('close', () => resolve());
      s.end();
      setTimeout(() => s.destroy(), 1000).unref();
    });
  }

  protected async doSetSignals(_all: Required<ControlSignals>): Promise<void> {}

  protected async doSetBaudRate(): Promise<void> {}
}
