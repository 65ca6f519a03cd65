import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';

/**
 * What the app's `SPIFFS` (or `LittleFS`) object reads: SPIFFS names are flat strings that start
 * with `/` (`/index.html`, `/css/app.css` is one name, not a folder). Implementations: a host
 * folder (this file), a SPIFFS partition and a LittleFS partition mounted from the emulated flash.
 */
export interface FileSource {
  /** The file's bytes, or `undefined` when no file has that name. Never throws for a missing file. */
  read(path: string): Uint8Array | undefined;
  /**
   * `File::getLastWrite()`: the file's `st_mtime` as the board's signed `time_t`; 0 or less
   * when it has none (mkspiffs' images read as -1). The fork's serveStatic ETag uses it when
   * > 0, else the size (wire doc §5.2); optional, 0 when absent.
   */
  lastWrite?(path: string): number;
  /** Every file name (`/a/b.css`), for a sketch that lists a directory; optional, none when absent. */
  list?(): string[];
  /**
   * A file system with real directories (LittleFS): whether `path` is one, and the paths
   * directly in it (files and directories), as `openNextFile()` walks them. Absent: SPIFFS
   * semantics, a directory is a name prefix and a listing every file under it.
   */
  isDirectory?(path: string): boolean;
  children?(dir: string): string[];
}

/**
 * Reads `entry` from a mounted image: a file whose blocks do not read back (a damaged image) is
 * reported through `onCorrupt` and reads as missing, as the board's VFS fails the open.
 */
export function readOrReport<E>(read: (entry: E) => Uint8Array, entry: E | undefined, onCorrupt?: (message: string) => void): Uint8Array | undefined {
  if (entry === undefined) return undefined;
  try {
    return read(entry);
  } catch (e) {
    onCorrupt?.((e as Error).message);
    return undefined;
  }
}

/** A host folder seen as a SPIFFS partition: `/a/b.css` is `<root>/a/b.css`. Read fresh on every call. */
export class FolderFileSource implements FileSource {
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  read(path: string): Uint8Array | undefined {
    const file = this.resolve(path);
    if (!file) return undefined;
    try {
      return new Uint8Array(readFileSync(file));
    } catch {
      return undefined;
    }
  }

  /**
   * 0: the folder stands for an image built from it (mkspiffs, `fs build`), whose headers hold
   * no mtime, so the fork's ETag is the file size, as on the board after `uploadfs`.
   */
  lastWrite(): number {
    return 0;
  }

  /** Files under the root, as SPIFFS names, sorted. */
  list(): string[] {
    const out: string[] = [];
    const walk = (dir: string, prefix: string): void => {
      let entries;
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        if (e.isDirectory()) walk(join(dir, e.name), `${prefix}${e.name}/`);
        else if (e.isFile()) out.push(`${prefix}${e.name}`);
      }
    };
    walk(this.root, '/');
    return out.sort();
  }

  /** Maps a SPIFFS name to a path inside the root, refusing anything that would leave it. */
  private resolve(path: string): string | undefined {
    if (!path.startsWith('/') || path.includes('\0')) return undefined;
    // A SPIFFS name is literal: `//x` or `/a/../x` are other names, which a folder cannot hold.
    if (path.slice(1).split('/').some((s) => s === '' || s === '.' || s === '..')) return undefined;
    const file = resolve(join(this.root, path));
    if (file !== this.root && !file.startsWith(this.root + sep)) return undefined;
    try {
      return statSync(file).isFile() ? file : undefined;
    } catch {
      return undefined;
    }
  }
}
