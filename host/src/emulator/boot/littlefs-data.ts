/**
 * The data folder of a LittleFS project (`board_build.filesystem = littlefs`) in the emulator's
 * flash: the image `pio run -t uploadfs` writes, built by our LittleFS builder in its default
 * (PlatformIO mklittlefs) layout, spanning the filesystem partition PlatformIO writes to.
 */
import { buildLittlefs, type LittlefsInput } from '../../formats/littlefs-builder.js';
import type { PartitionEntry } from '../../formats/partition-types.js';
import { dataPartition } from './default-flash.js';
import { LITTLEFS_BLOCK_SIZE } from './littlefs-mount.js';

/**
 * Builds the LittleFS image of `files` for the filesystem partition of the table in `flash` and
 * writes it there. The partition is the one the SPIFFS data image goes to ({@link dataPartition},
 * which refuses a flash without one: `emulate.no-spiffs-partition`); the builder's
 * `fs.littlefs-*` errors when the files do not fit or a name is too long.
 */
export function writeLittlefsImage(flash: Uint8Array, files: readonly LittlefsInput[]): PartitionEntry {
  const part = dataPartition(flash);
  const size = Math.floor(part.size / LITTLEFS_BLOCK_SIZE) * LITTLEFS_BLOCK_SIZE;
  flash.set(buildLittlefs(files, size), part.offset);
  return part;
}
