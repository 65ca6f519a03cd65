/**
 * The filesystems esp-sse builds and reads, by the names `board_build.filesystem` and
 * `--fs-type` use, and how an image's bytes say which one it holds.
 */
import { UserError } from '../errors.js';

export const FS_TYPES = ['spiffs', 'littlefs'] as const;
export type FsType = (typeof FS_TYPES)[number];

/** `SPIFFS`, `LittleFS`: the names the sketch's classes use. */
export const fsTypeLabel: Readonly<Record<FsType, string>> = { spiffs: 'SPIFFS', littlefs: 'LittleFS' };

/**
 * `value` as a filesystem type; `name` is the setting it came from (`--fs-type`,
 * `board_build.filesystem`) and `file` the file that holds it, if any. Code
 * `fs.unsupported-filesystem` (exit 2) for any other value (`fatfs`), naming the supported ones.
 */
export function parseFsType(value: string, name: string, file?: string): FsType {
  const v = value.trim().toLowerCase();
  if ((FS_TYPES as readonly string[]).includes(v)) return v as FsType;
  throw new UserError('fs.unsupported-filesystem', `${name} = ${value}${file !== undefined ? ` in ${file}` : ''} is not supported; esp-sse handles ${FS_TYPES.join(' and ')}`,
    `set it to ${FS_TYPES.join(' or ')}, or build the image yourself and pass it as a file`);
}

