import type { Server, Socket } from 'node:net';
import type { WarnFn } from '../../errors.js';
import type { Uart } from './uart.js';
import { ReadGate, writeUnlessBacklogged } from './flow.js';
import { closeServer, listenTcp } from './listen.js';

/**
 * The UART as a raw TCP port (`--socket-port`, for `socket://host:port` clients): bytes both
 * ways, no control lines and no baud rate (pyserial's socket handler has neither), so a client
 * only reaches the ROM loader when the board was powered up in download mode. A client that
 * sends faster than the wire is paused; one that does not read loses board output beyond
 * `HOST_UNREAD_MAX` (flow.ts).
 */
export class SocketServer {
  private constructor(
    private readonly server: Server,
    readonly port: number,
    private readonly sockets: Set<Socket>,
  ) {}

  static async start(uart: Uart, host: string, port: number, warn?: WarnFn): Promise<SocketServer> {
    const sockets = new Set<Socket>();
    const { server, port: bound } = await listenTcp(host, port, '--socket-port', (s) => {
      sockets.add(s);
      const gate = new ReadGate(s);
      const p = uart.attach({
        deliver: (b) => void writeUnlessBacklogged(s, b, warn, 'socket:// client'),
        disconnect: () => s.destroy(),
        resume: () => gate.release('wire'),
      });
      s.on('data', (d: Buffer) => {
        if (!p.receive(new Uint8Array(d.buffer, d.byteOffset, d.length))) gate.hold('wire');
      });
      s.on('error', () => {});
      s.on('close', () => {
        sockets.delete(s);
        p.detach();
      });
    });
    return new SocketServer(server, bound, sockets);
  }

  close(): Promise<void> {
    return closeServer(this.server, this.sockets);
  }
}
