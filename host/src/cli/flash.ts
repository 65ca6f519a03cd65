/**
 * `esp-sse flash`: its options (all that --help loads); the run is flash-run.ts.
 */
import type { Command } from 'commander';
import { addSessionOptions, type SessionFlags } from './monitor-options.js';
import { addFsTypeOption, type FsTypeFlags } from './fs-type-option.js';
import { addConnectionOptions, type ConnectionFlags } from './options.js';

export interface FlashFlags extends ConnectionFlags, SessionFlags, FsTypeFlags {
  fs?: boolean;
  data?: string;
  force?: boolean;
  eraseAll?: boolean;
  compress: boolean;
  bootApp0?: string;
  monitor?: boolean;
}

export function registerFlash(program: Command): void {
  const cmd = program
    .command('flash')
    .description('write the PlatformIO build (bootloader 0x1000, partitions 0x8000, boot_app0 0xe000, app 0x10000) or ADDRESS FILE pairs; compressed, MD5-verified, unchanged regions skipped')
    .argument('[pairs...]', 'ADDRESS FILE pairs, e.g. 0x10000 firmware.bin (default: the build folder of --env)')
    .option('--fs', 'also write the filesystem image (SPIFFS or LittleFS) built from the data folder at the filesystem partition')
    .option('--data <dir>', 'data folder for --fs (default: data_dir from platformio.ini)')
    .option('--fs-type <spiffs|littlefs>', 'with --fs: the image to build (default: board_build.filesystem, else spiffs)')
    .option('--force', 'write every image even when the flash already holds it')
    .option('--erase-all', 'erase the whole chip first')
    .option('--no-compress', 'send images uncompressed')
    .option('--boot-app0 <file>', 'otadata image for 0xe000 (default: the Arduino framework package, else an erased otadata)')
    .option('--monitor', 'then monitor the board on the same port, as esp-sse monitor does (one board; monitor_speed or 115200; options marked "with --monitor"); once the flash succeeded the exit code is the monitor\'s: 0 when --until matched, 1 on --timeout');
  addSessionOptions(addConnectionOptions(cmd, { multi: true }), 'flash')
    .action(async (pairs: string[], flags: FlashFlags) => {
      const { runFlash } = await import('./flash-run.js');
      await runFlash(pairs, flags);
    });
}
