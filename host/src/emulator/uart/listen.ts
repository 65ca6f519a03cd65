import { createServer, type Server, type Socket } from 'node:net';
import { UserError } from '../../errors.js';

/**
 * Starts a TCP listener for one of the emulator's serial ports; resolves with the bound port.
 * `flag` names the option in errors (`--rfc2217-port`).
 */
export function listenTcp(host: string, port: number, flag: string, onSocket: (s: Socket) => void): Promise<{ server: Server; port: number }> {
  return new Promise((resolve, reject) => {
    const server = createServer((s) => {
      s.setNoDelay(true);
      onSocket(s);
    });
    server.once('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EADDRINUSE') {
        reject(new UserError('emulate.port-in-use', `port ${port} on ${host} (${flag}) is already in use`, `stop the other program, or choose another port with ${flag} (0 picks a free one)`, 2, { cause: e }));
      } else if (e.code === 'EACCES') {
        reject(new UserError('emulate.port-denied', `not allowed to listen on port ${port} (${flag})`, `use a port above 1023 with ${flag}`, 2, { cause: e }));
      } else {
        reject(e);
      }
    });
    server.listen(port, host, () => {
      const addr = server.address();
      resolve({ server, port: typeof addr === 'object' && addr ? addr.port : port });
    });
  });
}

/** Closes a listener and every connection it accepted. */
export function closeServer(server: Server, sockets: Set<Socket>): Promise<void> {
  for (const s of sockets) s.destroy();
  return new Promise((resolve) => server.close(() => resolve()));
}
