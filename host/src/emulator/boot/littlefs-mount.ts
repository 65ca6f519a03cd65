/**
 * `LittleFS.begin()` and `LittleFS.format()` on the emulated flash, as arduino-esp32 2.0.17 does
 * them through esp_littlefs 1.14.4 and littlefs 2.9.2 (docs/littlefs.md §1): the partition is
 * the data partition with the sketch's label (`spiffs` by default, any subtype); the mount takes
 * block_count from the superblock, with 4096-byte blocks; a partition that does not mount fails
 * with esp_littlefs' lines at error level, and `format()` writes a fresh superblock pair
 * (blocks 0 and 1) without erasing the rest, as `lfs_format` does.
 *
 * The log lines are the board's, as users post them from 2.0.17 boards (arduino-esp32 #8680,
 * clevercoffee #529): littlefs' own `LFS_ERROR` line (its text ends with a newline of its own,
 * hence the empty line after it), then esp_littlefs' two.
 */
import { buildLittlefs } from '../../formats/littlefs-builder.js';
import { LittlefsVolume, type LittlefsEntry } from '../../formats/littlefs-reader.js';
import { ctzBlocks } from '../../formats/littlefs-ctz.js';
import { DATA, type PartitionEntry } from '../../formats/partition-types.js';
import { readOrReport, type FileSource } from '../app/file-source.js';

/** esp_err_t values `begin()` reports in "Mounting LittleFS failed! Error: %d". */
export const ESP_FAIL = -1;
export const ESP_ERR_NOT_FOUND = 0x105;

/** esp_littlefs hard-codes the block size (esp_littlefs.c:55). */
export const LITTLEFS_BLOCK_SIZE = 4096;

/** Where littlefs 2.9.2 (as esp_littlefs builds it) prints "Corrupted dir pair" (lfs.c:1367). */
const corruptDirLine = './components/esp_littlefs/src/littlefs/lfs.c:1367:error: Corrupted dir pair at {0x0, 0x1}\r\n';

export type LittlefsMount =
  | { readonly ok: true; readonly files: LittlefsFileSource; readonly totalBytes: number; readonly usedBytes: number }
  /** `log`: the ESP-IDF error lines, each the text after `E (ms) `; `err` what begin() reports. */
  | { readonly ok: false; readonly err: number; readonly log: readonly string[] };

/** Serves a mounted LittleFS (a copy of the partition taken at mount time). */
export class LittlefsFileSource implements FileSource {
  constructor(
    private readonly volume: LittlefsVolume,
    private readonly onCorrupt?: (message: string) => void,
  ) {}

  read(path: string): Uint8Array | undefined {
    return readOrReport((e) => this.volume.read(e), this.file(path), this.onCorrupt);
  }

  /** The `'t'` attribute (seconds) littlefs' VFS reports as `st_mtime`; 0 without one. */
  lastWrite(path: string): number {
    return this.file(path)?.mtime ?? 0;
  }

  /** Every file (not directory) path. */
  list(): string[] {
    return this.volume.entries.filter((e) => e.type === 'file').map((e) => e.path);
  }

  isDirectory(path: string): boolean {
    return path === '/' || this.volume.find(path)?.type === 'dir';
  }

  /** The files and directories directly in `dir`, as `openNextFile()` walks them. */
  children(dir: string): string[] {
    const prefix = dir.endsWith('/') ? dir : `${dir}/`;
    return this.volume.entries.filter((e) => e.path.startsWith(prefix) && !e.path.slice(prefix.length).includes('/')).map((e) => e.path);
  }

  /** Blocks in use × block size, as `esp_littlefs_info` reports from `lfs_fs_size` (both blocks of each pair). */
  usedBytes(): number {
    const bs = this.volume.superblock.blockSize;
    const dataBlocks = this.volume.entries.reduce((n, e) => n + (e.storage.kind === 'ctz' ? ctzBlocks(bs, e.size) : 0), 0);
    return (this.volume.mdirCount * 2 + dataBlocks) * bs;
  }

  totalBytes(): number {
    return this.volume.superblock.blockSize * this.volume.superblock.blockCount;
  }

  private file(path: string): LittlefsEntry | undefined {
    const e = this.volume.find(path);
    return e?.type === 'file' ? e : undefined;
  }
}

/** esp_littlefs' partition: the first data partition with this label (`esp_partition_find_first(DATA, ANY, label)`). */
export function littlefsPartition(table: readonly PartitionEntry[], label: string): PartitionEntry | undefined {
  return table.find((p) => p.type === DATA && p.label === label);
}

const notFound = (label: string): LittlefsMount => ({
  ok: false,
  err: ESP_ERR_NOT_FOUND,
  log: [`esp_littlefs: partition "${label}" could not be found`, 'esp_littlefs: Failed to initialize LittleFS'],
});

/** Mounts the partition labelled `label` out of `flash` (what `LittleFS.begin()` takes). */
export function mountLittlefs(flash: Uint8Array, table: readonly PartitionEntry[], label: string, onCorrupt?: (message: string) => void): LittlefsMount {
  const part = littlefsPartition(table, label);
  if (!part || part.offset + part.size > flash.length) return notFound(label);
  try {
    const volume = new LittlefsVolume(flash.slice(part.offset, part.offset + part.size), { blockSize: LITTLEFS_BLOCK_SIZE });
    const files = new LittlefsFileSource(volume, onCorrupt);
    return { ok: true, files, totalBytes: files.totalBytes(), usedBytes: files.usedBytes() };
  } catch (e) {
    // A superblock of another on-disk version fails with LFS_ERR_INVAL (-22) and littlefs'
    // "Invalid version" (its lfs.c line prefix left out: we have no board log of it); anything
    // else this reader refuses, littlefs refuses while fetching the pair {0, 1}: LFS_ERR_CORRUPT
    // (-84). Neither is a host problem: the board only fails the mount (no warning).
    const version = (e as { code?: string; version?: number }).code === 'fs.littlefs-version' ? (e as { version: number }).version : undefined;
    if (version !== undefined) {
      const invalid = `esp_littlefs: Invalid version v${version >>> 16}.${version & 0xffff}\r\n`;
      return { ok: false, err: ESP_FAIL, log: [invalid, 'esp_littlefs: mount failed,  (-22)', 'esp_littlefs: Failed to initialize LittleFS'] };
    }
    return { ok: false, err: ESP_FAIL, log: [`esp_littlefs: ${corruptDirLine}`, 'esp_littlefs: mount failed,  (-84)', 'esp_littlefs: Failed to initialize LittleFS'] };
  }
}

/**
 * `esp_littlefs_format(label)`: an empty LittleFS of the partition's size in the board's own
 * layout (disk 2.1), of which `lfs_format` writes only the superblock pair, blocks 0 and 1.
 * Returns the byte ranges to write, or the failure `LittleFS.format()` reports.
 */
export function formatLittlefs(table: readonly PartitionEntry[], label: string, flashSize: number):
  | { readonly ok: true; readonly offset: number; readonly bytes: Uint8Array }
  | { readonly ok: false; readonly err: number; readonly log: readonly string[] } {
  const part = littlefsPartition(table, label);
  if (!part || part.offset + part.size > flashSize) return notFound(label) as { ok: false; err: number; log: readonly string[] };
  const blocks = Math.floor(part.size / LITTLEFS_BLOCK_SIZE);
  if (blocks < 2) return { ok: false, err: ESP_FAIL, log: ['esp_littlefs: Failed to format filesystem'] };
  const image = buildLittlefs([], blocks * LITTLEFS_BLOCK_SIZE, { layout: 'native' });
  return { ok: true, offset: part.offset, bytes: image.subarray(0, 2 * LITTLEFS_BLOCK_SIZE) };
}
