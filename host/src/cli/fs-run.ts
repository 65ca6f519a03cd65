/**
 * `esp-sse fs build|ls|extract` when they run (fs.ts declares their options).
 */
import { readFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import pc from 'picocolors';
import { UserError } from '../errors.js';
import { checkImageSize } from '../formats/spiffs-builder.js';
import { locateSpiffs, type SpiffsRegion } from '../formats/spiffs-locate.js';
import { readSpiffs, type SpiffsFile, type SpiffsUsage } from '../formats/spiffs-reader.js';
import { fsTargetWarning, mountedSpiffsPartition, pickFsPartition } from '../formats/fs-partition.js';
import { writeFileAtomic } from '../settings/atomic-write.js';
import { buildFolderImage, extractFiles } from '../settings/fs-image.js';
import { loadProjectSettings, type ProjectSettings } from '../settings/project.js';
import { safeJson, safeText } from '../safe-text.js';
import type { BuildFlags, RegionFlags } from './fs.js';
import { parseNumber } from './options.js';
import { printWarning } from './warn.js';

const hex = (n: number): string => `0x${n.toString(16)}`;
const shown = (p: string): string => {
  const r = relative(process.cwd(), p);
  return r === '' ? '.' : r.startsWith('..') ? p : r;
};
const count = (n: number): string => `${n} file${n === 1 ? '' : 's'}`;
const note = (s: string): void => { process.stderr.write(`${pc.dim('note:')} ${safeText(s, { multiline: true })}\n`); };

async function readImageFile(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError('fs.no-image', code === 'ENOENT' ? `image ${path} does not exist` : `cannot read image ${path}: ${(e as Error).message}`,
      'give the path of a SPIFFS image (esp-sse fs build) or of a full flash dump (esp-sse read-flash)', 2, { cause: e });
  }
}

/** Reads IMAGE and mounts its SPIFFS volume (the whole file, the range given, or a flash dump's partition). */
async function openImage(path: string, flags: RegionFlags): Promise<{ region: SpiffsRegion; files: SpiffsFile[]; usage: SpiffsUsage }> {
  const bytes = await readImageFile(path);
  const region = locateSpiffs(bytes, {
    ...(flags.offset !== undefined ? { offset: parseNumber(flags.offset, '--offset') } : {}),
    ...(flags.size !== undefined ? { size: parseNumber(flags.size, '--size') } : {}),
    ...(flags.partition !== undefined ? { label: flags.partition } : {}),
  });
  if (region.from === 'flash') {
    note(`${path} is a flash dump: reading partition '${safeText(region.label ?? '')}' at ${hex(region.offset)} (${hex(region.size)} bytes)`);
    // The last filesystem partition is where PlatformIO writes; the board mounts the first spiffs one.
    const mounted = mountedSpiffsPartition(region.table ?? []);
    if (flags.partition === undefined && mounted && mounted.label !== region.label) {
      note(`the board mounts '${safeText(mounted.label)}' at ${hex(mounted.offset)} (SPIFFS.begin() takes the first spiffs partition); --partition ${safeText(mounted.label)} for the files it serves`);
    }
  }
  const { files, usage } = readSpiffs(region.image);
  return { region, files, usage };
}

/** `SIZE  NAME` lines, sizes right-aligned; names escaped (an image's names may hold ESC or newlines). */
export function formatListing(files: ReadonlyArray<{ name: string; size: number }>): string {
  const w = Math.max(4, ...files.map((f) => String(f.size).length));
  return files.map((f) => `${String(f.size).padStart(w)}  ${safeText(f.name)}\n`).join('');
}

/** `fs build`: the data folder as a SPIFFS image sized to the filesystem partition (or --size). */
export async function buildImage(flags: BuildFlags): Promise<void> {
  let project: ProjectSettings | undefined;
  const needProject = async (): Promise<ProjectSettings> => (project ??= await loadProjectSettings(flags.project, flags.env));
  const dataDir = flags.data !== undefined ? resolve(flags.data) : (await needProject()).dataDir;
  let size: number;
  let partition: { label: string; offset: number; size: number } | undefined;
  if (flags.size !== undefined) {
    size = parseNumber(flags.size, '--size');
    checkImageSize(size);
  } else {
    const p = await needProject();
    if (p.filesystem !== 'spiffs') {
      throw new UserError('fs.unsupported-filesystem', `board_build.filesystem = ${p.filesystem} in ${p.iniPath}; esp-sse builds SPIFFS images`,
        'set board_build.filesystem = spiffs, or pass --size to build a SPIFFS image anyway');
    }
    const table = await p.partitionTable();
    const part = pickFsPartition(table, { name: `partition table ${p.partitions}`, hint: 'pass --size BYTES, or use a table with a spiffs partition (board_build.partitions = default.csv)' },
      { require: 'filesystem', ...(flags.partition !== undefined ? { label: flags.partition } : {}) });
    const unseen = fsTargetWarning(table, part);
    if (unseen) printWarning(unseen.code, unseen.message, unseen.hint);
    partition = { label: part.label, offset: part.offset, size: part.size };
    size = part.size;
    checkImageSize(size);
  }
  const out = flags.out !== undefined ? resolve(flags.out)
    : (await needProject()).iniFound ? join((await needProject()).buildDir, 'spiffs.bin') : resolve('spiffs.bin');
  const built = await buildFolderImage(dataDir, size, { onSkip: (path, reason) => note(`skipping ${shown(path)} (${reason})`) });
  await writeFileAtomic(out, built.image);
  const bytes = built.files.reduce((n, f) => n + f.size, 0);
  if (flags.json) {
    process.stdout.write(`${safeJson({ out, dataDir, size, partition, files: built.files, bytes, pagesUsed: built.space.used, pagesUsable: built.space.usable })}\n`);
    return;
  }
  const where = partition ? ` for partition '${safeText(partition.label)}' at ${hex(partition.offset)}` : '';
  process.stdout.write(`wrote ${shown(out)}: ${count(built.files.length)} (${bytes} bytes) from ${shown(dataDir)} in a ${size}-byte (${hex(size)}) SPIFFS image${where}; `
    + `${built.space.used} of ${built.space.usable} pages used\n`);
}

/** `fs ls`: the files of an image (or of a flash dump's filesystem partition) and its page usage. */
export async function listImage(image: string, flags: RegionFlags & { json?: boolean }): Promise<void> {
  const { region, files, usage } = await openImage(image, flags);
  const list = files.map((f) => ({ name: f.name, size: f.size }));
  if (flags.json) {
    process.stdout.write(`${safeJson({ image, offset: region.offset, size: region.size, ...(region.label ? { partition: region.label } : {}), files: list, usage })}\n`);
    return;
  }
  process.stdout.write(formatListing(list));
  const bytes = list.reduce((n, f) => n + f.size, 0);
  const total = usage.blockCount * 15;
  process.stderr.write(`${count(list.length)}, ${bytes} bytes; pages: ${usage.livePages} used, ${usage.deletedPages} deleted, ${usage.freePages} free of ${total}\n`);
}

/** `fs extract`: every file of an image into a folder. */
export async function extractImage(image: string, dir: string, flags: RegionFlags): Promise<void> {
  const { files } = await openImage(image, flags);
  await extractFiles(files, resolve(dir));
  const bytes = files.reduce((n, f) => n + f.size, 0);
  process.stdout.write(`extracted ${count(files.length)} (${bytes} bytes) to ${shown(resolve(dir))}\n`);
}
