/**
 * `esp-sse partitions [file]`: its options (all that --help loads); the run is partitions-run.ts.
 */
import type { Command } from 'commander';

export interface PartitionsFlags {
  out?: string;
  format?: string;
  flashSize?: string;
  offset: string;
  md5: boolean;
  verify: boolean;
  json?: boolean;
  project: string;
  env?: string;
}

export function registerPartitions(program: Command): void {
  program
    .command('partitions')
    .description('print a partition table (CSV, 0xC00-byte binary, or a built-in Arduino table name), check it, or convert it with --out')
    .argument('[file]', 'table file or built-in name (default.csv, min_spiffs, huge_app, …); default: board_build.partitions of platformio.ini')
    .option('--out <file>', 'write the table: .bin → binary with MD5 entry, .csv → CSV (else the other form of the input)')
    .option('--format <csv|bin>', 'output form for --out, whatever its extension')
    .option('--flash-size <size>', 'check the table fits this flash, e.g. 4MB (default: a built-in table\'s own size, board_upload.flash_size)')
    .option('--offset <bytes>', 'partition table offset, for blank offsets in a CSV', '0x8000')
    .option('--no-md5', 'binary output without the MD5 entry (gen_esp32part --disable-md5sum)')
    .option('--no-verify', 'skip the checks (alignment, overlaps, otadata, flash size)')
    .option('--json', 'print the entries as JSON')
    .option('--project <dir>', 'PlatformIO project directory, when FILE is not given', '.')
    .option('-e, --env <name>', 'platformio.ini environment, when FILE is not given')
    .action(async (file: string | undefined, flags: PartitionsFlags) => {
      const { runPartitions } = await import('./partitions-run.js');
      await runPartitions(file, flags);
    });
}
