/**
 * `SPIFFS.begin()` on the emulated flash: arduino-esp32 registers the first data partition of
 * subtype spiffs (`esp_vfs_spiffs_register` with no label) and mounts it. What fails prints the
 * ESP-IDF error line the precompiled core keeps at error level (arduino-esp32 #7143:
 * `E (13) SPIFFS: mount failed, -10025`); the sketch then prints its own line.
 */
import { SPIFFS_ERR_NOT_A_FS } from '../../formats/spiffs-errors.js';
import { SpiffsVolume, type SpiffsEntry } from '../../formats/spiffs-reader.js';
import type { PartitionEntry } from '../../formats/partition-types.js';
import { mountedSpiffsPartition } from '../../formats/fs-partition.js';
import { readOrReport, type FileSource } from '../app/file-source.js';

export type SpiffsMount =
  | { readonly files: FileSource }
  /** `log`: the ESP-IDF error text after `E (ms) `. */
  | { readonly files: undefined; readonly log: string };

/**
 * Serves files out of a mounted SPIFFS image (a copy taken at mount time: nothing writes the
 * flash while the app runs). A file whose pages are damaged reads as missing, as a failed
 * `SPIFFS.open` does; `onCorrupt` hears about it.
 */
export class SpiffsFileSource implements FileSource {
  private readonly byName = new Map<string, SpiffsEntry>();

  constructor(
    private readonly volume: SpiffsVolume,
    private readonly onCorrupt?: (message: string) => void,
  ) {
    for (const e of volume.entries) this.byName.set(e.name, e);
  }

  /** Names in the image. */
  get names(): string[] {
    return [...this.byName.keys()];
  }

  list(): string[] {
    return this.names;
  }

  read(path: string): Uint8Array | undefined {
    return readOrReport((e) => this.volume.read(e), this.byName.get(path), this.onCorrupt);
  }

  /**
   * `File::getLastWrite()` = `st_mtime` from ESP-IDF's `vfs_spiffs_get_mtime`: the metadata
   * bytes copied into a `time_t`, which on arduino-esp32 2.x (ESP-IDF 4.4, the pinned
   * platform) is a 32-bit signed integer, little endian. mkspiffs' FF FF FF FF therefore reads
   * as -1 (and the fork's serveStatic falls back to the size for its ETag); a file the board
   * wrote itself carries the seconds its clock showed. 0 for a name not in the image.
   */
  lastWrite(path: string): number {
    const meta = this.byName.get(path)?.meta;
    return meta ? new DataView(meta.buffer, meta.byteOffset, meta.byteLength).getInt32(0, true) : 0;
  }
}

/** Mounts the first spiffs partition of `table` out of `flash` (what `SPIFFS.begin()` takes). */
export function mountSpiffs(flash: Uint8Array, table: readonly PartitionEntry[], onCorrupt?: (message: string) => void): SpiffsMount {
  const part = mountedSpiffsPartition(table);
  if (!part || part.offset + part.size > flash.length) return { files: undefined, log: 'SPIFFS: spiffs partition could not be found' };
  try {
    const volume = new SpiffsVolume(flash.slice(part.offset, part.offset + part.size));
    return { files: new SpiffsFileSource(volume, onCorrupt) };
  } catch (e) {
    const errno = (e as { spiffsErrno?: number }).spiffsErrno;
    if (errno === SPIFFS_ERR_NOT_A_FS) return { files: undefined, log: `SPIFFS: mount failed, ${SPIFFS_ERR_NOT_A_FS}` };
    // The volume mounts on the board (only the magic is checked), but its pages contradict
    // each other: serve nothing rather than wrong bytes, and say why.
    onCorrupt?.((e as Error).message);
    return { files: { read: () => undefined, lastWrite: () => 0 } };
  }
}
