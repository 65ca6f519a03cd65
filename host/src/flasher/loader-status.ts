import { RomError, StubError } from '../protocol/rom-opcodes.js';

/**
 * An error status the ROM loader or the stub put in a response: the chip answered, so the
 * link worked. Read from esptool-js 0.7.0's `checkCommand` message (`Failed to <op> failed with
 * status <b0>,<b1>`) and its `UnsupportedCommandError` (the ROM's "invalid message" reply).
 */
export interface LoaderStatus {
  loader: 'rom' | 'stub';
  /** The ROM's error byte, or the stub's first status byte. */
  code: number;
  /** What esptool-js was doing: `read flash`, `erase region`, … */
  op: string;
  /** What the code means (docs/serial-protocol.md §2.5). */
  meaning: string;
  /**
   * The loader says the bytes it received were damaged (bad checksum, wrong length, a stream
   * that does not inflate): a fault on the line, reported by the far end. Every other status
   * is the loader refusing or failing the command itself.
   */
  damagedInTransit: boolean;
}

/** ROM error byte → meaning (serial-protocol.rst "ROM Loader Errors", esptool `util.py`). */
const ROM_MEANINGS: Record<number, string> = {
  0x00: 'undefined error',
  [RomError.INVALID_PARAM]: 'invalid input parameter',
  [RomError.MALLOC_FAILED]: 'malloc failed',
  [RomError.SEND_FAILED]: 'send failed',
  [RomError.RECV_FAILED]: 'receive failed',
  [RomError.INVALID_MESSAGE]: 'received message format invalid',
  [RomError.RESULT_WRONG]: 'message ok but running result wrong',
  [RomError.CHECKSUM]: 'checksum error',
  [RomError.FLASH_WRITE]: 'flash write error',
  [RomError.FLASH_READ]: 'flash read error',
  [RomError.FLASH_READ_LENGTH]: 'flash read length error',
  [RomError.DEFLATE]: 'deflate failed',
  [RomError.DEFLATE_ADLER]: 'deflate Adler32 error',
  [RomError.DEFLATE_PARAM]: 'deflate parameter error',
  [RomError.RAM_SIZE]: 'invalid RAM binary size',
  [RomError.RAM_ADDRESS]: 'invalid RAM binary address',
};

/** Stub error byte → meaning (esp-flasher-stub `commands.h`, legacy stub `stub_flasher.h`). */
const STUB_MEANINGS: Record<number, string> = {
  [StubError.BAD_DATA_LEN]: 'bad data length',
  [StubError.BAD_DATA_CHECKSUM]: 'bad data checksum',
  [StubError.BAD_BLOCKSIZE]: 'bad block size',
  [StubError.INVALID_COMMAND]: 'invalid command',
  [StubError.FAILED_SPI_OP]: 'SPI flash operation failed',
  [StubError.FAILED_SPI_UNLOCK]: 'SPI flash unlock failed',
  [StubError.NOT_IN_FLASH_MODE]: 'not in flash mode',
  [StubError.INFLATE_ERROR]: 'inflate error',
  [StubError.NOT_ENOUGH_DATA]: 'not enough data',
  [StubError.TOO_MUCH_DATA]: 'too much data',
  [StubError.NOT_IMPLEMENTED]: 'command not implemented',
};

/**
 * Statuses that mean "what arrived was damaged": the line, not the loader, is at fault. A
 * checksum or inflate error can only come from data blocks; a bad length means damage only in
 * the data phase of a write (esptool-js's `write …` and `leave … mode` steps), while elsewhere
 * it is how the stub refuses a parameter (ERASE_REGION off a sector boundary answers C0).
 */
function damaged(loader: 'rom' | 'stub', code: number, op: string): boolean {
  const dataPhase = /^(write|leave)\b/i.test(op);
  if (loader === 'rom') {
    return code === RomError.CHECKSUM || code === RomError.DEFLATE || code === RomError.DEFLATE_ADLER
      || (code === RomError.INVALID_MESSAGE && dataPhase);
  }
  return code === StubError.BAD_DATA_CHECKSUM || code === StubError.INFLATE_ERROR || (code === StubError.BAD_DATA_LEN && dataPhase);
}

/** esptool-js `checkCommand`: `Failed to ${op} failed with status ${statusBytes}` (a Uint8Array printed as `196,0`). */
const STATUS_MESSAGE = /Failed to ([\s\S]+?) failed with status (\d+),(\d+)/;

/**
 * Pure: the loader status an esptool-js error carries, if any. The ESP32 ROM sends
 * `[1, error, 0, 0]`, the stubs `[error, 0]` with error ≥ 0xC0 (§1.3), so the first byte tells
 * them apart. Undefined for timeouts, garbled frames and everything else.
 */
export function loaderStatusOf(e: unknown): LoaderStatus | undefined {
  if (!(e instanceof Error)) return undefined;
  if (e.name === 'UnsupportedCommandError') {
    return { loader: 'rom', code: RomError.INVALID_MESSAGE, op: 'run a command', meaning: 'command not supported by the ROM loader', damagedInTransit: false };
  }
  const m = STATUS_MESSAGE.exec(e.message);
  if (!m) return undefined;
  const [b0, b1] = [Number(m[2]), Number(m[3])];
  const op = m[1]!.trim();
  if (b0 === 1) {
    return { loader: 'rom', code: b1, op, meaning: ROM_MEANINGS[b1] ?? 'unknown ROM error', damagedInTransit: damaged('rom', b1, op) };
  }
  return { loader: 'stub', code: b0, op, meaning: STUB_MEANINGS[b0] ?? 'unknown stub error', damagedInTransit: damaged('stub', b0, op) };
}

/** `stub status 0xc4 (SPI flash operation failed)` */
export function describeStatus(s: LoaderStatus): string {
  return `${s.loader === 'rom' ? 'ROM' : 'stub'} status 0x${s.code.toString(16).padStart(2, '0')} (${s.meaning})`;
}
