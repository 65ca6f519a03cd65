import { UserError, isUserError } from '../errors.js';
import { StubError } from '../protocol/rom-opcodes.js';
import { exitCodes } from './exit-codes.js';
import { describeStatus, loaderStatusOf, type LoaderStatus } from './loader-status.js';

/** Raised when the byte transport reports that the link dropped during an operation. */
export class LinkLostError extends Error {
  override readonly name = 'LinkLostError';
}

const DIALOUT_HINT =
  'add yourself to the serial group and log in again: sudo usermod -aG dialout $USER (uucp on Arch, or run once with sudo to confirm)';
const BUSY_HINT =
  'another program holds the port: close serial monitors (pio device monitor, screen, Arduino IDE) and stop ModemManager if it grabs new ports; '
  + 'a running esp-sse monitor hands the port over by itself, so if it is the one holding it, quit it (Ctrl+])';

/**
 * Errors from the port, the link and the loader that the translators below explain: esptool-js's
 * `ESPError` family (timeouts, bad replies), {@link LinkLostError}, Node's system errors (an
 * errno `code` such as `EIO`), and plain `Error`s, which is what the transports and serialport
 * throw when a port fails. Anything else (a `TypeError`, a `RangeError`, another class, a thrown
 * non-Error) is a bug in esp-sse: the translators throw it again as it is, so the CLI prints
 * its stack and exits 70 instead of calling it a flash failure.
 */
export function isLinkOrLoaderError(e: unknown): e is Error {
  if (!(e instanceof Error)) return false;
  if (Object.getPrototypeOf(e) === Error.prototype || e instanceof LinkLostError) return true;
  if (typeof (e as NodeJS.ErrnoException).code === 'string') return true;
  for (let p: unknown = Object.getPrototypeOf(e); p && p !== Error.prototype; p = Object.getPrototypeOf(p)) {
    if ((p as { constructor?: { name?: string } }).constructor?.name === 'ESPError') return true;
  }
  return false;
}

/** What esptool-js and the transports say when frames stop arriving or arrive damaged. */
const LINK_TEXT = /timed? ?out|Serial data stream stopped|No serial data|Invalid head|Invalid SLIP|invalid response|Failed to/i;

function text(e: unknown): string {
  if (e instanceof Error) return `${e.message} ${(e as NodeJS.ErrnoException).code ?? ''}`;
  return String(e);
}

/**
 * Turns an error from opening a port into a `UserError` with the fix. Already-typed errors
 * pass through; other failures to open are `port.open-failed`; a bug (not
 * {@link isLinkOrLoaderError}) is thrown again as it is.
 */
export function translateOpenError(port: string, e: unknown): UserError {
  if (isUserError(e)) return e;
  if (!isLinkOrLoaderError(e)) throw e;
  const t = text(e);
  if (/ENOENT|No such file|not found|does not exist/i.test(t)) {
    return new UserError('port.not-found', `serial port ${port} does not exist`, 'check the cable and run esp-sse ports to list the ports', exitCodes.port, { cause: e });
  }
  if (/EACCES|EPERM|Permission denied|not permitted/i.test(t)) {
    return new UserError('port.permission', `not allowed to open ${port}`, DIALOUT_HINT, exitCodes.port, { cause: e });
  }
  if (/EBUSY|busy|Cannot lock|in use|Resource temporarily unavailable/i.test(t)) {
    return new UserError('port.busy', `serial port ${port} is busy`, BUSY_HINT, exitCodes.port, { cause: e });
  }
  if (/ECONNREFUSED|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|EAI_AGAIN/i.test(t)) {
    return new UserError('port.unreachable', `cannot reach ${port} (${t.trim()})`,
      'check that the RFC 2217 / TCP serial server is running and the host:port is right', exitCodes.port, { cause: e });
  }
  return new UserError('port.open-failed', `cannot open ${port}: ${t.trim()}`, 'run esp-sse ports to check the port name', exitCodes.port, { cause: e });
}

/** What the chip printed while we tried to connect: the boot mode, if any. */
export interface BootLog {
  /** `0x13` from `boot:0x13 (SPI_FAST_FLASH_BOOT)`. */
  bootMode?: string;
  downloadMode: boolean;
  /** Any bytes were received at all. */
  sawBytes: boolean;
}

export function parseBootLog(bytes: Uint8Array): BootLog {
  const s = Buffer.from(bytes).toString('latin1');
  const m = /boot:(0x[0-9a-fA-F]+)([\s\S]*?waiting for download)?/.exec(s);
  const log: BootLog = { downloadMode: !!m?.[2], sawBytes: bytes.length > 0 };
  if (m?.[1]) log.bootMode = m[1];
  return log;
}

/** The connect failure a user can act on, from what the chip printed (esptool's wording where it fits). */
export function connectError(port: string, log: BootLog, cause?: unknown): UserError {
  if (log.bootMode && !log.downloadMode) {
    return new UserError('connect.wrong-boot-mode',
      `the chip on ${port} booted normally (boot mode ${log.bootMode}) instead of entering download mode`,
      'hold BOOT (GPIO0), press and release EN (RST), release BOOT, then run again with --before no_reset; or fix the auto-reset circuit',
      exitCodes.connect, { cause });
  }
  if (log.downloadMode) {
    return new UserError('connect.no-sync',
      `the chip on ${port} is in download mode (boot mode ${log.bootMode ?? '?'}) but does not answer: the serial TX path seems to be down`,
      'check the RX/TX wiring and try a lower --baud', exitCodes.connect, { cause });
  }
  return new UserError('connect.no-answer',
    log.sawBytes ? `no ESP32 bootloader answered on ${port} (bytes were received but no sync reply)`
      : `no data received from ${port}: nothing answered the reset and sync`,
    'check that the board is powered and this is its port (esp-sse ports); hold BOOT and press EN to force download mode',
    exitCodes.connect, { cause });
}

/**
 * An error during an operation on a connected chip: link loss and protocol timeouts become
 * `flash.connection-lost` (with what was done so far in `progress`), everything typed passes,
 * another link or loader error ({@link isLinkOrLoaderError}) is `flash.failed`. Anything else is
 * a bug and is thrown again as it is, stack and all.
 */
export function operationError(port: string, e: unknown, progress: string): UserError {
  if (isUserError(e)) return e;
  if (!isLinkOrLoaderError(e)) throw e;
  const t = text(e);
  if (e instanceof LinkLostError) {
    return new UserError('flash.connection-lost', `lost the connection to ${port}: ${e.message}. ${progress}`,
      'reconnect the board and run the same command again: images already written are verified by MD5 and skipped',
      exitCodes.connectionLost, { cause: e });
  }
  const status = loaderStatusOf(e);
  if (status && !status.damagedInTransit) return loaderError(port, status, progress, e);
  if (status) {
    return new UserError('flash.link-error',
      `the link to ${port} failed mid-operation: the loader received damaged data while trying to ${status.op} (${describeStatus(status)}). ${progress}`,
      'run the same command again (written images are skipped), with a lower --baud if it repeats; check the cable',
      exitCodes.connectionLost, { cause: e });
  }
  if (LINK_TEXT.test(t)) {
    return new UserError('flash.link-error', `the link to ${port} failed mid-operation (${t.trim()}). ${progress}`,
      'run the same command again (written images are skipped), with a lower --baud if it repeats; check the cable',
      exitCodes.connectionLost, { cause: e });
  }
  return new UserError('flash.failed', `operation on ${port} failed: ${t.trim()}. ${progress}`, 'run again with --verbose and report it if it repeats', exitCodes.connectionLost, { cause: e });
}

/**
 * An error after the chip answered the sync but before it is ready (stub upload, chip info,
 * flash ID): the link is up but unreliable. Typed errors pass through; a dropped link is
 * `flash.connection-lost`; another link or loader error `connect.link-error` (exit 4). Nothing
 * was written. Anything else is a bug and is thrown again as it is.
 */
export function connectPhaseError(port: string, e: unknown): UserError {
  if (isUserError(e)) return e;
  if (!isLinkOrLoaderError(e)) throw e;
  if (e instanceof LinkLostError) return operationError(port, e, 'nothing was written');
  const status = loaderStatusOf(e);
  if (status && !status.damagedInTransit) {
    return new UserError('connect.loader-error',
      `the chip on ${port} answered but its loader refused to ${status.op} while starting the flasher stub: ${describeStatus(status)}; nothing was written`,
      'this is the chip\'s answer, not a cable fault: press EN (RST) and run again; if it repeats, the chip may be in secure download mode (esptool get_security_info shows it)',
      exitCodes.connect, { cause: e });
  }
  return new UserError('connect.link-error',
    `the chip on ${port} answered but the link failed while starting the flasher stub (${text(e).trim()}); nothing was written`,
    'run again; if it repeats, check the cable and the RX/TX wiring, or try a lower --baud', exitCodes.connect, { cause: e });
}

/** Hints for the stub statuses a user can do something about (keyed by stub error byte). */
const LOADER_HINTS: Record<number, string> = {
  [StubError.FAILED_SPI_OP]: 'the flash chip did not complete the operation: check that the range is inside the flash (esp-sse info shows its size); if it repeats, the flash may be write-protected or failing',
  [StubError.FAILED_SPI_UNLOCK]: 'the flash chip stayed write-protected: power-cycle the board and run again',
  [StubError.INVALID_COMMAND]: 'the flasher stub does not know this command; this is a bug in esp-sse, please report it',
  [StubError.NOT_IMPLEMENTED]: 'the flasher stub does not implement this command on this chip',
};

/**
 * A command the loader answered with an error status (not one that says the bytes arrived
 * damaged): the link is fine, so no lower baud rate or other cable will help, and none is
 * suggested. `flash.loader-error`, exit 5 (the operation stopped part way).
 */
export function loaderError(port: string, status: LoaderStatus, progress: string, cause?: unknown): UserError {
  return new UserError('flash.loader-error',
    `the loader on ${port} refused to ${status.op}: ${describeStatus(status)}. ${progress}`,
    LOADER_HINTS[status.loader === 'stub' ? status.code : -1] ?? 'this is the chip\'s answer, not a cable fault; run again with --verbose and report it if it repeats',
    exitCodes.connectionLost, { cause });
}

export function md5MismatchError(port: string, name: string, address: number, expected: string, actual: string): UserError {
  return new UserError('flash.verify-failed',
    `${name} at 0x${address.toString(16)} on ${port} did not verify: flash MD5 ${actual}, expected ${expected}`,
    'run again with --force; if it repeats, try a lower --baud or a different cable, or erase the chip (esp-sse erase)',
    exitCodes.verify);
}
