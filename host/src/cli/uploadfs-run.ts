/**
 * `esp-sse uploadfs` when it runs (uploadfs.ts declares its options): the filesystem image,
 * built from the data folder or given, checked against the partition table and written.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { exitCodes } from '../errors.js';
import { buildFsImage, selectFsPartition } from '../flasher/fs-image.js';
import { flashBoards } from '../flasher/jobs.js';
import type { FlashImage } from '../flasher/plan.js';
import type { PartitionSlot } from '../formats/flash-layout.js';
import { fsTargetWarning } from '../formats/fs-partition.js';
import { withBoards } from './board-command.js';
import { flashSummary } from './flash-render.js';
import { projectFsType } from './fs-type-option.js';
import { printWarning } from './warn.js';
import type { UploadFsFlags } from './uploadfs.js';
import { parsePartitionBinary, type ProjectSettings } from './project-settings.js';

/** The build folder's partitions.bin when the project was built, else the table platformio.ini names. */
async function projectTable(project: ProjectSettings): Promise<PartitionSlot[]> {
  const path = join(project.buildDir, 'partitions.bin');
  const bin = await readFile(path).catch(() => undefined);
  return bin ? parsePartitionBinary(new Uint8Array(bin), path) : project.partitionTable();
}

/** Writes the filesystem image to every board the flags name. */
export async function runUploadFs(flags: UploadFsFlags): Promise<void> {
  if (flags.image && flags.data) {
    throw new UserError('uploadfs.image-and-data', '--image and --data cannot be combined', 'give a data folder to build from, or a prebuilt image', exitCodes.usage);
  }
  await withBoards(flags, { multi: true }, async (ctx) => {
    const table = await projectTable(ctx.project);
    const part = selectFsPartition(table, flags.partition);
    const unseen = fsTargetWarning(table, part, projectFsType(flags, ctx.project));
    if (unseen) printWarning(unseen.code, unseen.message, unseen.hint);
    let image: FlashImage;
    if (flags.image) {
      const data = await readFile(flags.image).catch(() => {
        throw new UserError('image.not-found', `${flags.image} does not exist`, 'check the file name', exitCodes.usage);
      });
      image = { address: part.offset, data: new Uint8Array(data), name: flags.image, role: 'filesystem' };
    } else {
      image = await buildFsImage(flags.data ?? ctx.project.dataDir, part, projectFsType(flags, ctx.project));
    }
    const outcomes = await flashBoards(ctx.connection, [image], table, { compress: flags.compress, force: flags.force === true, eraseAll: false });
    ctx.report(outcomes, flashSummary);
  });
}
