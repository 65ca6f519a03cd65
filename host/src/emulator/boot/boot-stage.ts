/**
 * The boot stage that boots from the board's flash like an ESP32 with Arduino's bootloader:
 * ROM banner and bootloader load lines (or the `invalid header` loop of a blank chip), the
 * second-stage bootloader's silent choice of app (or a software-reset loop when there is
 * none), then the SPIFFS mount of the table's spiffs partition, which the app's
 * `SPIFFS.begin()` takes (its failure line printed then); `LittleFS.begin()` mounts later.
 */
import type { WarnFn } from '../../errors.js';
import type { BootLoop, BootStage } from '../board.js';
import { romLoadBootloader, romResetBanner, BOOTLOADER_OFFSET, INVALID_HEADER_REPEATS } from './rom-boot.js';
import { secondStageBoot } from './second-stage.js';
import { mountSpiffs } from './spiffs-mount.js';
import { DEFAULT_TABLE_OFFSET } from '../../formats/partition-types.js';

/** Gap between the ROM's `invalid header` lines (real logs: ~40 ms at 115200). */
export const INVALID_HEADER_EVERY_MS = 40;
/** From a hung ROM to the RTC watchdog reset. */
export const ROM_WATCHDOG_MS = 300;
/** From the bootloader giving up to the software reset (the chip restarts at once; kept visible). */
export const BOOTLOADER_RESET_MS = 100;

export interface FlashBootOptions {
  /**
   * Diagnostics a real board cannot print (its bootloader logs nothing): why no app booted
   * (`emulate.no-app`), a damaged SPIFFS (`emulate.spiffs-corrupt`). Once per boot loop.
   */
  readonly warn?: WarnFn;
}

export function flashBootStage(o: FlashBootOptions = {}): BootStage {
  return async (board, reason) => {
    const serial = board.serial;
    const bytes = board.flash.bytes;
    serial.print(romResetBanner(reason));
    const rom = romLoadBootloader(bytes.subarray(BOOTLOADER_OFFSET, DEFAULT_TABLE_OFFSET));
    serial.print(rom.text);
    if (!rom.ok) {
      const loop: BootLoop = rom.repeat
        ? { repeat: rom.repeat, times: INVALID_HEADER_REPEATS - 1, everyMs: INVALID_HEADER_EVERY_MS, afterMs: INVALID_HEADER_EVERY_MS, reset: 'rtcWatchdog' }
        : { repeat: '', times: 0, everyMs: 0, afterMs: ROM_WATCHDOG_MS, reset: 'rtcWatchdog' };
      return { run: false, loop };
    }
    const boot = secondStageBoot(bytes);
    if (!boot.ok) {
      if (reason !== 'software') o.warn?.('emulate.no-app', `the bootloader found no app to run: ${boot.reason}`);
      return { run: false, loop: { repeat: '', times: 0, everyMs: 0, afterMs: BOOTLOADER_RESET_MS, reset: 'software' } };
    }
    const mount = mountSpiffs(bytes, boot.table, (m) => o.warn?.('emulate.spiffs-corrupt', m));
    return { run: true, files: mount.files, partitions: boot.table, ...(mount.files ? {} : { spiffsLog: mount.log }) };
  };
}
