/**
 * The second-stage bootloader's decisions (ESP-IDF `bootloader_utility`): load the partition
 * table at 0x8000 (entries, MD5), read otadata to pick the OTA slot (else factory, else the
 * first OTA app), verify that app's image (checksum, SHA-256, chip id) and fall back to the
 * other app partitions in table order. Arduino builds its bootloader with
 * `CONFIG_BOOTLOADER_LOG_LEVEL_NONE` (arduino-esp32 `tools/sdk/esp32/sdkconfig`), so none of
 * this prints anything on a real board; a failure ends in a software reset. The reason is
 * returned for diagnostics. Pure over the flash bytes.
 */
import { parseAppImage, type AppImage } from '../../formats/app-image.js';
import { decodePartitionTable } from '../../formats/partition-binary.js';
import { APP, DATA, DEFAULT_TABLE_OFFSET, TABLE_LENGTH, type PartitionEntry } from '../../formats/partition-types.js';
import { activeOtaSequence } from './otadata.js';

const FACTORY = 0x00;
const OTA_0 = 0x10;
const OTA_DATA = 0x00;

export type SecondStage =
  | { readonly ok: true; readonly table: readonly PartitionEntry[]; readonly app: PartitionEntry; readonly image: AppImage }
  | { readonly ok: false; readonly reason: string };

const inFlash = (bytes: Uint8Array, p: PartitionEntry): boolean => p.offset + p.size <= bytes.length;

/** Runs the bootloader's selection over the whole flash contents. */
export function secondStageBoot(flash: Uint8Array): SecondStage {
  let table: PartitionEntry[];
  try {
    table = decodePartitionTable(flash.subarray(DEFAULT_TABLE_OFFSET, DEFAULT_TABLE_OFFSET + TABLE_LENGTH)).entries;
  } catch (e) {
    return { ok: false, reason: `partition table at 0x8000: ${(e as Error).message}` };
  }
  if (table.length === 0) return { ok: false, reason: 'no partition table at 0x8000 (erased)' };
  const apps = table.filter((p) => p.type === APP && inFlash(flash, p));
  const otas = apps.filter((p) => p.subtype >= OTA_0 && p.subtype < OTA_0 + 16).sort((a, b) => a.subtype - b.subtype);
  const factory = apps.find((p) => p.subtype === FACTORY);
  const otadata = table.find((p) => p.type === DATA && p.subtype === OTA_DATA && inFlash(flash, p));
  const seq = otadata && otas.length > 0 ? activeOtaSequence(flash.subarray(otadata.offset, otadata.offset + otadata.size)) : undefined;
  const first = seq !== undefined ? otas[(seq - 1) % otas.length] : factory ?? otas[0];
  const order = first ? [first, ...apps.filter((p) => p !== first)] : apps;
  if (order.length === 0) return { ok: false, reason: 'no app partition in the partition table' };
  const failures: string[] = [];
  for (const app of order) {
    try {
      const image = parseAppImage(flash.subarray(app.offset, app.offset + app.size));
      return { ok: true, table, app, image };
    } catch (e) {
      failures.push(`${app.label} at 0x${app.offset.toString(16)}: ${(e as Error).message}`);
    }
  }
  return { ok: false, reason: `no bootable app partition (${failures.join('; ')})` };
}
