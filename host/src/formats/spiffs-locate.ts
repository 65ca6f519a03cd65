import { UserError } from '../errors.js';
import { safeText } from '../safe-text.js';
import { pickFsPartition } from './fs-partition.js';
import { decodePartitionTable } from './partition-binary.js';
import { DEFAULT_TABLE_OFFSET, TABLE_LENGTH, type PartitionEntry } from './partition-types.js';

/** Where the filesystem volume was found in a file. */
export interface SpiffsRegion {
  /** The volume's bytes (a view into the file). */
  image: Uint8Array;
  offset: number;
  size: number;
  /** `image`: the whole file; `flash`: a full flash dump, found through its partition table; `given`: --offset/--size. */
  from: 'image' | 'flash' | 'given';
  /** The partition label when found through a table. */
  label?: string;
  /** The flash dump's partition table, when found through one. */
  table?: PartitionEntry[];
}

const hex = (n: number): string => `0x${n.toString(16)}`;

/** True when the file holds a partition table at 0x8000, as a full flash dump does. */
export function looksLikeFlashDump(bytes: Uint8Array): boolean {
  return bytes.length >= DEFAULT_TABLE_OFFSET + TABLE_LENGTH && bytes[DEFAULT_TABLE_OFFSET] === 0xaa && bytes[DEFAULT_TABLE_OFFSET + 1] === 0x50;
}

/**
 * The filesystem volume (SPIFFS or LittleFS) in `bytes`: the byte range given (`offset`,
 * `size`), else — for a full flash dump (`esp-sse read-flash`, the emulator's `--flash` file) — the filesystem partition
 * its table at 0x8000 names (the last spiffs/fat/littlefs data partition, or `label`), else
 * the whole file. Errors: `fs.bad-region` (range outside the file), and those of
 * {@link pickFsPartition}.
 */
export function locateSpiffs(bytes: Uint8Array, opts: { offset?: number; size?: number; label?: string } = {}): SpiffsRegion {
  if (opts.offset !== undefined || opts.size !== undefined) {
    const offset = opts.offset ?? 0;
    const size = opts.size ?? bytes.length - offset;
    if (offset < 0 || size <= 0 || offset + size > bytes.length) {
      throw new UserError('fs.bad-region', `the range ${hex(offset)}+${hex(Math.max(size, 0))} is outside the ${bytes.length}-byte (${hex(bytes.length)}) file`,
        'give --offset and --size of the filesystem partition inside the file');
    }
    return { image: bytes.subarray(offset, offset + size), offset, size, from: 'given' };
  }
  const entries = looksLikeFlashDump(bytes) ? decodePartitionTable(bytes.subarray(DEFAULT_TABLE_OFFSET, DEFAULT_TABLE_OFFSET + TABLE_LENGTH)).entries : undefined;
  if (!entries && opts.label === undefined) return { image: bytes, offset: 0, size: bytes.length, from: 'image' };
  const part = pickFsPartition(entries ?? [], {
    name: "the flash dump's partition table",
    hint: 'name one with --partition LABEL, or give --offset and --size',
    ...(entries ? {} : {
      empty: { message: `--partition ${safeText(opts.label ?? '')} needs a full flash dump with a partition table at 0x8000; this file has none`, hint: 'drop --partition for a plain image' },
    }),
  }, opts.label !== undefined ? { label: opts.label } : {});
  if (part.offset + part.size > bytes.length) {
    throw new UserError('fs.bad-region', `partition '${safeText(part.label)}' (${hex(part.offset)}+${hex(part.size)}) reaches past the end of the ${hex(bytes.length)}-byte dump`,
      'read the whole flash (esp-sse read-flash) or give --offset and --size');
  }
  return { image: bytes.subarray(part.offset, part.offset + part.size), offset: part.offset, size: part.size, from: 'flash', label: part.label, table: entries ?? [] };
}
