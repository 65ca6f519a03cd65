import { spawn, type ChildProcess } from 'node:child_process';
import { lstatSync, readlinkSync } from 'node:fs';
import { UserError } from '../../errors.js';
import type { Uart, UartPort } from './uart.js';
import { ReadGate, writeUnlessBacklogged } from './flow.js';

/**
 * The UART as a pseudo-terminal device path (`--pty PATH`) that any serial program can open
 * (node-serialport, `screen`, PlatformIO's monitor, esptool): `socat` creates the pty with a
 * symlink at PATH and relays it to this process's pipes. A pty carries no DTR/RTS and no baud
 * rate to the far side, so like `socket://` it cannot reset the board; power up with
 * `--boot-mode download` to flash through it.
 */
export class PtyBridge {
  private exited: Promise<void>;
  private closing = false;

  private constructor(
    private readonly child: ChildProcess,
    readonly path: string,
    readonly device: string,
    private readonly detach: () => void,
  ) {
    this.exited = new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      else child.once('exit', () => resolve());
    });
  }

  static async start(uart: Uart, path: string, options: { socat?: string; warn?: (code: string, message: string) => void } = {}): Promise<PtyBridge> {
    refuseExisting(path);
    const child = spawn(options.socat ?? 'socat', ['-d', '-d', `PTY,link=${path},rawer`, 'STDIO'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    const device = await new Promise<string>((resolve, reject) => {
      child.once('error', (e: NodeJS.ErrnoException) => {
        reject(e.code === 'ENOENT'
          ? new UserError('emulate.socat-missing', '--pty needs the socat program, which was not found', 'install it (Debian/Ubuntu: apt-get install socat) or use --rfc2217-port / --socket-port instead')
          : e);
      });
      child.stderr!.on('data', (d: Buffer) => {
        stderr += d.toString();
        const pts = /PTY is (\S+)/.exec(stderr)?.[1];
        if (pts && /starting data transfer loop/.test(stderr)) resolve(pts);
      });
      child.once('exit', (code) => {
        const why = /E (.*)/.exec(stderr)?.[1] ?? `socat exited with code ${code}`;
        reject(new UserError('emulate.pty-failed', `cannot create the pseudo-terminal ${path}: ${why}`, 'choose a --pty path in a writable folder that does not exist yet'));
      });
    });
    child.stdin!.on('error', () => {});
    // Paused, socat stops reading the pty and the program writing to it blocks, as on a real port.
    const gate = new ReadGate(child.stdout!);
    const connect = (): UartPort =>
      uart.attach({
        // Nobody reading the pty: socat stops taking our output, which is then dropped.
        deliver: (b) => void writeUnlessBacklogged(child.stdin!, b, options.warn, 'pty'),
        // A pty has no connection to cut: after a disconnect fault it is "plugged in" again.
        disconnect: () => {
          gate.release('wire');
          port = connect();
        },
        resume: () => gate.release('wire'),
      });
    let port = connect();
    child.stdout!.on('data', (d: Buffer) => {
      if (!port.receive(new Uint8Array(d.buffer, d.byteOffset, d.length))) gate.hold('wire');
    });
    const bridge = new PtyBridge(child, path, device, () => port.detach());
    child.once('exit', (code) => {
      port.detach();
      if (!bridge.closing) options.warn?.('serial.pty-exited', `socat for ${path} exited (code ${code}); the pty is gone`);
    });
    return bridge;
  }

  async close(): Promise<void> {
    this.closing = true;
    this.detach();
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    await this.exited;
  }
}

/**
 * socat replaces whatever is at PATH, so refuse anything but a stale pty link (left by an
 * emulator that was killed): a user's file must never be deleted by `--pty`.
 */
function refuseExisting(path: string): void {
  let target: string | undefined;
  try {
    const st = lstatSync(path);
    target = st.isSymbolicLink() ? readlinkSync(path) : '';
  } catch {
    return; // nothing there
  }
  if (target !== undefined && /^\/dev\/(pts\/\d+|ttys\d+)$/.test(target)) return;
  throw new UserError('emulate.pty-exists', `--pty ${path} already exists and is not a pseudo-terminal link`, 'choose a path that does not exist yet, e.g. --pty /tmp/ttyESP');
}
