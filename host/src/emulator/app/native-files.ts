/**
 * The board's side of a compiled sketch's filesystem calls (`SPIFFS.exists/open/openNextFile/
 * totalBytes`): answered from the partition the boot stage mounted. Names are SPIFFS names
 * (flat strings starting with `/`); a "directory" is any prefix ending in `/`.
 */
import { CallOp, text, type Frame } from '../../protocol/sketch-link.js';
import type { FileSource } from './file-source.js';

/** The reply fields of a call (see `frame()`), or undefined when the call is not a file call. */
export type ReplyFields = { a?: number; b?: number; s1?: Uint8Array | string; l1?: string[] };

/** Capacity `SPIFFS.totalBytes()` reports for Arduino's default 0x160000 partition (ESP-IDF 4.4). */
export const defaultSpiffsTotalBytes = 1_318_001;

const dirPrefix = (path: string): string => (path.endsWith('/') ? path : `${path}/`);

/** Answers `fsBegin`, `fsRead`, `fsList`, `fsInfo`; `files` undefined = the partition did not mount. */
export function answerFileCall(f: Frame, files: FileSource | undefined): ReplyFields | undefined {
  const names = (): string[] => files?.list?.() ?? [];
  switch (f.a) {
    case CallOp.fsBegin:
      return { a: files ? 1 : 0 };
    case CallOp.fsRead: {
      const path = text(f.s1);
      const bytes = files?.read(path);
      if (bytes) return { a: 1, s1: bytes };
      const isDir = files !== undefined && (path === '/' || names().some((n) => n.startsWith(dirPrefix(path))));
      return { a: isDir ? 2 : 0 };
    }
    case CallOp.fsList: {
      const inDir = names().filter((n) => n.startsWith(dirPrefix(text(f.s1))));
      return { a: inDir.length, l1: inDir };
    }
    case CallOp.fsInfo: {
      const used = names().reduce((n, name) => n + (files?.read(name)?.length ?? 0), 0);
      return { a: defaultSpiffsTotalBytes, b: used };
    }
    default:
      return undefined;
  }
}
