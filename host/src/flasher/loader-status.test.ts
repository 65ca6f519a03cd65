import { UnsupportedCommandError } from 'esptool-js';
import { describe, expect, it } from 'vitest';
import { isLinkError } from './run-session.js';
import { checkReadRange } from './flash-range.js';
import { describeStatus, loaderStatusOf } from './loader-status.js';
import { LinkLostError, connectPhaseError, operationError } from './translate-error.js';

/** esptool-js 0.7.0 `checkCommand`'s message for a response with a failure status. */
const refused = (op: string, b0: number, b1: number) => new Error(`Failed to ${op} failed with status ${Uint8Array.of(b0, b1)}`);

describe('loader statuses in esptool-js errors', () => {
  it('reads the stub byte, or the ROM error byte after its status 1', () => {
    expect(loaderStatusOf(refused('read flash', 0xc4, 0))).toMatchObject({ loader: 'stub', code: 0xc4, op: 'read flash', damagedInTransit: false });
    expect(loaderStatusOf(refused('enter Flash download mode', 1, 0x01))).toMatchObject({ loader: 'rom', code: 0x01, damagedInTransit: false });
    expect(describeStatus(loaderStatusOf(refused('read flash', 0xc4, 0))!)).toBe('stub status 0xc4 (SPI flash operation failed)');
    expect(loaderStatusOf(new UnsupportedCommandError())).toMatchObject({ loader: 'rom', damagedInTransit: false });
    expect(loaderStatusOf(new Error('Timeout'))).toBeUndefined();
    expect(loaderStatusOf(new Error('Invalid head of packet (0x41): Possible serial noise or corruption.'))).toBeUndefined();
  });

  it('a status that says the bytes arrived damaged is a line fault; a refused parameter is not', () => {
    expect(loaderStatusOf(refused('write compressed data to flash after seq 3', 0xc1, 0))!.damagedInTransit).toBe(true);
    expect(loaderStatusOf(refused('write to target Flash after seq 0', 1, 0x07))!.damagedInTransit).toBe(true);
    expect(loaderStatusOf(refused('leave compressed flash mode', 0xc7, 0))!.damagedInTransit).toBe(true);
    expect(loaderStatusOf(refused('write compressed data to flash after seq 3', 0xc0, 0))!.damagedInTransit).toBe(true);
    // ERASE_REGION off a sector boundary: the stub answers C0 (bad data length) to a well-received command.
    expect(loaderStatusOf(refused('erase region', 0xc0, 0))!.damagedInTransit).toBe(false);
  });
});

describe('which errors are link faults (retried at a lower baud rate, "check the cable")', () => {
  it('a loader error status is flash.loader-error: no baud step-down, no cable hint', () => {
    const e = operationError('/dev/ttyUSB0', refused('read flash', 0xc4, 0), 'nothing was saved');
    expect(e.code).toBe('flash.loader-error');
    expect(e.message).toBe('the loader on /dev/ttyUSB0 refused to read flash: stub status 0xc4 (SPI flash operation failed). nothing was saved');
    expect(e.hint).not.toMatch(/cable|--baud/);
    expect(isLinkError(e)).toBe(false);
    const rom = operationError('p', new UnsupportedCommandError(), 'nothing was written');
    expect(rom.code).toBe('flash.loader-error');
    expect(isLinkError(rom)).toBe(false);
  });

  it('while starting the stub a loader error is connect.loader-error (exit 4), not connect.link-error', () => {
    const e = connectPhaseError('p', refused('write to target RAM', 1, 0x0f));
    expect(e.code).toBe('connect.loader-error');
    expect(e.exitCode).toBe(4);
    expect(isLinkError(e)).toBe(false);
    expect(isLinkError(connectPhaseError('p', new Error('Timeout')))).toBe(true);
  });

  it('damaged data, timeouts and garbled frames stay link faults; a dropped port is connection-lost', () => {
    const damaged = operationError('p', refused('write compressed data to flash after seq 3', 0xc1, 0), 'x');
    expect(damaged.code).toBe('flash.link-error');
    expect(damaged.message).toMatch(/stub status 0xc1 \(bad data checksum\)/);
    expect(isLinkError(damaged)).toBe(true);
    expect(isLinkError(operationError('p', new Error('Timeout'), 'x'))).toBe(true);
    expect(isLinkError(operationError('p', new Error('Invalid head of packet (0x41)'), 'x'))).toBe(true);
    expect(operationError('p', new LinkLostError('gone'), 'x').code).toBe('flash.connection-lost');
  });
});

describe('reads checked against the detected flash size', () => {
  const MB4 = 0x400000;
  it('a range inside the flash passes; ALL reads to its end', () => {
    expect(checkReadRange(0x3ff000, 0x1000, MB4)).toBe(0x1000);
    expect(checkReadRange(0x10000, undefined, MB4)).toBe(MB4 - 0x10000);
  });

  it('past the end: read.out-of-range (exit 2) naming the end and the range that fits', () => {
    const err = (f: () => unknown) => { try { f(); } catch (e) { return e as { code: string; exitCode: number; message: string; hint: string }; } throw new Error('no error'); };
    const past = err(() => checkReadRange(0x3ff000, 0x2000, MB4));
    expect(past).toMatchObject({ code: 'read.out-of-range', exitCode: 2 });
    expect(past.message).toMatch(/ends at 0x401000, past the end of the 4 MB flash, which ends at 0x400000/);
    expect(past.hint).toMatch(/at most 0x1000 bytes from 0x3ff000/);
    const beyond = err(() => checkReadRange(MB4, undefined, MB4));
    expect(beyond).toMatchObject({ code: 'read.out-of-range', exitCode: 2 });
    expect(beyond.message).toMatch(/address 0x400000 is past the end of the 4 MB flash, which ends at 0x400000/);
  });
});
