/**
 * The classic ESP32 Arduino/PlatformIO flash layout, as data: where each image goes, the flash
 * sector, the image header's magic and chip ids, and the data subtypes that hold a filesystem.
 * Sources: platform-espressif32 `builder/main.py` (FLASH_EXTRA_IMAGES, ESP32_APP_OFFSET);
 * ESP-IDF `gen_esp32part.py` (entry magic, subtypes); esptool `bin_image.py` and
 * `docs/en/advanced-topics/firmware-image-format.rst` (header magic, extended-header chip id).
 * Summarised in docs/partition-tables.md §1, §3, §7. Which partition holds the filesystem is
 * fs-partition.ts's to say.
 */
import { DATA, DEFAULT_TABLE_OFFSET, ENTRY_MAGIC, SUBTYPES, type PartitionEntry } from './partition-types.js';

/** Where `pio run -t upload` writes each image. */
export const offsets = {
  bootloader: 0x1000,
  partitionTable: DEFAULT_TABLE_OFFSET,
  bootApp0: 0xe000,
  app: 0x10000,
} as const;

/** The flash sector: the unit of erase, and the alignment of every write. */
export const SECTOR = 0x1000;

/** App/bootloader image magic (byte 0). */
export const IMAGE_MAGIC = 0xe9;
/** Extended header: u16 chip id at bytes 12–13. */
export const CHIP_ID_OFFSET = 12;
/** `IMAGE_CHIP_ID` of the ESP32 (`ESP32ROM`). */
export const ESP32_CHIP_ID = 0;
/** Chip ids of the extended header, by the name esptool gives the chip. */
export const chipIds: Readonly<Record<number, string>> = {
  0x0000: 'ESP32',
  0x0002: 'ESP32-S2',
  0x0005: 'ESP32-C3',
  0x0009: 'ESP32-S3',
  0x000c: 'ESP32-C2',
  0x000d: 'ESP32-C6',
  0x0010: 'ESP32-H2',
  0x0012: 'ESP32-P4',
};

/** The chip's name for messages: `ESP32-S3`, or `chip id 0x63` for an unknown one. */
export function chipName(id: number): string {
  return chipIds[id] ?? `chip id 0x${id.toString(16)}`;
}

/** A partition table entry's first two bytes (`AA 50`). */
export const PARTITION_MAGIC = [ENTRY_MAGIC & 0xff, ENTRY_MAGIC >> 8] as const;

/** Data partition subtypes that hold a filesystem PlatformIO can upload: fat, spiffs, littlefs. */
export const fsSubtypes: Readonly<Record<number, string>> = Object.fromEntries(
  (['fat', 'spiffs', 'littlefs'] as const).map((name) => [SUBTYPES[DATA]![name]!, name]),
);

/** What the flasher needs from a partition table entry (the table parsers produce these). */
export type PartitionSlot = Pick<PartitionEntry, 'label' | 'type' | 'subtype' | 'offset' | 'size'>;

/** True for a data partition of subtype fat, spiffs or littlefs. */
export function isFsPartition(p: Pick<PartitionEntry, 'type' | 'subtype'>): boolean {
  return p.type === DATA && fsSubtypes[p.subtype] !== undefined;
}
