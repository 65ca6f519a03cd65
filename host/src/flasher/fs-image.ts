import { fsTypeLabel, type FsType } from '../formats/fs-type.js';
import { pickFsPartition } from '../formats/fs-partition.js';
import type { PartitionSlot } from '../formats/flash-layout.js';
import type { PartitionEntry } from '../formats/partition-types.js';
import { buildFolderImage } from '../settings/fs-image.js';
import type { FlashImage } from './plan.js';

/**
 * The filesystem partition to write: the one named `label`, else the last spiffs/fat/littlefs
 * data partition (PlatformIO's rule). It must be a filesystem partition.
 */
export function selectFsPartition<T extends PartitionSlot>(table: readonly T[], label?: string): T {
  return pickFsPartition(table, {
    name: 'the partition table',
    hint: 'pass the label of the filesystem partition with --partition, or use a table with one (board_build.partitions = default.csv)',
  }, { require: 'filesystem', ...(label !== undefined ? { label } : {}) });
}

/**
 * Builds the `type` image of `dataDir` sized exactly to `part`, the way `pio run -t buildfs`
 * does, as a flash image at the partition's offset (errors name the data folder, as `fs build`'s).
 */
export async function buildFsImage(dataDir: string, part: PartitionSlot, type: FsType = 'spiffs', onSkip?: (path: string, reason: string) => void): Promise<FlashImage> {
  const { image } = await buildFolderImage(dataDir, part.size, { type, ...(onSkip ? { onSkip } : {}) });
  return { address: part.offset, data: image, name: `${fsTypeLabel[type]} image of ${dataDir}`, role: 'filesystem' };
}

/**
 * The partition `fs pull` reads from a board's own table: the one named `label`, else the one
 * the sketch's `begin()` mounts for `type`. It must hold SPIFFS or LittleFS.
 */
export function selectPulledPartition(table: readonly PartitionEntry[], type: FsType, label?: string): PartitionEntry {
  return pickFsPartition(table, {
    name: "the board's partition table",
    hint: 'pass the label of its filesystem partition with --partition',
    empty: {
      message: 'the board holds no partition table at 0x8000 (erased or never flashed)',
      hint: 'flash the firmware first (esp-sse flash), or read a region yourself with esp-sse read-flash',
    },
  }, { rule: { mounted: type }, require: 'readable', ...(label !== undefined ? { label } : {}) });
}
