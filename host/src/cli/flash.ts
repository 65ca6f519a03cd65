import { join } from 'node:path';
import type { Command } from 'commander';
import pc from 'picocolors';
import { buildFsImage, selectFsPartition } from '../flasher/fs-image.js';
import { flashBoards, type BoardFlashResult } from '../flasher/jobs.js';
import { keepLoans } from '../flasher/keep-loans.js';
import { offsets, type PartitionSlot } from '../flasher/layout.js';
import type { FlashImage } from '../flasher/plan.js';
import { loadBuildFolder, loadImagePairs } from '../flasher/project-images.js';
import { fsTargetWarning } from '../formats/partition-validate.js';
import { withBoards } from './board-command.js';
import { plural, wireRate } from './flash-render.js';
import { monitorAfterFlash, prepareFlashMonitor } from './monitor.js';
import { addSessionOptions, type SessionFlags } from './monitor-options.js';
import { addConnectionOptions, parseNumber, type ConnectionFlags } from './options.js';
import { parsePartitionBinary, type ProjectSettings } from './project-settings.js';
import { printWarning } from './warn.js';

interface FlashFlags extends ConnectionFlags, SessionFlags {
  fs?: boolean;
  data?: string;
  force?: boolean;
  eraseAll?: boolean;
  compress: boolean;
  bootApp0?: string;
  monitor?: boolean;
}

/**
 * `port: ok, 4 images (2 written, 2 skipped), 1310720 bytes (301234 on the wire) in 1.31 s
 * (1839.6 kbit/s on the wire) at 921600 baud, ESP32-D0WD-V3 (revision 3)`; with nothing written,
 * `port: ok, 1 image (0 written, 1 skipped) at 921600 baud, …`.
 */
export function flashSummary(port: string, r: BoardFlashResult): string {
  const written = r.images.filter((i) => i.status === 'written');
  const bytes = written.reduce((n, i) => n + i.size, 0);
  const wire = written.reduce((n, i) => n + i.wireBytes, 0);
  const ms = written.reduce((n, i) => n + i.ms, 0);
  const moved = written.length > 0 ? `, ${plural(bytes, 'byte')} (${wire} on the wire) in ${(ms / 1000).toFixed(2)} s (${wireRate(wire, ms)})` : '';
  return `${port}: ${pc.green('ok')}, ${plural(r.images.length, 'image')} (${written.length} written, ${r.images.length - written.length} skipped)${moved}`
    + ` at ${r.baud} baud, ${r.chip.description}`;
}

/** The images and the table they are checked against, from ADDRESS FILE pairs or the build folder. */
export async function collectImages(pairs: string[], flags: { bootApp0?: string }, project: ProjectSettings, note: (s: string) => void): Promise<{ images: FlashImage[]; table?: PartitionSlot[] }> {
  let images: FlashImage[];
  if (pairs.length > 0) images = await loadImagePairs(pairs, (t) => parseNumber(t, 'address'));
  else {
    const built = await loadBuildFolder(project.buildDir, process.env, flags.bootApp0);
    built.notes.forEach(note);
    images = built.images;
  }
  const ptable = images.find((i) => i.address === offsets.partitionTable);
  const table = ptable ? parsePartitionBinary(ptable.data, ptable.name) : project.iniFound ? await project.partitionTable() : undefined;
  return table ? { images, table } : { images };
}

export function registerFlash(program: Command): void {
  const cmd = program
    .command('flash')
    .description('write the PlatformIO build (bootloader 0x1000, partitions 0x8000, boot_app0 0xe000, app 0x10000) or ADDRESS FILE pairs; compressed, MD5-verified, unchanged regions skipped')
    .argument('[pairs...]', 'ADDRESS FILE pairs, e.g. 0x10000 firmware.bin (default: the build folder of --env)')
    .option('--fs', 'also write the SPIFFS image built from the data folder at the filesystem partition')
    .option('--data <dir>', 'data folder for --fs (default: data_dir from platformio.ini)')
    .option('--force', 'write every image even when the flash already holds it')
    .option('--erase-all', 'erase the whole chip first')
    .option('--no-compress', 'send images uncompressed')
    .option('--boot-app0 <file>', 'otadata image for 0xe000 (default: the Arduino framework package, else an erased otadata)')
    .option('--monitor', 'then monitor the board on the same port, as esp-sse monitor does (one board; monitor_speed or 115200; options marked "with --monitor"); once the flash succeeded the exit code is the monitor\'s: 0 when --until matched, 1 on --timeout');
  addSessionOptions(addConnectionOptions(cmd, { multi: true }), 'flash')
    .action(async (pairs: string[], flags: FlashFlags) => {
      const handover = prepareFlashMonitor(flags);
      await withBoards(flags, { multi: true }, async (ctx) => {
        const note = (s: string) => { if (!ctx.json) process.stderr.write(`note: ${s}\n`); };
        const { images, table } = await collectImages(pairs, flags, ctx.project, note);
        if (flags.fs) {
          const fsTable = table ?? (await ctx.project.partitionTable());
          const part = selectFsPartition(fsTable);
          const unseen = fsTargetWarning(fsTable, part);
          if (unseen) printWarning(unseen.code, unseen.message, unseen.hint);
          images.push(await buildFsImage(flags.data ?? ctx.project.dataDir, part, ctx.project.filesystem));
        }
        // With --monitor, a port lent by a running esp-sse monitor stays here until this command's own monitor ends.
        const kept = handover ? keepLoans(ctx.connection.link) : undefined;
        try {
          const outcomes = await flashBoards(kept ? { ...ctx.connection, link: kept.link } : ctx.connection, images, table, { compress: flags.compress, force: flags.force === true, eraseAll: flags.eraseAll === true });
          ctx.report(outcomes, flashSummary);
          if (handover && outcomes.every((o) => o.ok)) {
            // The build folder's ELF matches what was flashed only when the build folder was flashed.
            const elf = pairs.length === 0 ? join(ctx.project.buildDir, 'firmware.elf') : undefined;
            await monitorAfterFlash(ctx.connection.ports[0]!, ctx.project.monitorSpeed, handover, elf, { lend: kept?.count === 0 });
          }
        } finally {
          await kept?.giveBackAll();
        }
      });
    });
}
