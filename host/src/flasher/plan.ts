import { createHash } from 'node:crypto';
import { UserError } from '../errors.js';
import { exitCodes } from './exit-codes.js';
import { checkImageHeader } from '../formats/app-image.js';
import { PARTITION_MAGIC, SECTOR, fsSubtypes, offsets, type PartitionSlot } from '../formats/flash-layout.js';
import { flashEnd } from './flash-range.js';

export type ImageRole = 'bootloader' | 'partition-table' | 'otadata' | 'app' | 'filesystem' | 'data';

/** An image to write: where, what, and a name for messages (usually the file path). */
export interface FlashImage {
  address: number;
  data: Uint8Array;
  name: string;
  /** Forces the role; otherwise it is inferred from the address and the partition table. */
  role?: ImageRole;
}

export interface PlannedImage extends FlashImage {
  role: ImageRole;
  /** The partition the image lands in, when a table is known. */
  partition?: PartitionSlot;
  /** Lowercase hex MD5 of the bytes as they will be in flash (padded to 4 bytes with 0xFF). */
  md5: string;
}

export interface PlanInput {
  images: readonly FlashImage[];
  /** The partition table the images are checked against (the one being flashed, if any). */
  table?: readonly PartitionSlot[];
  /** Flash size in bytes; images must end inside it. */
  flashSize?: number;
}

export interface Plan {
  images: PlannedImage[];
  /** Sum of image sizes (uncompressed). */
  totalBytes: number;
}

const hex = (n: number) => `0x${n.toString(16)}`;

function fail(code: string, message: string, hint: string): never {
  throw new UserError(code, message, hint, exitCodes.usage);
}

/** esptool-js pads every image to a multiple of 4 with 0xFF before writing and hashing it. */
export function padImage(data: Uint8Array): Uint8Array {
  if (data.length % 4 === 0) return data;
  const out = new Uint8Array(data.length + (4 - (data.length % 4))).fill(0xff);
  out.set(data);
  return out;
}

export function md5Hex(data: Uint8Array): string {
  return createHash('md5').update(data).digest('hex');
}

function partitionAt(table: readonly PartitionSlot[] | undefined, address: number): PartitionSlot | undefined {
  return table?.find((p) => address >= p.offset && address < p.offset + p.size);
}

function inferRole(img: FlashImage, part: PartitionSlot | undefined): ImageRole {
  if (img.role) return img.role;
  if (img.address === offsets.bootloader) return 'bootloader';
  if (img.address === offsets.partitionTable) return 'partition-table';
  if (part && part.offset === img.address) {
    if (part.type === 0) return 'app';
    if (part.subtype === 0x00) return 'otadata';
    if (fsSubtypes[part.subtype] !== undefined) return 'filesystem';
    return 'data';
  }
  if (!part && img.address === offsets.bootApp0) return 'otadata';
  if (!part && img.address === offsets.app) return 'app';
  return 'data';
}

/**
 * Pure: checks every image before anything is written and returns the plan. Throws a
 * `UserError` (exit code 2) naming the image and what to fix.
 */
export function makePlan(input: PlanInput): Plan {
  const images: PlannedImage[] = [];
  for (const img of input.images) {
    if (img.data.length === 0) fail('image.empty', `${img.name} is empty`, 'rebuild it (pio run) or pass the right file');
    if (img.address % SECTOR !== 0) {
      fail('image.unaligned', `${img.name}: address ${hex(img.address)} is not a multiple of 4096 (a flash sector)`,
        'flash addresses must be sector-aligned, e.g. 0x10000');
    }
    const end = img.address + img.data.length;
    if (input.flashSize !== undefined && end > input.flashSize) {
      const room = input.flashSize - img.address;
      fail('image.too-big-for-flash', `${img.name} ends at ${hex(end)}, past the end of the ${flashEnd(input.flashSize)}`,
        room > 0 ? `at ${hex(img.address)} an image of at most ${hex(room)} bytes fits: check the address, or use a board with more flash`
          : 'check the address, or use a board with more flash');
    }
    const part = partitionAt(input.table, img.address);
    const role = inferRole(img, part);
    if (role === 'bootloader' || role === 'app') {
      checkImageHeader(img.data, { name: `${img.name} at ${hex(img.address)}`, role, hint: 'check the file: PlatformIO puts them in .pio/build/<env>/ (bootloader.bin, firmware.bin)' });
    }
    if (role === 'partition-table' && (img.data[0] !== PARTITION_MAGIC[0] || img.data[1] !== PARTITION_MAGIC[1])) {
      fail('image.bad-partition-table', `${img.name} at ${hex(img.address)} is not a binary partition table (no AA 50 magic)`,
        'pass partitions.bin from the build folder, not the CSV');
    }
    if (part) {
      const partEnd = part.offset + part.size;
      if (end > partEnd) {
        fail('image.too-big-for-partition',
          `${img.name} is ${img.data.length} bytes; partition '${part.label}' at ${hex(part.offset)} holds ${part.size - (img.address - part.offset)}`,
          role === 'app' ? 'make the app smaller or choose a partition table with a bigger app slot (board_build.partitions)'
            : 'make the image smaller or choose a partition table with a bigger partition');
      }
      if (role === 'filesystem' && img.data.length !== part.size) {
        fail('image.fs-size-mismatch',
          `filesystem image ${img.name} is ${img.data.length} bytes but partition '${part.label}' is ${part.size} bytes`,
          'rebuild the image for this partition table (esp-sse fs build, or pio run -t buildfs)');
      }
    }
    const planned: PlannedImage = { ...img, role, md5: md5Hex(padImage(img.data)) };
    if (part) planned.partition = part;
    images.push(planned);
  }
  const sorted = [...images].sort((a, b) => a.address - b.address);
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1]!;
    const cur = sorted[i]!;
    if (prev.address + prev.data.length > cur.address) {
      fail('image.overlap', `${prev.name} (${hex(prev.address)}..${hex(prev.address + prev.data.length)}) overlaps ${cur.name} at ${hex(cur.address)}`,
        'check the ADDRESS FILE pairs');
    }
  }
  return { images: sorted, totalBytes: sorted.reduce((n, i) => n + i.data.length, 0) };
}
