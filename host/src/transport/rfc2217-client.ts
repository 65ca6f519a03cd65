import { connect, type Socket } from 'node:net';
import { TransportBase } from './base.js';
import type { ControlSignals } from './types.js';
import { ComPort, Control, DO, Option, SERVER_OFFSET, TelnetParser, WILL, comPort, decodeBaud, encodeBaud, escapeData } from '../protocol/rfc2217.js';
import { TelnetOptions } from '../protocol/telnet-options.js';

/** Options this client performs itself (`local`) and accepts from the server (`remote`). */
const CLIENT_OPTIONS = {
  local: new Set<number>([Option.SGA, Option.COM_PORT, Option.BINARY]),
  remote: new Set<number>([Option.SGA, Option.ECHO, Option.BINARY, Option.COM_PORT]),
};

/** Options of an `rfc2217://host:port?…` URL, as pyserial's `rfc2217` handler reads them. */
export interface Rfc2217ClientOptions {
  /** Do not wait for the server to acknowledge SET_CONTROL (DTR/RTS) — pyserial `ign_set_control`. */
  ignoreSetControl?: boolean;
  /** Seconds to wait for the option negotiation and each acknowledgement (pyserial `timeout`, default 3). */
  timeoutSeconds?: number;
}

/**
 * An RFC 2217 client (telnet COM-PORT-OPTION), as pyserial's `rfc2217://` speaks it: on open it
 * offers `WILL COM-PORT` (plus SGA/ECHO/BINARY), waits for the server's `DO COM-PORT`, then sends
 * the line settings (baud, 8 data bits, no parity, 1 stop bit) and waits for their
 * acknowledgements. DTR/RTS changes are `SET_CONTROL` subnegotiations, each waited for unless
 * `ignoreSetControl`; baud changes are `SET_BAUDRATE`, waited for. 0xFF data bytes are doubled.
 */
export class Rfc2217Transport extends TransportBase {
  readonly name: string;
  private socket?: Socket;
  private parser = new TelnetParser();
  private readonly waiters: { cmd: number; resolve: (v: Uint8Array) => void }[] = [];
  private comPortAnswer?: (accepted: boolean) => void;
  private telnetOptions = new TelnetOptions(CLIENT_OPTIONS);

  constructor(
    readonly host: string,
    readonly port: number,
    baudRate = 115200,
    private readonly options: Rfc2217ClientOptions = {},
  ) {
    super(baudRate);
    this.name = `rfc2217://${host.includes(':') ? `[${host}]` : host}:${port}`;
  }

  private get timeoutMs(): number {
    return (this.options.timeoutSeconds ?? 3) * 1000;
  }

  protected async doOpen(): Promise<void> {
    const s = await new Promise<Socket>((resolve, reject) => {
      const sock = connect({ host: this.host, port: this.port });
      const timer = setTimeout(() => {
        sock.destroy();
        reject(new Error(`${this.name}: no connection within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      sock.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      sock.once('connect', () => {
        clearTimeout(timer);
        sock.removeAllListeners('error');
        resolve(sock);
      });
    });
    s.setNoDelay(true);
    this.socket = s;
    this.parser = new TelnetParser();
    this.telnetOptions = new TelnetOptions(CLIENT_OPTIONS);
    s.on('data', (d: Buffer) => this.onBytes(new Uint8Array(d.buffer, d.byteOffset, d.length)));
    s.on('error', (e) => this.lost(e));
    s.on('close', () => this.lost(new Error(`${this.name}: connection closed by the server`)));
    try {
      const answered = new Promise<boolean>((resolve) => (this.comPortAnswer = resolve));
      const ask = (verb: number, option: number): Uint8Array => this.telnetOptions.request(verb, option);
      this.send(Uint8Array.of(...ask(DO, Option.ECHO), ...ask(WILL, Option.SGA), ...ask(DO, Option.SGA), ...ask(WILL, Option.COM_PORT)));
      const accepted = await this.within(answered, 'the server did not answer the COM-PORT option (is this an RFC 2217 server?)');
      if (!accepted) throw new Error(`${this.name}: the server refused the COM-PORT option (it is a plain telnet server; use socket:// for raw TCP)`);
      const acks = [
        this.request(ComPort.SET_BAUDRATE, encodeBaud(this.baudRate)),
        this.request(ComPort.SET_DATASIZE, Uint8Array.of(8)),
        this.request(ComPort.SET_PARITY, Uint8Array.of(1)),
        this.request(ComPort.SET_STOPSIZE, Uint8Array.of(1)),
      ];
      await this.within(Promise.all(acks), 'the server did not acknowledge the line settings');
      await this.control(Control.DTR_OFF);
      await this.control(Control.RTS_OFF);
      await this.control(Control.USE_NO_FLOW_CONTROL);
    } catch (e) {
      this.socket = undefined;
      s.destroy();
      throw e;
    }
  }

  protected doWrite(data: Uint8Array): Promise<void> {
    return this.send(escapeData(data));
  }

  protected async doClose(): Promise<void> {
    const s = this.socket;
    this.socket = undefined;
    this.waiters.splice(0);
    if (!s || s.destroyed) return;
    await new Promise<void>((resolve) => {
      s.once('close', () => resolve());
      s.end();
      setTimeout(() => s.destroy(), 1000).unref();
    });
  }

  protected async doSetSignals(_all: Required<ControlSignals>, changed: ControlSignals): Promise<void> {
    if (changed.dtr !== undefined) await this.control(changed.dtr ? Control.DTR_ON : Control.DTR_OFF);
    if (changed.rts !== undefined) await this.control(changed.rts ? Control.RTS_ON : Control.RTS_OFF);
  }

  protected async doSetBaudRate(baud: number): Promise<void> {
    const ack = await this.within(this.request(ComPort.SET_BAUDRATE, encodeBaud(baud)), `the server did not acknowledge baud ${baud}`);
    const got = decodeBaud(ack);
    if (got !== undefined && got !== baud) throw new Error(`${this.name}: the server set ${got} baud instead of ${baud}`);
  }

  private async control(value: number): Promise<void> {
    const ack = this.request(ComPort.SET_CONTROL, Uint8Array.of(value));
    if (this.options.ignoreSetControl) {
      void ack.catch(() => {});
      return;
    }
    await this.within(ack, 'the server did not acknowledge a DTR/RTS change (add ?ign_set_control to the URL for servers that never do)');
  }

  /** Sends a COM-PORT subcommand; resolves with the value of the server's acknowledgement. */
  private request(cmd: number, value: Uint8Array): Promise<Uint8Array> {
    const p = new Promise<Uint8Array>((resolve) => this.waiters.push({ cmd, resolve }));
    void this.send(comPort(cmd, value)).catch(() => {});
    return p;
  }

  private within<T>(p: Promise<T>, what: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${this.name}: ${what} within ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    const closed = new Promise<never>((_, reject) => {
      const off = this.onClose((e) => reject(e ?? new Error(`${this.name} closed`)));
      void p.finally(off).catch(() => {});
    });
    return Promise.race([p, timeout, closed]).finally(() => clearTimeout(timer));
  }

  private send(bytes: Uint8Array): Promise<void> {
    const s = this.socket;
    return new Promise((resolve, reject) => {
      if (!s || s.destroyed) return reject(new Error(`${this.name}: connection closed`));
      s.write(bytes, (e) => (e ? reject(e) : resolve()));
    });
  }

  private onBytes(chunk: Uint8Array): void {
    for (const ev of this.parser.push(chunk)) {
      if (ev.type === 'data') this.deliver(ev.bytes);
      else if (ev.type === 'negotiate') this.onNegotiate(ev.verb, ev.option);
      else if (ev.type === 'subnegotiation' && ev.option === Option.COM_PORT && ev.payload.length > 0) {
        const cmd = (ev.payload[0] ?? 0) - SERVER_OFFSET;
        const i = this.waiters.findIndex((w) => w.cmd === cmd);
        if (i >= 0) this.waiters.splice(i, 1)[0]!.resolve(ev.payload.subarray(1));
        // NOTIFY_LINESTATE / NOTIFY_MODEMSTATE and unsolicited replies carry nothing we need.
      }
    }
  }

  /** A WILL/WONT/DO/DONT from the server; DO or DONT COM-PORT answers our offer. */
  private onNegotiate(verb: number, option: number): void {
    const result = this.telnetOptions.receive(verb, option);
    if (result.reply) void this.send(result.reply).catch(() => {});
    if (result.local && option === Option.COM_PORT) this.comPortAnswer?.(result.enabled);
  }

  private lost(e: Error): void {
    this.socket = undefined;
    this.dropped(e);
  }
}
