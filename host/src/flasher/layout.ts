/**
 * The classic ESP32 Arduino/PlatformIO flash layout and the image facts the plan checks.
 * Sources: platform-espressif32 `builder/main.py` (FLASH_EXTRA_IMAGES, ESP32_APP_OFFSET,
 * fetch_fs_size); ESP-IDF `gen_esp32part.py` (entry magic, types); esptool `bin_image.py` and
 * `docs/en/advanced-topics/firmware-image-format.rst` (header magic, extended-header chip ID).
 * Summarised in docs/partition-tables.md §1, §3, §7.
 */
export const offsets = {
  bootloader: 0x1000,
  partitionTable: 0x8000,
  bootApp0: 0xe000,
  app: 0x10000,
} as const;

export const SECTOR = 0x1000;

/** App/bootloader image magic (byte 0). */
export const IMAGE_MAGIC = 0xe9;
/** Extended header: u16 chip ID at bytes 12–13; 0 = ESP32. */
export const CHIP_ID_OFFSET = 12;
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
export const ESP32_CHIP_ID = 0;

/** Partition table entry magic `AA 50`. */
export const PARTITION_MAGIC = [0xaa, 0x50] as const;

/** Data partition subtypes that hold a filesystem PlatformIO can upload (spiffs, fat, littlefs). */
export const fsSubtypes: Readonly<Record<number, string>> = { 0x81: 'fat', 0x82: 'spiffs', 0x83: 'littlefs' };

/** What the flasher needs from a partition table entry (formats/ produces these). */
export interface PartitionSlot {
  label: string;
  /** 0 = app, 1 = data. */
  type: number;
  subtype: number;
  offset: number;
  size: number;
}

/**
 * The filesystem partition PlatformIO's `uploadfs` uses: the last data partition of subtype
 * spiffs/fat/littlefs (`builder/main.py` `fetch_fs_size` keeps overwriting while scanning).
 */
export function findFsPartition(table: readonly PartitionSlot[]): PartitionSlot | undefined {
  let found: PartitionSlot | undefined;
  for (const p of table) if (p.type === 1 && fsSubtypes[p.subtype] !== undefined) found = p;
  return found;
}
