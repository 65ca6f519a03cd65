import type { Server, Socket } from 'node:net';
import { ComPort, Control, DO, Option, SERVER_OFFSET, TelnetParser, comPort, decodeBaud, encodeBaud, escapeData } from '../../protocol/rfc2217.js';
import { TelnetOptions } from '../../protocol/telnet-options.js';
import type { WarnFn } from '../../errors.js';
import type { Uart, UartPort } from './uart.js';
import { HOST_UNREAD_MAX, ReadGate, writeUnlessBacklogged } from './flow.js';
import { closeServer, listenTcp } from './listen.js';

/** Telnet options the server performs (`WILL`) and lets the client perform (`DO`). */
const SERVER_OPTIONS = {
  local: new Set<number>([Option.SGA, Option.BINARY, Option.COM_PORT]),
  remote: new Set<number>([Option.SGA, Option.BINARY, Option.COM_PORT]),
};
const SIGNATURE = 'esp-sse emulator UART0';

/**
 * The UART as an RFC 2217 port (`--rfc2217-port`), as pyserial's `rfc2217://` client and esptool
 * expect it: agrees to the COM-PORT option, acknowledges every COM-PORT subcommand by echoing it
 * as `cmd + 100` *after* applying it (SET_BAUDRATE → the host's rate, SET_CONTROL DTR/RTS → the
 * board's reset circuit), answers queries with the current value and doubles 0xFF in data.
 * Input is paused while the wire is behind or while the client leaves our answers unread; an
 * over-long subnegotiation is dropped with a warning.
 */
export class Rfc2217Server {
  private constructor(
    private readonly server: Server,
    readonly port: number,
    private readonly sockets: Set<Socket>,
  ) {}

  static async start(uart: Uart, host: string, port: number, warn?: WarnFn): Promise<Rfc2217Server> {
    const sockets = new Set<Socket>();
    const { server, port: bound } = await listenTcp(host, port, '--rfc2217-port', (s) => {
      sockets.add(s);
      const session = new Rfc2217Session(s, uart, warn);
      s.on('close', () => {
        sockets.delete(s);
        session.end();
      });
    });
    return new Rfc2217Server(server, bound, sockets);
  }

  close(): Promise<void> {
    return closeServer(this.server, this.sockets);
  }
}

/** One client connection. */
class Rfc2217Session {
  private readonly parser = new TelnetParser();
  private readonly port: UartPort;
  private readonly gate: ReadGate;
  private readonly lines = { dtr: false, rts: false };
  private linesTouched = false;
  private baud = 115200;
  private readonly options = new TelnetOptions(SERVER_OPTIONS);

  constructor(
    private readonly socket: Socket,
    uart: Uart,
    private readonly warn?: WarnFn,
  ) {
    this.gate = new ReadGate(socket);
    this.port = uart.attach({
      deliver: (b) => void writeUnlessBacklogged(socket, escapeData(b), warn, 'rfc2217:// client'),
      disconnect: () => socket.destroy(),
      resume: () => this.gate.release('wire'),
    });
    socket.on('data', (d: Buffer) => this.onBytes(new Uint8Array(d.buffer, d.byteOffset, d.length)));
    socket.on('drain', () => this.gate.release('unread'));
    socket.on('error', () => {});
    // Ask for the option up front as pyserial's server does; clients that offered it already agree.
    this.send(this.options.request(DO, Option.COM_PORT));
  }

  /** The client went away: a closing tty drops DTR and RTS (HUPCL), then detach. */
  end(): void {
    if (this.linesTouched && (this.lines.dtr || this.lines.rts)) {
      this.lines.dtr = false;
      this.lines.rts = false;
      this.port.setLines({ ...this.lines });
    }
    this.port.detach();
  }

  /** A protocol answer: always sent; a client that leaves answers unread stops being read. */
  private send(bytes: Uint8Array): void {
    if (this.socket.destroyed || bytes.length === 0) return;
    this.socket.write(bytes);
    if (this.socket.writableLength > HOST_UNREAD_MAX) this.gate.hold('unread');
  }

  private onBytes(chunk: Uint8Array): void {
    for (const ev of this.parser.push(chunk)) {
      if (ev.type === 'data') {
        if (!this.port.receive(ev.bytes)) this.gate.hold('wire');
      } else if (ev.type === 'negotiate') {
        const { reply } = this.options.receive(ev.verb, ev.option);
        if (reply) this.send(reply);
      } else if (ev.type === 'subnegotiation') {
        if (ev.option === Option.COM_PORT) this.onComPort(ev.payload);
      } else if (ev.type === 'problem') {
        this.warn?.('serial.rfc2217-subnegotiation-too-long', `a telnet subnegotiation (option ${ev.option}) longer than ${ev.limit} bytes was dropped up to its IAC SE`);
      }
    }
  }

  private onComPort(payload: Uint8Array): void {
    const cmd = payload[0];
    if (cmd === undefined) return;
    const value = payload.subarray(1);
    const reply = (v: Uint8Array): void => this.send(comPort(cmd + SERVER_OFFSET, v));
    switch (cmd) {
      case ComPort.SIGNATURE:
        return reply(value.length === 0 ? new TextEncoder().encode(SIGNATURE) : value);
      case ComPort.SET_BAUDRATE: {
        const baud = decodeBaud(value);
        if (baud === undefined) return this.warn?.('serial.rfc2217-bad-baud', `ignored SET_BAUDRATE with ${value.length} value bytes`);
        if (baud !== 0) {
          this.baud = baud;
          this.port.setHostBaudRate(baud);
        }
        return reply(encodeBaud(this.baud));
      }
      case ComPort.SET_DATASIZE:
        return reply(Uint8Array.of(value[0] || 8));
      case ComPort.SET_PARITY:
        return reply(Uint8Array.of(value[0] || 1));
      case ComPort.SET_STOPSIZE:
        return reply(Uint8Array.of(value[0] || 1));
      case ComPort.SET_CONTROL:
        return reply(Uint8Array.of(this.control(value[0] ?? 0)));
      case ComPort.NOTIFY_LINESTATE:
        return reply(Uint8Array.of(0x60)); // transmitter idle: holding and shift registers empty
      case ComPort.NOTIFY_MODEMSTATE:
        return reply(Uint8Array.of(0x00)); // a USB bridge's CTS/DSR/RI/CD: none asserted
      case ComPort.PURGE_DATA:
      case ComPort.SET_LINESTATE_MASK:
      case ComPort.SET_MODEMSTATE_MASK:
        return reply(value);
      default:
        // FLOWCONTROL_SUSPEND/RESUME and notifications need no answer.
        return;
    }
  }

  /** Applies a SET_CONTROL value; returns the value to acknowledge. */
  private control(v: number): number {
    const set = (line: 'dtr' | 'rts', on: boolean): number => {
      this.linesTouched = true;
      if (this.lines[line] !== on) {
        this.lines[line] = on;
        this.port.setLines({ ...this.lines });
      }
      return v;
    };
    switch (v) {
      case Control.DTR_ON:
        return set('dtr', true);
      case Control.DTR_OFF:
        return set('dtr', false);
      case Control.RTS_ON:
        return set('rts', true);
      case Control.RTS_OFF:
        return set('rts', false);
      case Control.REQ_DTR:
        return this.lines.dtr ? Control.DTR_ON : Control.DTR_OFF;
      case Control.REQ_RTS:
        return this.lines.rts ? Control.RTS_ON : Control.RTS_OFF;
      case Control.REQ_FLOW_SETTING:
        return Control.USE_NO_FLOW_CONTROL;
      case Control.REQ_BREAK_STATE:
        return Control.BREAK_OFF;
      default:
        return v; // flow-control and break settings: acknowledged, nothing to do on a virtual wire
    }
  }
}
