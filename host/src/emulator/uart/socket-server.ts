import type { Server, Socket } from 'node:net';
import type { Uart } from './uart.js';
import { closeServer, listenTcp } from './listen.js';

/**
 * The UART as a raw TCP port (`--socket-port`, for `socket://host:port` clients): bytes both
 * ways, no control lines and no baud rate (pyserial's socket handler has neither), so a client
 * only reaches the ROM loader when the board was powered up in download mode.
 */
export class SocketServer {
  private constructor(
    private readonly server: Server,
    readonly port: number,
    private readonly sockets: Set<Socket>,
  ) {}

  static async start(uart: Uart, host: string, port: number): Promise<SocketServer> {
    const sockets = new Set<Socket>();
    const { server, port: bound } = await listenTcp(host, port, '--socket-port', (s) => {
      sockets.add(s);
      const p = uart.attach({
        deliver: (b) => {
          if (!s.destroyed) s.write(b);
        },
        disconnect: () => s.destroy(),
      });
      s.on('data', (d: Buffer) => p.receive(new Uint8Array(d.buffer, d.byteOffset, d.length)));
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
