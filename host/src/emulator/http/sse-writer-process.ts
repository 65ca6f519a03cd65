/**
 * An SSE writer process: the emulator hands it established event-stream sockets and sends it
 * each message once; it writes the message to every socket it owns with the board's queue
 * rule ({@link SocketQueue}) and reports closes and drops back. Started by
 * {@link SseWriterPool}; exits when told to reset or when the emulator goes away.
 */
import type { Socket } from 'node:net';
import { SocketQueue } from './socket-queue.js';
import { bytesFromWire, type FromWriter, type ToWriter } from './sse-writer-protocol.js';
import { resetSocket } from './tcp-server.js';

interface Client {
  readonly socket: Socket;
  readonly queue: SocketQueue;
}

const clients = new Map<number, Client>();

function report(message: FromWriter): void {
  if (process.connected) process.send?.(message);
}

function adopt(id: number, socket: Socket | undefined): void {
  if (!socket || socket.destroyed) {
    report({ t: 'closed', id });
    return;
  }
  socket.on('error', () => undefined); // peers vanish; the close below reports it
  socket.once('close', () => {
    clients.delete(id);
    report({ t: 'closed', id });
  });
  // The request is complete: later bytes are read and ignored (wire doc §6.1), so a FIN is seen.
  socket.resume();
  clients.set(id, { socket, queue: new SocketQueue(socket) });
}

function write(id: number, client: Client, bytes: Buffer): void {
  if (client.socket.destroyed || !client.socket.writable) return;
  if (!client.queue.offer(bytes)) report({ t: 'dropped', id });
}

/** Resets every socket (RST, as a board losing power) and exits. */
function resetAllAndExit(): void {
  for (const c of clients.values()) {
    c.socket.removeAllListeners('close');
    resetSocket(c.socket);
  }
  clients.clear();
  setImmediate(() => process.exit(0));
}

process.on('message', (message: ToWriter, handle: unknown) => {
  switch (message.t) {
    case 'adopt':
      adopt(message.id, handle as Socket | undefined);
      break;
    case 'all': {
      const bytes = bytesFromWire(message.b);
      for (const [id, c] of clients) write(id, c, bytes);
      break;
    }
    case 'one': {
      const c = clients.get(message.id);
      if (c) write(message.id, c, bytesFromWire(message.b));
      break;
    }
    case 'end':
      for (const c of clients.values()) c.socket.end();
      break;
    case 'reset':
      resetAllAndExit();
      break;
  }
});
process.on('disconnect', resetAllAndExit);
report({ t: 'ready' });
