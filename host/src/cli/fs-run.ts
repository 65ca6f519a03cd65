/**
 * `esp-sse fs build|ls|extract` when they run (fs.ts declares their options).
 */
import { readFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import pc from 'picocolors';
import { UserError } from '../errors.js';
import { fsTargetWarning, mountedPartition, pickFsPartition } from '../formats/fs-partition.js';
import { fsTypeLabel, parseFsType, type FsType } from '../formats/fs-type.js';
import { detectFsType, readFsImage, type FsContents } from '../formats/fs-volume.js';
import { locateSpiffs, type SpiffsRegion } from '../formats/spiffs-locate.js';
import { writeFileAtomic } from '../settings/atomic-write.js';
import { buildFolderImage, extractFiles } from '../settings/fs-image.js';
import { loadProjectSettings, type ProjectSettings } from '../settings/project.js';
import { safeJson, safeText } from '../safe-text.js';
import type { BuildFlags, RegionFlags } from './fs.js';
import { projectFsType } from './fs-type-option.js';
import { parseNumber } from './options.js';
import { printWarning } from './warn.js';

const hex = (n: number): string => `0x${n.toString(16)}`;
const shown = (p: string): string => {
  const r = relative(process.cwd(), p);
  return r === '' ? '.' : r.startsWith('..') ? p : r;
};
const count = (n: number): string => `${n} file${n === 1 ? '' : 's'}`;
const note = (s: string): void => { process.stderr.write(`${pc.dim('note:')} ${safeText(s, { multiline: true })}\n`); };
const mountRule: Readonly<Record<FsType, string>> = {
  spiffs: 'SPIFFS.begin() takes the first spiffs partition',
  littlefs: "LittleFS.begin() takes the partition labelled 'spiffs'",
};

/** The bytes of the image file PATH; `fs.no-image` when it cannot be read. */
export async function readImageFile(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError('fs.no-image', code === 'ENOENT' ? `image ${path} does not exist` : `cannot read image ${path}: ${(e as Error).message}`,
      'give the path of a SPIFFS or LittleFS image (esp-sse fs build) or of a full flash dump (esp-sse read-flash)', 2, { cause: e });
  }
}

/**
 * Reads IMAGE and mounts its volume (the whole file, the range given, or a flash dump's
 * partition) as `--fs-type`, else as the type its contents show; notes on stderr which it read.
 */
async function openImage(path: string, flags: RegionFlags): Promise<{ region: SpiffsRegion; contents: FsContents }> {
  const bytes = await readImageFile(path);
  const region = locateSpiffs(bytes, {
    ...(flags.offset !== undefined ? { offset: parseNumber(flags.offset, '--offset') } : {}),
    ...(flags.size !== undefined ? { size: parseNumber(flags.size, '--size') } : {}),
    ...(flags.partition !== undefined ? { label: flags.partition } : {}),
  });
  const type = flags.fsType !== undefined ? parseFsType(flags.fsType, '--fs-type') : detectFsType(region.image);
  if (region.from === 'flash') {
    note(`${path} is a flash dump: reading partition '${safeText(region.label ?? '')}' at ${hex(region.offset)} (${hex(region.size)} bytes)`);
    // The last filesystem partition is where PlatformIO writes; the board may mount another.
    const mounted = mountedPartition(region.table ?? [], type);
    if (flags.partition === undefined && mounted && mounted.label !== region.label) {
      note(`the board mounts '${safeText(mounted.label)}' at ${hex(mounted.offset)} (${mountRule[type]}); --partition ${safeText(mounted.label)} for the files it serves`);
    }
  }
  note(`reading a ${fsTypeLabel[type]} image (${flags.fsType !== undefined ? '--fs-type' : 'recognised from its contents'})`);
  return { region, contents: readFsImage(region.image, type) };
}

/** `SIZE  NAME` lines, sizes right-aligned; names escaped (an image's names may hold ESC or newlines). */
export function formatListing(files: ReadonlyArray<{ name: string; size: number }>): string {
  const w = Math.max(4, ...files.map((f) => String(f.size).length));
  return files.map((f) => `${String(f.size).padStart(w)}  ${safeText(f.name)}\n`).join('');
}

/** The image size and, from the project's table, the partition it is for. */
async function imageTarget(flags: BuildFlags, type: FsType, project: () => Promise<ProjectSettings>): Promise<{ size: number; partition?: { label: string; offset: number; size: number } }> {
  if (flags.size !== undefined) return { size: parseNumber(flags.size, '--size') };
  const p = await project();
  const table = await p.partitionTable();
  const part = pickFsPartition(table, { name: `partition table ${p.partitions}`, hint: 'pass --size BYTES, or use a table with a spiffs partition (board_build.partitions = default.csv)' },
    { require: 'filesystem', ...(flags.partition !== undefined ? { label: flags.partition } : {}) });
  const unseen = fsTargetWarning(table, part, type);
  if (unseen) printWarning(unseen.code, unseen.message, unseen.hint);
  return { size: part.size, partition: { label: part.label, offset: part.offset, size: part.size } };
}

/** `fs build`: the data folder as a SPIFFS or LittleFS image sized to the filesystem partition (or --size). */
export async function buildImage(flags: BuildFlags): Promise<void> {
  let project: ProjectSettings | undefined;
  const needProject = async (): Promise<ProjectSettings> => (project ??= await loadProjectSettings(flags.project, flags.env));
  const type = flags.fsType !== undefined ? parseFsType(flags.fsType, '--fs-type') : projectFsType({}, await needProject());
  const dataDir = flags.data !== undefined ? resolve(flags.data) : (await needProject()).dataDir;
  const { size, partition } = await imageTarget(flags, type, needProject);
  const out = flags.out !== undefined ? resolve(flags.out)
    : (await needProject()).iniFound ? join((await needProject()).buildDir, `${type}.bin`) : resolve(`${type}.bin`);
  const built = await buildFolderImage(dataDir, size, { type, onSkip: (path, reason) => note(`skipping ${shown(path)} (${reason})`) });
  await writeFileAtomic(out, built.image);
  const bytes = built.files.reduce((n, f) => n + f.size, 0);
  const { unit, used, usable } = built.space;
  if (flags.json) {
    const space = unit === 'page' ? { pagesUsed: used, pagesUsable: usable } : { blocksUsed: used, blocks: usable };
    process.stdout.write(`${safeJson({ out, dataDir, fsType: type, size, partition, files: built.files, bytes, ...space })}\n`);
    return;
  }
  const where = partition ? ` for partition '${safeText(partition.label)}' at ${hex(partition.offset)}` : '';
  process.stdout.write(`wrote ${shown(out)}: ${count(built.files.length)} (${bytes} bytes) from ${shown(dataDir)} in a ${size}-byte (${hex(size)}) ${fsTypeLabel[type]} image${where}; `
    + `${used} of ${usable} ${unit}s used\n`);
}

/** `fs ls`: the files of an image (or of a flash dump's filesystem partition), its type and usage. */
export async function listImage(image: string, flags: RegionFlags & { json?: boolean }): Promise<void> {
  const { region, contents } = await openImage(image, flags);
  const list = contents.files.map((f) => ({ name: f.name, size: f.data.length }));
  const usage = contents.spiffs ?? contents.littlefs;
  if (flags.json) {
    process.stdout.write(`${safeJson({ image, fsType: contents.type, offset: region.offset, size: region.size, ...(region.label ? { partition: region.label } : {}), files: list, usage })}\n`);
    return;
  }
  process.stdout.write(formatListing(list));
  const bytes = list.reduce((n, f) => n + f.size, 0);
  const { spiffs: u, littlefs: sb } = contents;
  const detail = u ? `pages: ${u.livePages} used, ${u.deletedPages} deleted, ${u.freePages} free of ${u.blockCount * 15}`
    : sb ? `LittleFS ${sb.version >>> 16}.${sb.version & 0xffff}, ${sb.blockCount} blocks of ${sb.blockSize} bytes, names up to ${sb.nameMax} bytes` : '';
  process.stderr.write(`${count(list.length)}, ${bytes} bytes; ${detail}\n`);
}

/** `fs extract`: every file of an image into a folder. */
export async function extractImage(image: string, dir: string, flags: RegionFlags): Promise<void> {
  const { contents } = await openImage(image, flags);
  await extractFiles(contents.files, resolve(dir));
  const bytes = contents.files.reduce((n, f) => n + f.data.length, 0);
  process.stdout.write(`extracted ${count(contents.files.length)} (${bytes} bytes) of a ${fsTypeLabel[contents.type]} image to ${shown(resolve(dir))}\n`);
}
