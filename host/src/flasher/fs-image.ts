import { UserError } from '../errors.js';
import { DATA, SPIFFS_SUBTYPE, type PartitionEntry } from '../formats/partition-types.js';
import { mountedSpiffsPartition } from '../formats/partition-validate.js';
import { buildFolderImage } from '../settings/fs-image.js';
import { exitCodes } from './exit-codes.js';
import { findFsPartition, fsSubtypes, type PartitionSlot } from './layout.js';
import type { FlashImage } from './plan.js';

/**
 * The filesystem partition to write: the one named `label`, else the last spiffs/fat/littlefs
 * data partition (PlatformIO's rule). Checks it exists and holds a filesystem.
 */
export function selectFsPartition(table: readonly PartitionSlot[], label?: string): PartitionSlot {
  if (label !== undefined) {
    const p = table.find((x) => x.label === label);
    if (!p) {
      throw new UserError('fs.no-partition', `the partition table has no partition named '${label}' (it has: ${table.map((x) => x.label).join(', ')})`,
        'pass the label of the filesystem partition with --partition, or use a table with one (board_build.partitions)', exitCodes.usage);
    }
    if (p.type !== 1 || fsSubtypes[p.subtype] === undefined) {
      throw new UserError('fs.not-filesystem', `partition '${label}' is not a filesystem partition (type ${p.type}, subtype 0x${p.subtype.toString(16)})`,
        'choose a data partition of subtype spiffs, fat or littlefs', exitCodes.usage);
    }
    return p;
  }
  const p = findFsPartition(table);
  if (!p) {
    throw new UserError('fs.no-partition', 'the partition table has no filesystem partition (data, spiffs/fat/littlefs)',
      'choose a partition table with a spiffs partition (board_build.partitions = default.csv)', exitCodes.usage);
  }
  return p;
}

/**
 * Builds the SPIFFS image of `dataDir` sized exactly to `part`, the way `pio run -t buildfs`
 * does, as a flash image at the partition's offset (errors name the data folder, as `fs build`'s).
 */
export async function buildFsImage(dataDir: string, part: PartitionSlot, filesystem = 'spiffs', onSkip?: (path: string, reason: string) => void): Promise<FlashImage> {
  if (filesystem !== 'spiffs') {
    throw new UserError('fs.unsupported-filesystem', `board_build.filesystem = ${filesystem} is not supported; esp-sse builds SPIFFS images`,
      'set board_build.filesystem = spiffs, or build the image yourself and pass --image FILE', exitCodes.usage);
  }
  const { image } = await buildFolderImage(dataDir, part.size, onSkip);
  return { address: part.offset, data: image, name: `spiffs image of ${dataDir}`, role: 'filesystem' };
}

/**
 * The partition `fs pull` reads from a board's own table: the one named `label`, else the one
 * the sketch's `SPIFFS.begin()` mounts (the first spiffs partition). It must hold SPIFFS.
 */
export function selectPulledPartition(table: readonly PartitionEntry[], label?: string): PartitionEntry {
  if (table.length === 0) {
    throw new UserError('fs.no-partition', 'the board holds no partition table at 0x8000 (erased or never flashed)',
      'flash the firmware first (esp-sse flash), or read a region yourself with esp-sse read-flash', exitCodes.usage);
  }
  const p = label !== undefined ? table.find((x) => x.label === label) : mountedSpiffsPartition(table);
  if (!p) {
    throw new UserError('fs.no-partition', label !== undefined
      ? `the board's partition table has no partition named '${label}' (it has: ${table.map((x) => x.label).join(', ')})`
      : `the board's partition table has no spiffs partition (it has: ${table.map((x) => x.label).join(', ')})`,
    'pass the label of its filesystem partition with --partition', exitCodes.usage);
  }
  if (p.type !== DATA || p.subtype !== SPIFFS_SUBTYPE) {
    throw new UserError('fs.unsupported-filesystem', `partition '${p.label}' is not a spiffs partition (type ${p.type}, subtype 0x${p.subtype.toString(16)}); esp-sse reads SPIFFS`,
      'read it raw with esp-sse read-flash', exitCodes.usage);
  }
  return p;
}
