/**
 * The flash a board has after `pio run -t upload` and `pio run -t uploadfs` with the Arduino
 * defaults (docs/partition-tables.md §1): the bootloader at 0x1000, the partition table
 * (arduino-esp32 `default.csv`) at 0x8000, `boot_app0.bin` at 0xe000, the app at 0x10000 and the
 * SPIFFS image of the data folder at the table's filesystem partition. Pure over a byte array.
 */
import { encodePartitionTable, decodePartitionTable } from '../../formats/partition-binary.js';
import { builtinTable, DEFAULT_TABLE } from '../../formats/partition-builtin.js';
import { parsePartitionCsv } from '../../formats/partition-csv.js';
import { DEFAULT_TABLE_OFFSET, TABLE_LENGTH, type PartitionEntry } from '../../formats/partition-types.js';
import { findFilesystemPartition } from '../../formats/fs-partition.js';
import { buildSpiffs, type SpiffsInput } from '../../formats/spiffs-builder.js';
import { UserError } from '../../errors.js';
import { FLASH_SIZE_4MB } from '../flash.js';
import { emulatorAppImage, emulatorBootloaderImage } from './default-images.js';
import { bootApp0 } from './otadata.js';
import { offsets } from '../../formats/flash-layout.js';

/** PlatformIO's fixed offsets for the ESP32 (`builder/main.py` FLASH_EXTRA_IMAGES, `ESP32_APP_OFFSET`). */
/** Where each image of the default flash goes: PlatformIO's offsets (formats/flash-layout.ts). */
export const flashLayout = { bootloader: offsets.bootloader, partitions: offsets.partitionTable, bootApp0: offsets.bootApp0, app: offsets.app } as const;

/** The partition entries of Arduino's current `default.csv`. */
export function defaultPartitions(): PartitionEntry[] {
  return parsePartitionCsv(builtinTable(DEFAULT_TABLE) ?? '');
}

/** A full 4 MB flash image laid out as PlatformIO flashes it, with `files` in SPIFFS. */
export function defaultFlashImage(files: readonly SpiffsInput[], size = FLASH_SIZE_4MB): Uint8Array {
  const flash = new Uint8Array(size).fill(0xff);
  const table = defaultPartitions();
  flash.set(emulatorBootloaderImage(), flashLayout.bootloader);
  flash.set(encodePartitionTable(table), flashLayout.partitions);
  flash.set(bootApp0(), flashLayout.bootApp0);
  flash.set(emulatorAppImage(), flashLayout.app);
  writeSpiffsImage(flash, files);
  return flash;
}

/**
 * The filesystem partition of the table in `flash`: where `pio run -t uploadfs` writes the data
 * folder's image. `emulate.no-spiffs-partition` when the table is unreadable or has none.
 */
export function dataPartition(flash: Uint8Array): PartitionEntry {
  let part: PartitionEntry | undefined;
  try {
    part = findFilesystemPartition(decodePartitionTable(flash.subarray(DEFAULT_TABLE_OFFSET, DEFAULT_TABLE_OFFSET + TABLE_LENGTH)).entries);
  } catch {
    part = undefined;
  }
  if (!part || part.offset + part.size > flash.length) {
    throw new UserError(
      'emulate.no-spiffs-partition',
      'the flash has no readable partition table with a filesystem partition to put the data folder in',
      'use a flash file with a partition table (or delete it to start from the default layout)',
    );
  }
  return part;
}

/**
 * Builds the SPIFFS image of `files` for the filesystem partition of the table in `flash` and
 * writes it there, as `pio run -t uploadfs` does. `emulate.no-spiffs-partition` as
 * {@link dataPartition}; the builder's `fs.*` errors when the files do not fit.
 */
export function writeSpiffsImage(flash: Uint8Array, files: readonly SpiffsInput[]): PartitionEntry {
  const part = dataPartition(flash);
  flash.set(buildSpiffs(files, part.size), part.offset);
  return part;
}
