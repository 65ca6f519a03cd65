/**
 * `esp-sse uploadfs`: its options (all that --help loads); the run is uploadfs-run.ts.
 */
import type { Command } from 'commander';
import { addFsTypeOption, type FsTypeFlags } from './fs-type-option.js';
import { addConnectionOptions, type ConnectionFlags } from './options.js';

export interface UploadFsFlags extends ConnectionFlags, FsTypeFlags {
  data?: string;
  image?: string;
  partition?: string;
  force?: boolean;
  compress: boolean;
}

export function registerUploadFs(program: Command): void {
  const cmd = addFsTypeOption(program
    .command('uploadfs')
    .description('write only the filesystem: a SPIFFS or LittleFS image of the data folder, checked against the partition table (partition exists, is a filesystem, image fits)')
    .option('--data <dir>', 'data folder (default: data_dir from platformio.ini)')
    .option('--image <file>', 'write this prebuilt image instead of building one')
    .option('--partition <label>', 'filesystem partition label (default: the last spiffs/fat/littlefs partition)')
    .option('--force', 'write even when the flash already holds this image')
    .option('--no-compress', 'send the image uncompressed'), 'the image to build: spiffs or littlefs (default: board_build.filesystem, else spiffs)');
  addConnectionOptions(cmd, { multi: true })
    .action(async (flags: UploadFsFlags) => {
      const { runUploadFs } = await import('./uploadfs-run.js');
      await runUploadFs(flags);
    });
}
