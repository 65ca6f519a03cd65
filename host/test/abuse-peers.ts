/**
 * Abusive peers of the emulator's ports (issue 14), shared by the abuse tests and the soak bench
 * (`host/bench/soak.ts`): an HTTP flood, a silent HTTP peer, and a serial client run as its own
 * process. No test framework here: the callers close what they open.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import type { CloseKind } from './emulator-helpers.js'; // type only: nothing of vitest is loaded

/**
 * Sends `head`, then `chunk` again and again (waiting for the socket to drain) until `total`
 * bytes went out or the server closed; resolves with what was sent and how the server closed.
 */
export function flood(port: number, head: string, chunk: Buffer, total: number): Promise<{ sent: number; close: CloseKind }> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    let sent = 0;
    let close: CloseKind = 'fin';
    socket.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ECONNRESET' || e.code === 'EPIPE') close = 'reset';
    });
    socket.on('close', () => resolve({ sent, close }));
    const pump = (): void => {
      while (sent < total && !socket.destroyed) {
        sent += chunk.length;
        if (!socket.write(chunk)) return void socket.once('drain', pump);
      }
      if (!socket.destroyed) socket.end();
    };
    socket.once('connect', () => {
      socket.write(head);
      sent = head.length;
      pump();
    });
  });
}

/** A peer that connects and then never sends nor closes, not even after the server's FIN. */
export class SilentPeer {
  /** When the server's FIN arrived. */
  finAt: number | undefined;
  kind: CloseKind | undefined;
  readonly closed: Promise<void>;

  private constructor(readonly socket: Socket) {
    this.closed = new Promise((resolve) => socket.on('close', () => resolve()));
    socket.on('end', () => (this.finAt = Date.now()));
    socket.resume(); // reads (nothing comes), so the server's FIN is seen
    socket.on('error', (e: NodeJS.ErrnoException) => (this.kind = e.code === 'ECONNRESET' || e.code === 'EPIPE' ? 'reset' : 'fin'));
  }

  /** Connects; `track` is given the socket at once, for the caller to destroy when done. */
  static open(port: number, track?: (socket: Socket) => void): Promise<SilentPeer> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
      track?.(socket);
      socket.once('connect', () => resolve(new SilentPeer(socket)));
      socket.once('error', reject);
    });
  }
}

/**
 * The abusive serial client, run as its own process (so its buffers are not the caller's).
 * `push`: writes `total` bytes (after `prefix`) without waiting for the socket, holds the
 * connection `holdMs`, then exits (the OS closes the connection with whatever is still queued).
 * `stream`: writes them as fast as the socket takes them, then `suffix`, and prints what comes
 * back in the next second as hex.
 */
const SERIAL_ABUSER = `
import net from 'node:net';
const [mode, port, total, prefixHex, suffixHex, holdMs] = process.argv.slice(1);
const s = net.connect(Number(port), '127.0.0.1');
const got = [];
s.on('error', () => process.exit(0));
s.on('data', (d) => got.push(d));
s.on('connect', async () => {
  s.write(Buffer.from(prefixHex, 'hex'));
  const chunk = Buffer.alloc(mode === 'push' ? 1024 * 1024 : 64 * 1024, 0x41);
  let left = Number(total);
  while (left > 0) {
    const part = left >= chunk.length ? chunk : chunk.subarray(0, left);
    left -= part.length;
    if (!s.write(part) && mode === 'stream') await new Promise((r) => s.once('drain', r));
  }
  if (mode === 'push') {
    setTimeout(() => {
      process.stdout.write('kernel-took=' + (s.bytesWritten - s.writableLength) + '\\n');
      process.exit(0);
    }, Number(holdMs));
    return;
  }
  await new Promise((r) => s.write('', r));
  got.length = 0;
  s.write(Buffer.from(suffixHex, 'hex'));
  setTimeout(() => {
    process.stdout.write('reply=' + Buffer.concat(got).toString('hex') + '\\n');
    s.destroy();
    process.exit(0);
  }, 1000);
});
`;

export interface SerialAbuser {
  readonly child: ChildProcess;
  /** Its stdout, trimmed, once it exits (`kernel-took=N`, `reply=HEX`, or empty if killed). */
  readonly output: Promise<string>;
}

/** Starts the serial abuser (see {@link SERIAL_ABUSER}) against a socket:// or rfc2217:// port on loopback. */
export function serialAbuser(mode: 'push' | 'stream', port: number, total: number, prefix: string, suffix = '', holdMs = 1500): SerialAbuser {
  const child = spawn(process.execPath, ['--input-type=module', '-e', SERIAL_ABUSER, mode, String(port), String(total), prefix, suffix, String(holdMs)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const output = new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.once('error', reject);
    child.once('exit', () => resolve(out.trim()));
  });
  return { child, output };
}
