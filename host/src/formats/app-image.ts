/**
 * The ESP32 firmware image format (the bootloader at 0x1000 and every app partition), parsed
 * and validated as the ROM and the second-stage bootloader read it. Sources: esptool
 * `bin_image.py` (`ESP32FirmwareImage`: `load_common_header`, `load_extended_header`
 * `<BBBBHBHH4BB`, `read_checksum` via `align_file_position(f, 16)`, the SHA-256 of everything
 * before it when byte 23 is 1, at most 16 segments) and docs/partition-tables.md §7.
 * Pure: bytes in, a description or an {@link AppImageError} out.
 */
import { createHash } from 'node:crypto';
import { UserError } from '../errors.js';
import { parseAppDescription, type AppDescription } from './app-image-desc.js';
import { CHIP_ID_OFFSET, ESP32_CHIP_ID, IMAGE_MAGIC, chipName } from './flash-layout.js';

export { ESP32_CHIP_ID, IMAGE_MAGIC } from './flash-layout.js';
/** The XOR checksum's seed (`ESPLoader.ESP_CHECKSUM_MAGIC`). */
export const CHECKSUM_SEED = 0xef;
/** `WP_PIN_DISABLED`: the value the ROM skips (the ROM prints it as `SPIWP:0xee`). */
export const WP_PIN_DISABLED = 0xee;
export const HEADER_LENGTH = 24;
export const SEGMENT_HEADER_LENGTH = 8;
export const MAX_SEGMENTS = 16;
export const SHA256_LENGTH = 32;

/** Byte 2: SPI flash mode. */
export const FLASH_MODES = ['QIO', 'QOUT', 'DIO', 'DOUT'] as const;
export type FlashMode = (typeof FLASH_MODES)[number];
/** Byte 3 high nibble → flash size in bytes. */
export const FLASH_SIZES: Readonly<Record<number, number>> = { 0: 1 << 20, 1: 2 << 20, 2: 4 << 20, 3: 8 << 20, 4: 16 << 20 };
/** Byte 3 low nibble → SPI clock in MHz. */
export const FLASH_FREQS: Readonly<Record<number, number>> = { 0x0: 40, 0x1: 26, 0x2: 20, 0xf: 80 };

/** One segment: where the bootloader copies (or maps) it, and where it sits in the image. */
export interface ImageSegment {
  readonly loadAddress: number;
  /** Offset of the segment's data (after its 8-byte header) within the image. */
  readonly dataOffset: number;
  readonly data: Uint8Array;
}

/** A parsed, validated image. */
export interface AppImage {
  readonly flashMode: FlashMode;
  /** Bytes, from the size nibble. */
  readonly flashSize: number;
  readonly flashFreqMhz: number;
  readonly entry: number;
  readonly wpPin: number;
  /** SPI pin drive strengths (two per byte in the extended header). */
  readonly drive: { readonly clk: number; readonly q: number; readonly d: number; readonly cs: number; readonly hd: number; readonly wp: number };
  readonly chipId: number;
  readonly minRevFull: number;
  readonly maxRevFull: number;
  readonly hashAppended: boolean;
  readonly segments: readonly ImageSegment[];
  /** The stored checksum byte (equal to the computed one, or parsing failed). */
  readonly checksum: number;
  /** Bytes the image occupies, SHA-256 included. */
  readonly length: number;
  /** The appended SHA-256 (verified), when {@link hashAppended}. */
  readonly sha256?: Uint8Array;
  /** `esp_app_desc_t` at the start of the first segment, when present (apps, not the bootloader). */
  readonly description?: AppDescription;
}

/**
 * The bytes are not a valid ESP32 image. Codes: `image.bad-magic`, `image.too-many-segments`,
 * `image.bad-header`, `image.wrong-chip`, `image.truncated`, `image.bad-segment`,
 * `image.bad-checksum`, `image.bad-sha256`. `offset` is where in the image the problem is.
 */
export class AppImageError extends UserError {
  constructor(
    code: string,
    readonly offset: number,
    message: string,
    hint = 'rebuild the firmware (pio run) and flash it again, or check the offset the image was written at',
  ) {
    super(`image.${code}`, `${message} (at byte 0x${offset.toString(16)} of the image)`, hint);
  }
}

/** `ESPLoader.checksum`: XOR of every byte onto `state`. */
export function imageChecksum(data: Uint8Array, state = CHECKSUM_SEED): number {
  let s = state;
  for (const b of data) s ^= b;
  return s & 0xff;
}

const u32 = (b: Uint8Array, o: number): number => ((b[o] ?? 0) | ((b[o + 1] ?? 0) << 8) | ((b[o + 2] ?? 0) << 16) | ((b[o + 3] ?? 0) << 24)) >>> 0;
const u16 = (b: Uint8Array, o: number): number => (b[o] ?? 0) | ((b[o + 1] ?? 0) << 8);
const hex = (n: number, width = 8): string => `0x${n.toString(16).padStart(width, '0')}`;

/** The first word of the image as the ROM prints it in `invalid header: 0x…`. */
export function headerWord(bytes: Uint8Array): number {
  return u32(bytes, 0);
}

/** How {@link checkImageHeader} names the image and what it expects. */
export interface HeaderCheck {
  /** The image in messages: `bad.bin at 0x10000` (default `the image`). */
  name?: string;
  /** `app`, `bootloader`: what the image should be, in messages. */
  role?: string;
  /** The chip id wanted (default ESP32); null accepts any. */
  chipId?: number | null;
  /** The hint of `image.bad-magic`: where a right image comes from, here. */
  hint?: string;
}

/**
 * The two header facts every loader checks first: the magic byte, and — when the 24-byte
 * header is all there — the extended header's chip id. `image.bad-magic`, `image.wrong-chip`.
 */
export function checkImageHeader(bytes: Uint8Array, opts: HeaderCheck = {}): void {
  const name = opts.name ?? 'the image';
  if (bytes[0] !== IMAGE_MAGIC) {
    throw new AppImageError('bad-magic', 0, `${name} is not an ESP32 ${opts.role ? `${opts.role} ` : ''}image (first byte 0x${(bytes[0] ?? 0).toString(16)}, expected 0x${IMAGE_MAGIC.toString(16)})`,
      opts.hint ?? 'nothing valid is flashed here: flash the bootloader/app, or check the offset');
  }
  const wanted = opts.chipId === undefined ? ESP32_CHIP_ID : opts.chipId;
  if (bytes.length < HEADER_LENGTH || wanted === null) return;
  const chipId = u16(bytes, CHIP_ID_OFFSET);
  if (chipId !== wanted) {
    throw new AppImageError('wrong-chip', CHIP_ID_OFFSET, `${name} was built for ${chipName(chipId)}, not ${chipName(wanted)}`, 'build for an ESP32 board (board = esp32dev in platformio.ini)');
  }
}

/**
 * Parses and validates an image at the start of `bytes` (which may run on past the image, as
 * a flash region does). Checks: the header's magic and chip id ({@link checkImageHeader};
 * `chipId` default ESP32, null for any), the segment count, SPI mode and size, every segment inside the
 * bytes with a length that is a multiple of 4, the checksum byte at the next offset ≡ 15
 * (mod 16), and the appended SHA-256.
 */
export function parseAppImage(bytes: Uint8Array, opts: { chipId?: number | null } = {}): AppImage {
  if (bytes.length < HEADER_LENGTH) throw new AppImageError('truncated', 0, `image is ${bytes.length} bytes, shorter than the ${HEADER_LENGTH}-byte header`);
  checkImageHeader(bytes, opts.chipId === undefined ? {} : { chipId: opts.chipId });
  const count = bytes[1] ?? 0;
  if (count === 0 || count > MAX_SEGMENTS) throw new AppImageError('too-many-segments', 1, `segment count ${count} is not 1..${MAX_SEGMENTS}`);
  const mode = bytes[2] ?? 0;
  const flashMode = FLASH_MODES[mode];
  if (flashMode === undefined) throw new AppImageError('bad-header', 2, `SPI mode byte ${mode} is not 0 (QIO), 1 (QOUT), 2 (DIO) or 3 (DOUT)`);
  const sizeFreq = bytes[3] ?? 0;
  const flashSize = FLASH_SIZES[sizeFreq >> 4];
  const flashFreqMhz = FLASH_FREQS[sizeFreq & 0xf];
  if (flashSize === undefined || flashFreqMhz === undefined) {
    throw new AppImageError('bad-header', 3, `flash size/frequency byte 0x${sizeFreq.toString(16)} names no ESP32 size (high nibble 0–4) or frequency (low nibble 0, 1, 2, f)`);
  }
  const chipId = u16(bytes, CHIP_ID_OFFSET);
  const hashByte = bytes[23] ?? 0;
  if (hashByte > 1) throw new AppImageError('bad-header', 23, `hash-appended byte is 0x${hashByte.toString(16)}, not 0 or 1`);
  const segments: ImageSegment[] = [];
  let at = HEADER_LENGTH;
  let checksum = CHECKSUM_SEED;
  for (let i = 0; i < count; i++) {
    if (at + SEGMENT_HEADER_LENGTH > bytes.length) throw new AppImageError('truncated', at, `segment ${i} header runs past the end (${bytes.length} bytes)`);
    const loadAddress = u32(bytes, at);
    const length = u32(bytes, at + 4);
    if (length % 4 !== 0) throw new AppImageError('bad-segment', at + 4, `segment ${i} length ${length} is not a multiple of 4`);
    const dataOffset = at + SEGMENT_HEADER_LENGTH;
    if (dataOffset + length > bytes.length) throw new AppImageError('truncated', at, `segment ${i} (${length} bytes at ${hex(loadAddress)}) runs past the end of the ${bytes.length} bytes`);
    const data = bytes.subarray(dataOffset, dataOffset + length);
    checksum = imageChecksum(data, checksum);
    segments.push({ loadAddress, dataOffset, data });
    at = dataOffset + length;
  }
  const checksumAt = at + (15 - (at % 16));
  if (checksumAt >= bytes.length) throw new AppImageError('truncated', at, 'the checksum byte is missing');
  const stored = bytes[checksumAt] ?? 0;
  if (stored !== checksum) {
    throw new AppImageError('bad-checksum', checksumAt, `checksum byte is 0x${stored.toString(16).padStart(2, '0')}, the segments give 0x${checksum.toString(16).padStart(2, '0')}`);
  }
  let length = checksumAt + 1;
  let sha256: Uint8Array | undefined;
  if (hashByte === 1) {
    if (length + SHA256_LENGTH > bytes.length) throw new AppImageError('truncated', length, 'the appended SHA-256 is missing');
    sha256 = bytes.slice(length, length + SHA256_LENGTH);
    const digest = createHash('sha256').update(bytes.subarray(0, length)).digest();
    if (!digest.equals(sha256)) {
      throw new AppImageError('bad-sha256', length, `appended SHA-256 ${Buffer.from(sha256).toString('hex')} does not match the image (${digest.toString('hex')})`);
    }
    length += SHA256_LENGTH;
  }
  const first = segments[0];
  const description = first ? parseAppDescription(first.data) : undefined;
  return {
    flashMode,
    flashSize,
    flashFreqMhz,
    entry: u32(bytes, 4),
    wpPin: bytes[8] ?? 0,
    drive: {
      clk: (bytes[9] ?? 0) & 0xf, q: (bytes[9] ?? 0) >> 4,
      d: (bytes[10] ?? 0) & 0xf, cs: (bytes[10] ?? 0) >> 4,
      hd: (bytes[11] ?? 0) & 0xf, wp: (bytes[11] ?? 0) >> 4,
    },
    chipId,
    minRevFull: u16(bytes, 15),
    maxRevFull: u16(bytes, 17),
    hashAppended: hashByte === 1,
    segments,
    checksum: stored,
    length,
    ...(sha256 ? { sha256 } : {}),
    ...(description ? { description } : {}),
  };
}
