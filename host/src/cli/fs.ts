/**
 * `esp-sse fs build|ls|extract|pull`: their options (all that --help loads); build, ls and
 * extract run in fs-run.ts, pull in fs-pull.ts.
 */
import type { Command } from 'commander';
import { registerFsPull } from './fs-pull.js';

export interface RegionFlags { offset?: string; size?: string; partition?: string }

export interface BuildFlags { data?: string; size?: string; out?: string; partition?: string; project: string; env?: string; json?: boolean }

function addRegionOptions(cmd: Command): Command {
  return cmd
    .option('--offset <bytes>', 'where the SPIFFS volume starts inside IMAGE (default: 0, or the filesystem partition of a flash dump)')
    .option('--size <bytes>', 'SPIFFS volume size (default: the rest of IMAGE, or the partition size)')
    .option('--partition <label>', 'in a flash dump, the partition to read (default: the last spiffs/fat/littlefs one)');
}

export function registerFs(program: Command): void {
  const fs = program.command('fs').description('SPIFFS images: build one from a data folder, list or extract one (mkspiffs-compatible, arduino-esp32 layout), or pull a board\'s files');
  fs.command('build')
    .description('build a SPIFFS image of the data folder, sized to the filesystem partition (deterministic: same folder, same bytes)')
    .option('--data <dir>', 'data folder (default: data_dir from platformio.ini, else ./data)')
    .option('--size <bytes>', 'image size, e.g. 0x160000 or 1408K (default: the spiffs partition of board_build.partitions)')
    .option('--out <file>', 'output file (default: <build_dir>/<env>/spiffs.bin as PlatformIO, else ./spiffs.bin)')
    .option('--partition <label>', 'size the image for this partition (default: the last spiffs/fat/littlefs data partition)')
    .option('--project <dir>', 'PlatformIO project directory (platformio.ini)', '.')
    .option('-e, --env <name>', 'platformio.ini environment (default: default_envs or the first [env:...])')
    .option('--json', 'print the result as JSON')
    .action(async (flags: BuildFlags) => {
      const { buildImage } = await import('./fs-run.js');
      await buildImage(flags);
    });
  addRegionOptions(fs.command('ls')
    .description('list the files of a SPIFFS image (or of the filesystem partition of a full flash dump)')
    .argument('<image>', 'SPIFFS image or flash dump')
    .option('--json', 'print files and usage as JSON'))
    .action(async (image: string, flags: RegionFlags & { json?: boolean }) => {
      const { listImage } = await import('./fs-run.js');
      await listImage(image, flags);
    });
  addRegionOptions(fs.command('extract')
    .description('write every file of a SPIFFS image into a folder (created if missing; nothing is written if the image is corrupt)')
    .argument('<image>', 'SPIFFS image or flash dump')
    .argument('<dir>', 'target folder'))
    .action(async (image: string, dir: string, flags: RegionFlags) => {
      const { extractImage } = await import('./fs-run.js');
      await extractImage(image, dir, flags);
    });
  registerFsPull(fs);
}
