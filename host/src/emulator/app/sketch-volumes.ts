/**
 * The compiled sketch's file systems, by the sketch link's volume number: SPIFFS, mounted by the
 * boot stage (its failure line printed when the sketch calls `SPIFFS.begin()`), and LittleFS,
 * mounted from the flash when the sketch calls `LittleFS.begin()` (formatted first when it asks
 * and the partition does not mount). Routes and responses hold a {@link SketchVolumes.view},
 * which serves whatever the volume has mounted by the time a request comes.
 */
import type { PartitionEntry } from '../../formats/partition-types.js';
import { Volume } from '../../protocol/sketch-link.js';
import { formatLittlefs, mountLittlefs, ESP_FAIL } from '../boot/littlefs-mount.js';
import type { Flash } from '../flash.js';
import type { FileSource } from './file-source.js';
import { defaultSpiffsTotalBytes } from './native-files.js';

export interface SketchVolumesOptions {
  /** The SPIFFS the boot stage mounted; undefined = it did not mount. */
  readonly spiffs: FileSource | undefined;
  /** Why SPIFFS did not mount: the ESP-IDF line (after `E (ms) `) `SPIFFS.begin()` prints. */
  readonly spiffsLog?: string;
  /**
   * The flash and the partition table the bootloader read, for LittleFS. Absent (a board that
   * serves a folder without a flash): `LittleFS.begin()` mounts the same files as SPIFFS.
   */
  readonly flash?: Flash;
  readonly partitions?: readonly PartitionEntry[];
  /** Prints on UART0. */
  readonly print: (text: string) => void;
  /** `millis()` of the board, for ESP-IDF log lines. */
  readonly millis: () => number;
  /** A file whose blocks are damaged (`emulate.spiffs-corrupt`). */
  readonly onCorrupt?: (message: string) => void;
}

/** `begin()`/`format()` results: whether it worked and the esp_err_t the core logs when not. */
export interface VolumeResult {
  readonly ok: boolean;
  readonly err: number;
}

export class SketchVolumes {
  private readonly mounted = new Map<number, { files: FileSource; total: number; used: () => number }>();

  constructor(private readonly o: SketchVolumesOptions) {}

  /** `SPIFFS.begin()` / `LittleFS.begin(formatOnFail, …, label)`. */
  begin(volume: number, formatOnFail: boolean, label: string): VolumeResult {
    if (volume === Volume.littlefs) return this.beginLittlefs(formatOnFail, label);
    if (volume !== Volume.spiffs) return { ok: false, err: ESP_FAIL };
    const files = this.o.spiffs;
    if (!files) {
      if (this.o.spiffsLog) this.log([this.o.spiffsLog]);
      return { ok: false, err: ESP_FAIL };
    }
    const used = (): number => (files.list?.() ?? []).reduce((n, name) => n + (files.read(name)?.length ?? 0), 0);
    this.mounted.set(volume, { files, total: defaultSpiffsTotalBytes, used });
    return { ok: true, err: 0 };
  }

  /** `LittleFS.format()`: an empty LittleFS written into the partition; a mounted volume then reads it. */
  format(volume: number, label: string): VolumeResult {
    if (volume !== Volume.littlefs) return { ok: false, err: ESP_FAIL };
    const { flash, partitions } = this.o;
    if (!flash || !partitions) return { ok: true, err: 0 };
    const r = formatLittlefs(partitions, label, flash.size);
    if (!r.ok) {
      this.log(r.log);
      return { ok: false, err: r.err };
    }
    flash.write(r.offset, r.bytes);
    if (this.mounted.has(volume)) this.mountLittlefs(label);
    return { ok: true, err: 0 };
  }

  /** What a mounted volume serves, or undefined. */
  files(volume: number): FileSource | undefined {
    return this.mounted.get(volume)?.files;
  }

  /** `totalBytes()` and `usedBytes()` of a mounted volume (0 when not mounted). */
  info(volume: number): { total: number; used: number } {
    const m = this.mounted.get(volume);
    return m ? { total: m.total, used: m.used() } : { total: 0, used: 0 };
  }

  /** A source that reads the volume as mounted at the time of each call (nothing before `begin()`). */
  view(volume: number): FileSource {
    const now = (): FileSource | undefined => this.files(volume);
    return {
      read: (path) => now()?.read(path),
      lastWrite: (path) => now()?.lastWrite?.(path) ?? 0,
      list: () => now()?.list?.() ?? [],
    };
  }

  private beginLittlefs(formatOnFail: boolean, label: string): VolumeResult {
    const { flash, partitions } = this.o;
    if (!flash || !partitions) {
      // No flash behind this board: the folder it serves stands for every file system.
      if (!this.o.spiffs) return { ok: false, err: ESP_FAIL };
      const files = this.o.spiffs;
      this.mounted.set(Volume.littlefs, { files, total: 0, used: () => 0 });
      return { ok: true, err: 0 };
    }
    let r = this.mountLittlefs(label);
    // LittleFS.cpp formats only on ESP_FAIL (a partition that is there but does not mount).
    if (!r.ok && r.err === ESP_FAIL && formatOnFail && this.format(Volume.littlefs, label).ok) r = this.mountLittlefs(label);
    return r;
  }

  private mountLittlefs(label: string): VolumeResult {
    const m = mountLittlefs(this.o.flash!.bytes, this.o.partitions!, label, this.o.onCorrupt);
    if (!m.ok) {
      this.mounted.delete(Volume.littlefs);
      this.log(m.log);
      return { ok: false, err: m.err };
    }
    this.mounted.set(Volume.littlefs, { files: m.files, total: m.totalBytes, used: () => m.usedBytes });
    return { ok: true, err: 0 };
  }

  private log(lines: readonly string[]): void {
    for (const line of lines) this.o.print(`E (${this.o.millis()}) ${line}\r\n`);
  }
}
