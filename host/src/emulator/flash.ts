import { readFile, rename, rm, writeFile } from 'node:fs/promises';

/** SPI flash size of the emulated module (ESP32-WROOM-32: 4 MB). */
export const FLASH_SIZE_4MB = 4 * 1024 * 1024;

/**
 * The virtual board's SPI flash: a byte array, erased to 0xFF, optionally backed by a file so
 * it survives restarts. Writers (the ROM loader and stub) and readers (the boot model) share
 * one instance. Offsets outside the chip throw a RangeError: callers validate first.
 */
export class Flash {
  readonly bytes: Uint8Array;
  private readonly listeners = new Set<() => void>();

  constructor(readonly size = FLASH_SIZE_4MB, contents?: Uint8Array) {
    this.bytes = new Uint8Array(size).fill(0xff);
    if (contents) this.bytes.set(contents.subarray(0, size));
  }

  /** Loads a flash file; a shorter file is padded with 0xFF (erased) bytes. */
  static async fromFile(path: string, size = FLASH_SIZE_4MB): Promise<Flash> {
    return new Flash(size, new Uint8Array(await readFile(path)));
  }

  read(offset: number, length: number): Uint8Array {
    this.check(offset, length);
    return this.bytes.slice(offset, offset + length);
  }

  write(offset: number, data: Uint8Array): void {
    this.check(offset, data.length);
    this.bytes.set(data, offset);
    this.changed();
  }

  erase(offset: number, length: number): void {
    this.check(offset, length);
    this.bytes.fill(0xff, offset, offset + length);
    this.changed();
  }

  eraseAll(): void {
    this.bytes.fill(0xff);
    this.changed();
  }

  /** Calls `listener` after every write or erase (a flash file saves itself this way). Returns an unsubscribe. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const l of [...this.listeners]) l();
  }

  /**
   * Writes the whole flash to `path` through a temporary file and a rename. Not
   * settings/writeFileAtomic: a flash file whose folder has gone is a failed save to report
   * (FlashPersistence), not a folder to create again.
   */
  async save(path: string): Promise<void> {
    const tmp = `${path}.${process.pid}.tmp`;
    try {
      await writeFile(tmp, this.bytes);
      await rename(tmp, path);
    } catch (e) {
      await rm(tmp, { force: true });
      throw e;
    }
  }

  private check(offset: number, length: number): void {
    if (!Number.isInteger(offset) || !Number.isInteger(length) || offset < 0 || length < 0 || offset + length > this.size) {
      throw new RangeError(`flash access 0x${offset.toString(16)}+${length} outside 0..0x${this.size.toString(16)}`);
    }
  }
}
