import { UserError } from '../errors.js';
import { exitCodes } from './exit-codes.js';
import { flashEnd } from './flash-range.js';
import { SECTOR } from '../formats/flash-layout.js';
import { md5Hex } from './plan.js';
import type { FlasherSession } from './session.js';
import { operationError } from './translate-error.js';

const hex = (n: number) => `0x${n.toString(16)}`;

function needStub(s: FlasherSession, what: string): void {
  if (!s.loader.IS_STUB) {
    throw new UserError('flash.needs-stub', `${what} needs the flasher stub, which is not running on ${s.port}`,
      'the ROM loader cannot do this; check that the stub upload is not blocked (secure download mode)', exitCodes.connect);
  }
}

/** Pure: checks an erase region is sector-aligned (the stub rejects anything else with C0 00). */
export function checkRegion(address: number, size: number, flashSize?: number): void {
  if (address % SECTOR !== 0 || size % SECTOR !== 0 || size <= 0) {
    throw new UserError('erase.unaligned', `region ${hex(address)}+${hex(size)} is not a whole number of 4 KiB sectors`,
      'use an address and size that are multiples of 0x1000, e.g. esp-sse erase 0x290000 0x160000', exitCodes.usage);
  }
  if (flashSize !== undefined && address + size > flashSize) {
    throw new UserError('erase.out-of-range', `region ${hex(address)}+${hex(size)} ends at ${hex(address + size)}, past the end of the ${flashEnd(flashSize)}`,
      address < flashSize ? `erase at most ${hex(flashSize - address)} bytes from ${hex(address)}: esp-sse erase ${hex(address)} ${hex(flashSize - address)}`
        : `erase a region below ${hex(flashSize)}, or the whole chip with esp-sse erase`, exitCodes.usage);
  }
}

/** ERASE_FLASH (whole chip, stub only). */
export async function eraseAll(s: FlasherSession): Promise<void> {
  needStub(s, 'erasing the chip');
  s.emitEvent({ type: 'erase', port: s.port });
  try {
    await s.guard(s.loader.eraseFlash());
  } catch (e) {
    throw operationError(s.port, e, 'the chip may be partly erased; run erase again');
  }
}

/** ERASE_REGION (stub only): offset and size must be sector multiples. */
export async function eraseRegion(s: FlasherSession, address: number, size: number): Promise<void> {
  needStub(s, 'erasing a region');
  s.emitEvent({ type: 'erase', port: s.port, address, size });
  const pkt = new Uint8Array(8);
  const dv = new DataView(pkt.buffer);
  dv.setUint32(0, address, true);
  dv.setUint32(4, size, true);
  const timeout = Math.max(s.loader.DEFAULT_TIMEOUT, s.loader.timeoutPerMb(s.loader.ERASE_REGION_TIMEOUT_PER_MB, size));
  try {
    await s.guard(s.loader.checkCommand('erase region', s.loader.ESP_ERASE_REGION, pkt, undefined, undefined, timeout));
  } catch (e) {
    throw operationError(s.port, e, `region ${hex(address)}+${hex(size)} may be partly erased; run erase again`);
  }
}

/** READ_FLASH (stub only), checked against SPI_FLASH_MD5 of the same range. */
export async function readFlash(s: FlasherSession, address: number, size: number): Promise<Uint8Array> {
  needStub(s, 'reading flash');
  let data: Uint8Array;
  try {
    data = await s.guard(
      s.loader.readFlash(address, size, (_p, read, total) => s.emitEvent({ type: 'read-progress', port: s.port, read, total })),
    );
    data = data.subarray(0, size);
    const want = await s.md5(address, size);
    if (md5Hex(data) !== want) {
      throw new UserError('read.verify-failed', `data read from ${hex(address)} does not match the flash MD5`, 'run read-flash again, with a lower --baud if it repeats', exitCodes.verify);
    }
  } catch (e) {
    throw operationError(s.port, e, 'nothing was saved');
  }
  return data;
}
