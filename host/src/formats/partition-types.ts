/**
 * Partition table vocabulary as data. Source: ESP-IDF `components/partition_table/
 * gen_esp32part.py` (TYPES, SUBTYPES, ALIGNMENT, MAX_PARTITION_LENGTH, MD5_PARTITION_BEGIN,
 * STRUCT_FORMAT `<2sBBLL16sL`) and `esp_partition.h`; summarised in
 * docs/partition-tables.md §3.
 */

/** One partition, as both the CSV and the binary form describe it. */
export interface PartitionEntry {
  /** Label, at most 16 bytes (the binary field; NUL-padded). */
  label: string;
  /** 0 app, 1 data, 2 bootloader, 3 partition_table, 0x40–0xFE custom. */
  type: number;
  subtype: number;
  offset: number;
  size: number;
  encrypted: boolean;
  readonly: boolean;
}

export const TYPES: Readonly<Record<string, number>> = { app: 0x00, data: 0x01, bootloader: 0x02, partition_table: 0x03 };
export const APP = 0x00;
export const DATA = 0x01;
/** The data subtype of a SPIFFS partition. */
export const SPIFFS_SUBTYPE = 0x82;

const appSubtypes: Record<string, number> = { factory: 0x00, test: 0x20 };
for (let n = 0; n < 16; n++) appSubtypes[`ota_${n}`] = 0x10 + n;

export const SUBTYPES: Readonly<Record<number, Readonly<Record<string, number>>>> = {
  [APP]: appSubtypes,
  [DATA]: {
    ota: 0x00, phy: 0x01, nvs: 0x02, coredump: 0x03, nvs_keys: 0x04, efuse: 0x05, undefined: 0x06,
    esphttpd: 0x80, fat: 0x81, spiffs: 0x82, littlefs: 0x83,
  },
  0x02: { primary: 0x00, ota: 0x01 },
  0x03: { primary: 0x00, ota: 0x01 },
};

/** Offset alignment: app partitions 64 KiB (MMU page), everything else 4 KiB (flash sector). */
export function offsetAlignment(type: number): number {
  return type === APP ? 0x10000 : 0x1000;
}

/** Flags word bits. */
export const FLAG_BITS = { encrypted: 1 << 0, readonly: 1 << 1 } as const;

export const ENTRY_SIZE = 32;
export const ENTRY_MAGIC = 0x50aa;
export const MD5_MAGIC = 0xebeb;
/** The binary table (entries + MD5 entry + 0xFF padding) is exactly this long. */
export const TABLE_LENGTH = 0xc00;
/** The table occupies one 4 KiB sector; partitions start after it. */
export const TABLE_SECTOR = 0x1000;
export const DEFAULT_TABLE_OFFSET = 0x8000;
export const LABEL_BYTES = 16;

/** Largest value of each binary field (`<2sBBLL16sL`: type and subtype one byte, offset and size four). */
export const FIELD_MAX = { type: 0xff, subtype: 0xff, offset: 0xffff_ffff, size: 0xffff_ffff } as const;
export type NumericField = keyof typeof FIELD_MAX;

/** `0x1f`, or the number as JavaScript prints it when it is not a whole number (`NaN`, `Infinity`, `1.5`). */
export function showNumber(n: number): string {
  return Number.isInteger(n) ? `${n < 0 ? '-' : ''}0x${Math.abs(n).toString(16)}` : String(n);
}

/** Why `n` does not fit the binary `field` (a whole number from 0 to its maximum), or undefined when it fits. */
export function fieldProblem(field: NumericField, n: number): string | undefined {
  const max = FIELD_MAX[field];
  if (Number.isNaN(n)) return `${field} is not a number`;
  if (n < 0) return `${field} ${showNumber(n)} is negative`;
  // Infinity too: a decimal of more than 308 digits reads as Infinity.
  if (n > max) return `${field} ${showNumber(n)} does not fit the ${max === 0xff ? '1-byte' : '4-byte'} field (at most ${showNumber(max)})`;
  if (!Number.isInteger(n)) return `${field} ${showNumber(n)} is not a whole number`;
  return undefined;
}

/**
 * Why `label` cannot be stored in the 16-byte label field and read back as the same string, or
 * undefined: longer than 16 bytes of UTF-8 (`label-too-long`), or holding a NUL, which ends the
 * field, or a lone surrogate, which UTF-8 cannot encode (`bad-label`).
 */
export function labelProblem(label: string): { code: 'label-too-long' | 'bad-label'; reason: string } | undefined {
  if (label.includes('\0')) return { code: 'bad-label', reason: 'contains a NUL character, which ends the label field' };
  if (/\p{Cs}/u.test(label)) return { code: 'bad-label', reason: 'contains a lone UTF-16 surrogate, which UTF-8 cannot encode' };
  const bytes = new TextEncoder().encode(label).length;
  if (bytes > LABEL_BYTES) return { code: 'label-too-long', reason: `is ${bytes} bytes; the limit is ${LABEL_BYTES}` };
  return undefined;
}

export function typeName(type: number): string {
  return Object.keys(TYPES).find((k) => TYPES[k] === type) ?? `0x${type.toString(16).padStart(2, '0')}`;
}

export function subtypeName(type: number, subtype: number): string {
  const names = SUBTYPES[type] ?? {};
  return Object.keys(names).find((k) => names[k] === subtype) ?? `0x${subtype.toString(16).padStart(2, '0')}`;
}
