import { read as fsRead } from 'node:fs';
import { promisify } from 'node:util';
import { SerialPort } from 'serialport';

const readAsync = promisify(fsRead);

/** The parts of @serialport/bindings-cpp's Unix port binding this wrapper relies on. */
interface UnixPortLike {
  fd: number | null;
  readonly isOpen: boolean;
  poller: { once(event: 'readable', cb: (err?: Error | null) => void): void };
  read(buffer: Buffer, offset: number, length: number): Promise<{ bytesRead: number; buffer: Buffer }>;
}

const retry = new Set(['EAGAIN', 'EWOULDBLOCK', 'EINTR']);

/**
 * A read that reports end-of-file as a disconnect. @serialport/bindings-cpp 13's Unix read
 * retries a zero-byte read at once, forever (serialport/bindings-cpp#162; the fix, PR #164,
 * was not merged): a USB adapter that is unplugged, or a pseudo-terminal whose other end
 * closes, then spins one core and never reports the loss, so nothing can reconnect. Here a
 * zero-byte read rejects with an ordinary error, which the stream turns into a disconnect.
 */
async function readOrDisconnect(port: UnixPortLike, buffer: Buffer, offset: number, length: number): Promise<{ bytesRead: number; buffer: Buffer }> {
  for (;;) {
    if (!port.isOpen || port.fd === null) throw Object.assign(new Error('Port is not open'), { canceled: true });
    try {
      const { bytesRead } = await readAsync(port.fd, buffer, offset, length, null);
      if (bytesRead === 0) throw Object.assign(new Error('end of file: the device went away'), { code: 'EOF' });
      return { bytesRead, buffer };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? '';
      if (!retry.has(code)) throw e;
      if (!port.isOpen) throw Object.assign(new Error('Port is not open'), { canceled: true });
      await new Promise<void>((resolve, reject) => port.poller.once('readable', (err) => (err ? reject(err) : resolve())));
    }
  }
}

type Binding = typeof SerialPort.binding;

/**
 * node-serialport's detected binding with {@link readOrDisconnect} on Unix; unchanged on
 * Windows (its reads go through the overlapped-I/O path, which has no such loop).
 */
export const eofSafeBinding: Binding = process.platform === 'win32'
  ? SerialPort.binding
  : {
    ...SerialPort.binding,
    list: () => SerialPort.binding.list(),
    async open(options: Parameters<Binding['open']>[0]) {
      const port = await (SerialPort.binding.open as (o: typeof options) => ReturnType<Binding['open']>)(options);
      const unix = port as unknown as UnixPortLike;
      if (typeof unix.poller?.once === 'function' && 'fd' in unix) {
        unix.read = (buffer, offset, length) => readOrDisconnect(unix, buffer, offset, length);
      }
      return port;
    },
  } as Binding;
