/**
 * The board's side of a compiled sketch's filesystem calls (`SPIFFS`/`LittleFS` `.begin/exists/
 * open/openNextFile/totalBytes`, `LittleFS.format`): answered from the volume the call names
 * (field c). SPIFFS names are flat strings starting with `/` (a "directory" is any prefix ending
 * in `/`); LittleFS has real directories, listed one level at a time.
 */
import { CallOp, text, type Frame } from '../../protocol/sketch-link.js';
import type { FileSource } from './file-source.js';
import type { SketchVolumes } from './sketch-volumes.js';

/** The reply fields of a call (see `frame()`), or undefined when the call is not a file call. */
export type ReplyFields = { a?: number; b?: number; s1?: Uint8Array | string; l1?: string[] };

/** Capacity `SPIFFS.totalBytes()` reports for Arduino's default 0x160000 partition (ESP-IDF 4.4). */
export const defaultSpiffsTotalBytes = 1_318_001;

const dirPrefix = (path: string): string => (path.endsWith('/') ? path : `${path}/`);

function isDirectory(files: FileSource, path: string): boolean {
  if (files.isDirectory) return files.isDirectory(path);
  return path === '/' || (files.list?.() ?? []).some((n) => n.startsWith(dirPrefix(path)));
}

/** Answers `fsBegin`, `fsFormat`, `fsRead`, `fsList`, `fsInfo` for the volume in field c. */
export function answerFileCall(f: Frame, volumes: SketchVolumes): ReplyFields | undefined {
  const files = volumes.files(f.c);
  switch (f.a) {
    case CallOp.fsBegin: {
      const r = volumes.begin(f.c, (f.b & 1) !== 0, text(f.s1));
      return { a: r.ok ? 1 : 0, b: r.err >>> 0 };
    }
    case CallOp.fsFormat: {
      const r = volumes.format(f.c, text(f.s1));
      return { a: r.ok ? 1 : 0, b: r.err >>> 0 };
    }
    case CallOp.fsRead: {
      const path = text(f.s1);
      const bytes = files?.read(path);
      if (bytes) return { a: 1, s1: bytes };
      return { a: files !== undefined && isDirectory(files, path) ? 2 : 0 };
    }
    case CallOp.fsList: {
      const dir = text(f.s1);
      const inDir = !files ? [] : files.children ? files.children(dir) : (files.list?.() ?? []).filter((n) => n.startsWith(dirPrefix(dir)));
      return { a: inDir.length, l1: inDir };
    }
    case CallOp.fsInfo: {
      const { total, used } = volumes.info(f.c);
      return { a: total, b: used };
    }
    default:
      return undefined;
  }
}
