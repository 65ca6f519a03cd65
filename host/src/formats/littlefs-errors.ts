import { UserError } from '../errors.js';

/**
 * The image holds no littlefs superblock the board would mount: no "littlefs" magic in blocks
 * 0/1, no valid commit in the superblock pair, or geometry that contradicts the image. littlefs
 * itself fails the mount with LFS_ERR_CORRUPT (-84, "Corrupted dir pair at {0x0, 0x1}").
 * Code `fs.littlefs-not-found`.
 */
export class LittlefsMountError extends UserError {
  constructor(message: string, hint?: string) {
    super('fs.littlefs-not-found', message, hint ?? 'check that this is the filesystem partition and that it holds a LittleFS image (not SPIFFS, not erased)');
  }
}

/** On-disk version the board's littlefs (v2.9.2, disk 2.1) refuses: major ≠ 2 or minor > 1. */
export class LittlefsVersionError extends UserError {
  constructor(readonly version: number) {
    super(
      'fs.littlefs-version',
      `LittleFS on-disk version ${version >>> 16}.${version & 0xffff} is not supported (2.0 and 2.1 are)`,
      'rebuild the image with `esp-sse fs build` or a mklittlefs whose littlefs writes disk version 2.0 or 2.1',
    );
  }
}

/**
 * The image mounts but something in it contradicts the rest: a pointer outside the image, a
 * metadata pair without a valid commit, a directory cycle, a file larger than the image.
 * `block` is the block where it was found. Code `fs.littlefs-corrupt`.
 */
export class LittlefsCorruptError extends UserError {
  constructor(readonly block: number, detail: string) {
    super(
      'fs.littlefs-corrupt',
      `corrupt LittleFS image at block ${block}: ${detail}`,
      'rebuild the image with `esp-sse fs build`, or read the flash again if it came from a board',
    );
  }
}

/** A path that names no file in the image. Code `fs.littlefs-no-such-file`. */
export class LittlefsNotFoundError extends UserError {
  constructor(readonly path: string, detail = 'no such file') {
    super('fs.littlefs-no-such-file', `${JSON.stringify(path)}: ${detail}`, 'list the image with `esp-sse fs ls` to see its paths');
  }
}
