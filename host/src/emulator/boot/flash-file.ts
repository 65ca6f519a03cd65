/**
 * `--flash FILE`: the board's flash kept in a file across runs. A missing file is created from
 * the default layout; every write or erase (the ROM loader, the stub) is saved through a
 * temporary file and a rename, coalesced so a burst of writes costs one save at a time.
 */
import { stat } from 'node:fs/promises';
import { UserError } from '../../errors.js';
import { Flash, FLASH_SIZE_4MB } from '../flash.js';

/** Loads `path` (a file no larger than the flash), or creates it with `initial()`'s bytes. */
export async function openFlashFile(path: string, initial: () => Promise<Uint8Array>, size = FLASH_SIZE_4MB): Promise<{ flash: Flash; created: boolean }> {
  const st = await stat(path).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return undefined;
    throw new UserError('emulate.bad-flash-file', `cannot read flash file ${path}: ${e.message}`, 'check the path and its permissions');
  });
  if (st && !st.isFile()) throw new UserError('emulate.bad-flash-file', `flash file ${path} is not a regular file`, 'point --flash at a file (it is created if missing)');
  if (st && st.size > size) {
    throw new UserError('emulate.bad-flash-file', `flash file ${path} is ${st.size} bytes, larger than the ${size}-byte (${size >> 20} MB) flash`, 'use a 4 MB flash dump (esp-sse read-flash), or delete the file to start from the default layout');
  }
  if (st) return { flash: await Flash.fromFile(path, size), created: false };
  const flash = new Flash(size, await initial());
  try {
    await flash.save(path);
  } catch (e) {
    throw new UserError('emulate.bad-flash-file', `cannot create flash file ${path}: ${(e as Error).message}`, 'check that the folder exists and is writable', 2, { cause: e });
  }
  return { flash, created: true };
}

/** Saves `flash` to `path` after changes; `flush()` waits for the last save. */
export class FlashPersistence {
  private dirty = false;
  private saving: Promise<void> | undefined;
  private readonly off: () => void;

  constructor(
    private readonly flash: Flash,
    private readonly path: string,
    private readonly onError: (e: unknown) => void = () => {},
  ) {
    this.off = flash.onChange(() => this.schedule());
  }

  /** Saves whatever is pending now (the dirty flag is cleared before the bytes are copied out). */
  async flush(): Promise<void> {
    while (this.saving || this.dirty) {
      if (this.saving) await this.saving;
      else this.schedule();
    }
  }

  /** Stops watching after a last flush. */
  async close(): Promise<void> {
    this.off();
    await this.flush();
  }

  private schedule(): void {
    this.dirty = true;
    if (this.saving) return;
    this.saving = (async () => {
      while (this.dirty) {
        this.dirty = false;
        await new Promise<void>((r) => setImmediate(r));
        try {
          await this.flash.save(this.path);
        } catch (e) {
          this.onError(e);
        }
      }
    })().finally(() => {
      this.saving = undefined;
    });
  }
}
