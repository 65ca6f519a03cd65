/**
 * The otadata partition (ESP-IDF `esp_ota_select_entry_t`, two 4 KiB sectors, one entry each):
 * u32 ota_seq, u8 seq_label[20], u32 ota_state, u32 crc, where crc = `esp_rom_crc32_le(UINT32_MAX,
 * &ota_seq, 4)` (`bootloader_common_ota_select_crc`). The bootloader boots OTA slot
 * `(max valid seq - 1) % number of OTA apps`; with no valid entry it boots the factory app, or
 * the first OTA app if there is none. Pure.
 */
export const OTADATA_SECTOR = 0x1000;
export const OTADATA_SIZE = 2 * OTADATA_SECTOR;
const ENTRY = 32;

/** `esp_rom_crc32_le(UINT32_MAX, …)`: CRC-32 (reflected 0xEDB88320) with a zero start register. */
export function romCrc32Le(seed: number, data: Uint8Array): number {
  let crc = ~seed >>> 0;
  for (const b of data) {
    crc ^= b;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return ~crc >>> 0;
}

function entry(seq: number): Uint8Array {
  const out = new Uint8Array(ENTRY).fill(0xff);
  const view = new DataView(out.buffer);
  view.setUint32(0, seq, true);
  view.setUint32(28, romCrc32Le(0xffffffff, out.subarray(0, 4)), true);
  return out;
}

/**
 * What Arduino's `boot_app0.bin` holds: sequence 1 in the first sector (select app0), the
 * second sector erased. Built from the struct, not copied (exact file bytes UNVERIFIED, docs/partition-tables.md §6).
 */
export function bootApp0(): Uint8Array {
  const out = new Uint8Array(OTADATA_SIZE).fill(0xff);
  out.set(entry(1), 0);
  return out;
}

/** The highest valid sequence number in an otadata partition, or undefined (blank or bad CRCs). */
export function activeOtaSequence(otadata: Uint8Array): number | undefined {
  let best: number | undefined;
  for (const at of [0, OTADATA_SECTOR]) {
    const e = otadata.subarray(at, at + ENTRY);
    if (e.length < ENTRY) continue;
    const view = new DataView(e.buffer, e.byteOffset, ENTRY);
    const seq = view.getUint32(0, true);
    if (seq === 0xffffffff || seq === 0) continue;
    if (view.getUint32(28, true) !== romCrc32Le(0xffffffff, e.subarray(0, 4))) continue;
    if (best === undefined || seq > best) best = seq;
  }
  return best;
}
