/**
 * Builds valid ESP32 images the way esptool's `ESP32FirmwareImage.save()` lays them out:
 * common header, 16-byte extended header, the segments (lengths padded to 4 with zeros), zero
 * padding so the checksum byte lands at offset ≡ 15 (mod 16), the checksum, then the SHA-256 of
 * everything before it when `hashAppended`. Segments are written in the order given; a
 * flash-mapped segment (DROM/IROM) must sit where the MMU can map it (data offset ≡ load
 * address mod 64 KiB), as esptool arranges. Pure.
 */
import { createHash } from 'node:crypto';
import {
  CHECKSUM_SEED, ESP32_CHIP_ID, FLASH_FREQS, FLASH_MODES, FLASH_SIZES, HEADER_LENGTH, IMAGE_MAGIC,
  MAX_SEGMENTS, SEGMENT_HEADER_LENGTH, WP_PIN_DISABLED, imageChecksum, type FlashMode,
} from './app-image.js';

export interface SegmentInput {
  readonly loadAddress: number;
  readonly data: Uint8Array;
}

export interface ImageInput {
  readonly segments: readonly SegmentInput[];
  readonly entry: number;
  readonly flashMode?: FlashMode;
  /** Bytes; default 4 MB. */
  readonly flashSize?: number;
  /** MHz; default 40 (PlatformIO's esp32dev). */
  readonly flashFreqMhz?: number;
  /** Default true, as esptool writes ESP32 images. */
  readonly hashAppended?: boolean;
  readonly chipId?: number;
}

/** ESP32 flash-mapped address ranges (`ESP32ROM` IROM_MAP / DROM_MAP). */
export function isFlashMapped(address: number): boolean {
  return (address >= 0x400d0000 && address < 0x40400000) || (address >= 0x3f400000 && address < 0x3f800000);
}

const MMU_PAGE = 0x10000;

function keyOf(table: Readonly<Record<number, number>>, value: number, what: string): number {
  const key = Object.keys(table).map(Number).find((k) => table[k] === value);
  if (key === undefined) throw new RangeError(`${what} ${value} is not one of ${Object.values(table).join(', ')}`);
  return key;
}

/** Encodes an image; throws a RangeError for inputs the format cannot hold (a programming error). */
export function buildAppImage(input: ImageInput): Uint8Array {
  const segs = input.segments.map((s) => ({ loadAddress: s.loadAddress, data: padTo4(s.data) }));
  if (segs.length === 0 || segs.length > MAX_SEGMENTS) throw new RangeError(`an image holds 1..${MAX_SEGMENTS} segments, not ${segs.length}`);
  const mode = FLASH_MODES.indexOf(input.flashMode ?? 'DIO');
  const sizeKey = keyOf(FLASH_SIZES, input.flashSize ?? 4 << 20, 'flash size');
  const freqKey = keyOf(FLASH_FREQS, input.flashFreqMhz ?? 40, 'flash frequency');
  const body = segs.reduce((n, s) => n + SEGMENT_HEADER_LENGTH + s.data.length, HEADER_LENGTH);
  const checksumAt = body + (15 - (body % 16));
  const hashed = input.hashAppended ?? true;
  const out = new Uint8Array(checksumAt + 1 + (hashed ? 32 : 0));
  const view = new DataView(out.buffer);
  out[0] = IMAGE_MAGIC;
  out[1] = segs.length;
  out[2] = mode;
  out[3] = (sizeKey << 4) | freqKey;
  view.setUint32(4, input.entry >>> 0, true);
  out[8] = WP_PIN_DISABLED;
  view.setUint16(12, input.chipId ?? ESP32_CHIP_ID, true);
  out[23] = hashed ? 1 : 0;
  let at = HEADER_LENGTH;
  let checksum = CHECKSUM_SEED;
  for (const s of segs) {
    const dataAt = at + SEGMENT_HEADER_LENGTH;
    if (isFlashMapped(s.loadAddress) && dataAt % MMU_PAGE !== s.loadAddress % MMU_PAGE) {
      throw new RangeError(`flash-mapped segment at 0x${s.loadAddress.toString(16)} would sit at image offset 0x${dataAt.toString(16)}; the MMU needs them equal mod 0x10000`);
    }
    view.setUint32(at, s.loadAddress >>> 0, true);
    view.setUint32(at + 4, s.data.length, true);
    out.set(s.data, dataAt);
    checksum = imageChecksum(s.data, checksum);
    at = dataAt + s.data.length;
  }
  out[checksumAt] = checksum;
  if (hashed) out.set(createHash('sha256').update(out.subarray(0, checksumAt + 1)).digest(), checksumAt + 1);
  return out;
}

function padTo4(data: Uint8Array): Uint8Array {
  if (data.length % 4 === 0) return data;
  const out = new Uint8Array(data.length + (4 - (data.length % 4)));
  out.set(data);
  return out;
}
