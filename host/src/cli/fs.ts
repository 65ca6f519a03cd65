/**
 * `esp-sse fs build|ls|extract|pull|convert`: their options (all that --help loads); build,
 * ls and extract run in fs-run.ts, pull in fs-pull.ts, convert in fs-convert.ts.
 */
import type { Command } from 'commander';
import { registerFsConvert } from './fs-convert.js';
import { registerFsPull } from './fs-pull.js';
import { addFsTypeOption, type FsTypeFlags } from './fs-type-option.js';

export interface RegionFlags extends FsTypeFlags { offset?: string; size?: string; partition?: string }

export interface BuildFlags extends FsTypeFlags { data?: string; size?: string; out?: string; partition?: string; project: string; env?: string; json?: boolean }

function addRegionOptions(cmd: Command): Command {
  cmd
    .option('--offset <bytes>', 'where the volume starts inside IMAGE (default: 0, or the filesystem partition of a flash dump)')
    .option('--size <bytes>', 'volume size (default: the rest of IMAGE, or the partition size)')
    .option('--partition <label>', 'in a flash dump, the partition to read (default: the last spiffs/fat/littlefs one)');
  return addFsTypeOption(cmd, 'read as spiffs or littlefs (default: recognised from the contents)');
}

export function registerFs(program: Command): void {
  const fs = program.command('fs').description('filesystem images (SPIFFS, LittleFS): build one from a data folder, list, extract or convert one (mkspiffs/mklittlefs-compatible, arduino-esp32 layouts), or pull a board\'s files');
  addFsTypeOption(fs.command('build'), 'spiffs or littlefs (default: board_build.filesystem, else spiffs)')
    .description('build a SPIFFS or LittleFS image of the data folder, sized to the filesystem partition (deterministic: same folder, same bytes)')
    .option('--data <dir>', 'data folder (default: data_dir from platformio.ini, else ./data)')
    .option('--size <bytes>', 'image size, e.g. 0x160000 or 1408K (default: the filesystem partition of board_build.partitions)')
    .option('--out <file>', 'output file (default: <build_dir>/<env>/spiffs.bin or littlefs.bin as PlatformIO, else ./spiffs.bin or ./littlefs.bin)')
    .option('--partition <label>', 'size the image for this partition (default: the last spiffs/fat/littlefs data partition)')
    .option('--project <dir>', 'PlatformIO project directory (platformio.ini)', '.')
    .option('-e, --env <name>', 'platformio.ini environment (default: default_envs or the first [env:...])')
    .option('--json', 'print the result as JSON')
    .action(async (flags: BuildFlags) => {
      const { buildImage } = await import('./fs-run.js');
      await buildImage(flags);
    });
  addRegionOptions(fs.command('ls')
    .description('list the files of a SPIFFS or LittleFS image (or of the filesystem partition of a full flash dump), saying which type it read')
    .argument('<image>', 'filesystem image or flash dump')
    .option('--json', 'print files and usage as JSON'))
    .action(async (image: string, flags: RegionFlags & { json?: boolean }) => {
      const { listImage } = await import('./fs-run.js');
      await listImage(image, flags);
    });
  addRegionOptions(fs.command('extract')
    .description('write every file of a SPIFFS or LittleFS image into a folder (created if missing; nothing is written if the image is corrupt)')
    .argument('<image>', 'filesystem image or flash dump')
    .argument('<dir>', 'target folder'))
    .action(async (image: string, dir: string, flags: RegionFlags) => {
      const { extractImage } = await import('./fs-run.js');
      await extractImage(image, dir, flags);
    });
  registerFsPull(fs);
  registerFsConvert(fs);
}
