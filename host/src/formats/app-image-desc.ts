/**
 * `esp_app_desc_t` (ESP-IDF `esp_app_format.h`): the 256-byte description an app carries at the
 * start of its first (DROM) segment, which `esp_ota_get_app_description()` and esptool's
 * `image_info` read. Layout: u32 magic 0xABCD5432, u32 secure_version, u32 reserved[2],
 * char version[32], project_name[32], time[16], date[16], idf_ver[32], u8 app_elf_sha256[32],
 * then 80 reserved bytes. Pure.
 */
export const APP_DESC_MAGIC = 0xabcd5432;
export const APP_DESC_LENGTH = 256;

const field = { version: [16, 32], projectName: [48, 32], time: [80, 16], date: [96, 16], idfVersion: [112, 32] } as const;
const ELF_SHA_AT = 144;

export interface AppDescription {
  readonly secureVersion: number;
  readonly version: string;
  readonly projectName: string;
  readonly time: string;
  readonly date: string;
  readonly idfVersion: string;
  readonly elfSha256: Uint8Array;
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** Reads a description from the start of `segment`, or `undefined` when the magic is absent. */
export function parseAppDescription(segment: Uint8Array): AppDescription | undefined {
  if (segment.length < APP_DESC_LENGTH) return undefined;
  const view = new DataView(segment.buffer, segment.byteOffset, APP_DESC_LENGTH);
  if (view.getUint32(0, true) !== APP_DESC_MAGIC) return undefined;
  const text = ([at, len]: readonly [number, number]): string => {
    const raw = segment.subarray(at, at + len);
    const nul = raw.indexOf(0);
    return decoder.decode(nul < 0 ? raw : raw.subarray(0, nul));
  };
  return {
    secureVersion: view.getUint32(4, true),
    version: text(field.version),
    projectName: text(field.projectName),
    time: text(field.time),
    date: text(field.date),
    idfVersion: text(field.idfVersion),
    elfSha256: segment.slice(ELF_SHA_AT, ELF_SHA_AT + 32),
  };
}

/**
 * Encodes a description. Strings longer than their field (less one byte for the NUL) throw a
 * RangeError: callers pass constants.
 */
export function encodeAppDescription(d: Partial<AppDescription> & { readonly version: string; readonly projectName: string }): Uint8Array {
  const out = new Uint8Array(APP_DESC_LENGTH);
  const view = new DataView(out.buffer);
  view.setUint32(0, APP_DESC_MAGIC, true);
  view.setUint32(4, d.secureVersion ?? 0, true);
  const put = ([at, len]: readonly [number, number], value: string, name: string): void => {
    const bytes = encoder.encode(value);
    if (bytes.length >= len) throw new RangeError(`esp_app_desc_t ${name} "${value}" is longer than ${len - 1} bytes`);
    out.set(bytes, at);
  };
  put(field.version, d.version, 'version');
  put(field.projectName, d.projectName, 'project_name');
  put(field.time, d.time ?? '00:00:00', 'time');
  put(field.date, d.date ?? 'Jan  1 2026', 'date');
  put(field.idfVersion, d.idfVersion ?? 'v4.4.7', 'idf_ver');
  if (d.elfSha256) out.set(d.elfSha256.subarray(0, 32), ELF_SHA_AT);
  return out;
}
