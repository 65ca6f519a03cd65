import { UserError } from '../errors.js';

/** SPIFFS_ERR_NOT_A_FS: what `SPIFFS_mount` returns when two or more blocks lack their magic. */
export const SPIFFS_ERR_NOT_A_FS = -10025;

/**
 * The image is not a SPIFFS volume of this size: SPIFFS on the board would refuse to mount it
 * (`SPIFFS_ERR_NOT_A_FS`, -10025). Code `fs.not-spiffs`.
 */
export class SpiffsMountError extends UserError {
  readonly spiffsErrno = SPIFFS_ERR_NOT_A_FS;
  constructor(message: string, hint?: string) {
    super('fs.not-spiffs', message, hint ?? 'build the image with `esp-sse fs build --size` equal to the partition size');
  }
}

/**
 * The image mounts but a page contradicts the rest of the file system. `page` is the global
 * page index (byte offset = page × 256). Code `fs.corrupt`.
 */
export class SpiffsCorruptError extends UserError {
  constructor(
    readonly page: number,
    detail: string,
  ) {
    super(
      'fs.corrupt',
      `corrupt SPIFFS image at page ${page} (offset 0x${(page * 256).toString(16)}): ${detail}`,
      'rebuild the image with `esp-sse fs build`, or read the flash again if it came from a board',
    );
  }
}
