import { UserError } from '../errors.js';
import type { ChipInfo } from './events.js';
import { exitCodes } from './exit-codes.js';

const hex = (n: number) => `0x${n.toString(16)}`;

/** esptool-js's size names (from the JEDEC capacity byte) in bytes. */
const FLASH_SIZES: Record<string, number> = { '1MB': 1 << 20, '2MB': 2 << 20, '4MB': 4 << 20, '8MB': 8 << 20, '16MB': 16 << 20, '32MB': 32 << 20 };

/** The flash size the chip reported on connect, in bytes; undefined when its ID was not recognised. */
export function flashBytes(chip: ChipInfo): number | undefined {
  return chip.flashSize ? FLASH_SIZES[chip.flashSize] : undefined;
}

/** `4 MB flash, which ends at 0x400000` */
export function flashEnd(flashSize: number): string {
  return `${flashSize >> 20} MB flash, which ends at ${hex(flashSize)}`;
}

/**
 * Pure: checks a read against the flash size detected on connect, before anything is sent, and
 * returns the byte count (`size` undefined = up to the end). `read.out-of-range` (exit 2) says
 * where the flash ends and which range would fit.
 */
export function checkReadRange(address: number, size: number | undefined, flashSize: number): number {
  if (address >= flashSize) {
    throw new UserError('read.out-of-range', `address ${hex(address)} is past the end of the ${flashEnd(flashSize)}`,
      `read from an address below ${hex(flashSize)}; the whole flash is esp-sse read-flash 0x0 ALL FILE`, exitCodes.usage);
  }
  const count = size ?? flashSize - address;
  if (address + count > flashSize) {
    const fits = flashSize - address;
    throw new UserError('read.out-of-range',
      `${hex(address)}+${hex(count)} ends at ${hex(address + count)}, past the end of the ${flashEnd(flashSize)}`,
      `read at most ${hex(fits)} bytes from ${hex(address)}: esp-sse read-flash ${hex(address)} ${hex(fits)} FILE (or ALL for the rest of the flash)`,
      exitCodes.usage);
  }
  return count;
}

/** Pure: a partition the board's own table names must lie inside its flash to be read. */
export function checkPartitionInFlash(label: string, offset: number, size: number, flashSize: number): void {
  if (offset + size <= flashSize) return;
  throw new UserError('read.out-of-range',
    `partition '${label}' (${hex(offset)}..${hex(offset + size)}) ends past the end of the ${flashEnd(flashSize)}`,
    'the board holds a partition table made for a bigger flash: flash a table that fits this chip (board_build.partitions in platformio.ini)',
    exitCodes.usage);
}
