import { UserError } from '../errors.js';
import { safeText } from '../safe-text.js';
import { decodePartitionTable } from './partition-binary.js';
import { DEFAULT_TABLE_OFFSET, TABLE_LENGTH, subtypeName } from './partition-types.js';
import { findFilesystemPartition, mountedSpiffsPartition } from './partition-validate.js';

/** Where the SPIFFS volume was found in a file. */
export interface SpiffsRegion {
  /** The volume's bytes (a view into the file). */
  image: Uint8Array;
  offset: number;
  size: number;
  /** `image`: the whole file; `flash`: a full flash dump, found through its partition table; `given`: --offset/--size. */
  from: 'image' | 'flash' | 'given';
  /** The partition label when found through a table. */
  label?: string;
  /** With a table: the partition the board's `SPIFFS.begin()` mounts (the first spiffs one), if any. */
  mounted?: { label: string; offset: number };
}

const hex = (n: number): string => `0x${n.toString(16)}`;

/** True when the file holds a partition table at 0x8000, as a full flash dump does. */
export function looksLikeFlashDump(bytes: Uint8Array): boolean {
  return bytes.length >= DEFAULT_TABLE_OFFSET + TABLE_LENGTH && bytes[DEFAULT_TABLE_OFFSET] === 0xaa && bytes[DEFAULT_TABLE_OFFSET + 1] === 0x50;
}

/**
 * The SPIFFS volume in `bytes`: the byte range given (`offset`, `size`), else — for a full
 * flash dump (`esp-sse read-flash`, the emulator's `--flash` file) — the filesystem partition
 * its table at 0x8000 names (the last spiffs/fat/littlefs data partition, or `label`), else
 * the whole file. Errors: `fs.bad-region` (range outside the file), `fs.no-partition`.
 */
export function locateSpiffs(bytes: Uint8Array, opts: { offset?: number; size?: number; label?: string } = {}): SpiffsRegion {
  if (opts.offset !== undefined || opts.size !== undefined) {
    const offset = opts.offset ?? 0;
    const size = opts.size ?? bytes.length - offset;
    if (offset < 0 || size <= 0 || offset + size > bytes.length) {
      throw new UserError('fs.bad-region', `the range ${hex(offset)}+${hex(Math.max(size, 0))} is outside the ${bytes.length}-byte (${hex(bytes.length)}) file`,
        'give --offset and --size of the spiffs partition inside the file');
    }
    return { image: bytes.subarray(offset, offset + size), offset, size, from: 'given' };
  }
  if (!looksLikeFlashDump(bytes)) {
    if (opts.label !== undefined) {
      throw new UserError('fs.no-partition', `--partition ${opts.label} needs a full flash dump with a partition table at 0x8000; this file has none`, 'drop --partition for a plain SPIFFS image');
    }
    return { image: bytes, offset: 0, size: bytes.length, from: 'image' };
  }
  const { entries } = decodePartitionTable(bytes.subarray(DEFAULT_TABLE_OFFSET, DEFAULT_TABLE_OFFSET + TABLE_LENGTH));
  const part = opts.label !== undefined ? entries.find((e) => e.label === opts.label) : findFilesystemPartition(entries);
  if (!part) {
    const have = entries.map((e) => `${safeText(e.label)} (${subtypeName(e.type, e.subtype)})`).join(', ');
    throw new UserError('fs.no-partition', opts.label !== undefined
      ? `the flash dump's partition table has no partition '${safeText(opts.label)}' (it has: ${have})`
      : `the flash dump's partition table has no filesystem partition (it has: ${have})`,
    'name one with --partition LABEL, or give --offset and --size');
  }
  if (part.offset + part.size > bytes.length) {
    throw new UserError('fs.bad-region', `partition '${safeText(part.label)}' (${hex(part.offset)}+${hex(part.size)}) reaches past the end of the ${hex(bytes.length)}-byte dump`,
      'read the whole flash (esp-sse read-flash) or give --offset and --size');
  }
  const mounted = mountedSpiffsPartition(entries);
  return {
    image: bytes.subarray(part.offset, part.offset + part.size), offset: part.offset, size: part.size, from: 'flash', label: part.label,
    ...(mounted ? { mounted: { label: mounted.label, offset: mounted.offset } } : {}),
  };
}
