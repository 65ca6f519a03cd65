/**
 * `esp-sse flash` when it runs (flash.ts declares its options): the images from ADDRESS FILE
 * pairs or the build folder, checked against the partition table, written to every board, then
 * the monitor with `--monitor`.
 */
import { join } from 'node:path';
import { buildFsImage, selectFsPartition } from '../flasher/fs-image.js';
import { flashBoards } from '../flasher/jobs.js';
import { keepLoans } from '../flasher/keep-loans.js';
import type { FlashImage } from '../flasher/plan.js';
import { loadBuildFolder, loadImagePairs } from '../flasher/project-images.js';
import { offsets, type PartitionSlot } from '../formats/flash-layout.js';
import { fsTargetWarning } from '../formats/fs-partition.js';
import { withBoards } from './board-command.js';
import type { FlashFlags } from './flash.js';
import { flashSummary } from './flash-render.js';
import { projectFsType } from './fs-type-option.js';
import { monitorAfterFlash, prepareFlashMonitor } from './monitor-run.js';
import { parseNumber } from './options.js';
import { parsePartitionBinary, type ProjectSettings } from './project-settings.js';
import { printWarning } from './warn.js';

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

/** Flashes the images to every board the flags name, then monitors the one board with `--monitor`. */
export async function runFlash(pairs: string[], flags: FlashFlags): Promise<void> {
  const handover = prepareFlashMonitor(flags);
  await withBoards(flags, { multi: true }, async (ctx) => {
    const note = (s: string) => { if (!ctx.json) process.stderr.write(`note: ${s}\n`); };
    const { images, table } = await collectImages(pairs, flags, ctx.project, note);
    if (flags.fs) {
      const fsTable = table ?? (await ctx.project.partitionTable());
      const part = selectFsPartition(fsTable);
      const type = projectFsType(flags, ctx.project);
      const unseen = fsTargetWarning(fsTable, part, type);
      if (unseen) printWarning(unseen.code, unseen.message, unseen.hint);
      images.push(await buildFsImage(flags.data ?? ctx.project.dataDir, part, type));
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
}
