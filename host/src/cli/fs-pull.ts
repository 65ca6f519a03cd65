import { resolve } from 'node:path';
import type { Command } from 'commander';
import { isUserError } from '../errors.js';
import type { FsType } from '../formats/fs-type.js';
import type { PartitionEntry } from '../formats/partition-types.js';
import type { BoardOutcome } from '../flasher/multi.js';
import { safeText } from '../safe-text.js';
import { addFsTypeOption, type FsTypeFlags } from './fs-type-option.js';
import { addConnectionOptions, type ConnectionFlags } from './options.js';

interface PullFlags extends ConnectionFlags, FsTypeFlags {
  partition?: string;
  image?: string;
}

interface Pulled {
  partition: { label: string; offset: number; size: number };
  fsType: FsType;
  files: Array<{ name: string; size: number }>;
  dir: string;
  image?: string;
}

/** Saves the raw image if asked, then extracts its files; a user error becomes the board's failed outcome. */
async function unpack(port: string, read: { partition: PartitionEntry; data: Uint8Array }, type: FsType, dir: string, image?: string): Promise<BoardOutcome<Pulled>> {
  const [{ writeFileAtomic }, { readFsImage }, { extractFiles }] = await Promise.all([
    import('../settings/atomic-write.js'), import('../formats/fs-volume.js'), import('../settings/fs-image.js'),
  ]);
  try {
    if (image) await writeFileAtomic(image, read.data);
    const { files } = readFsImage(read.data, type);
    await extractFiles(files, dir);
    const { label, offset, size } = read.partition;
    const result: Pulled = { partition: { label, offset, size }, fsType: type, files: files.map((f) => ({ name: f.name, size: f.data.length })), dir, ...(image ? { image: resolve(image) } : {}) };
    return { port, ok: true, result };
  } catch (e) {
    if (!isUserError(e)) throw e;
    return { port, ok: false, error: { code: e.code, message: e.message, exitCode: e.exitCode, ...(e.hint ? { hint: e.hint } : {}) } };
  }
}

/**
 * `esp-sse fs pull DIR`: the board's files, read over the serial port from the partition its
 * own table names (the one `SPIFFS.begin()` or `LittleFS.begin()` mounts unless
 * `--partition`), MD5-verified, read as `--fs-type` (default `board_build.filesystem`), then
 * extracted as `fs extract` does (nothing written if the image is corrupt). `--image` keeps the
 * raw partition too, written before the files are parsed, so a damaged volume is still saved.
 */
export function registerFsPull(fs: Command): void {
  const cmd = addFsTypeOption(fs.command('pull')
    .description('copy the files of a board\'s SPIFFS or LittleFS partition into a folder: read over the serial port (MD5-verified) from the partition its own table names, then extracted (a backup before reflashing, or to see what a board serves)')
    .argument('<dir>', 'target folder (created if missing)')
    .option('--partition <label>', 'the partition to read (default: the one SPIFFS.begin() mounts, the first spiffs partition; for LittleFS the one labelled spiffs)')
    .option('--image <file>', 'also save the raw partition image (written even if its files cannot be read)'), 'read as spiffs or littlefs (default: board_build.filesystem, else spiffs)');
  addConnectionOptions(cmd, { multi: false })
    .action(async (dir: string, flags: PullFlags) => {
      const target = resolve(dir);
      const [{ withBoards }, { readPartitionFromBoard }, { selectPulledPartition }, { projectFsType }, { fsTypeLabel }] = await Promise.all([
        import('./board-command.js'), import('../flasher/jobs.js'), import('../flasher/fs-image.js'), import('./fs-type-option.js'), import('../formats/fs-type.js'),
      ]);
      await withBoards(flags, { multi: false }, async (ctx) => {
        const type = projectFsType(flags, ctx.project);
        const read = await readPartitionFromBoard(ctx.connection, (table) => selectPulledPartition(table, type, flags.partition));
        const outcome = read.ok ? await unpack(read.port, read.result, type, target, flags.image) : read;
        ctx.report([outcome], (port, r) => {
          const bytes = r.files.reduce((n, f) => n + f.size, 0);
          return `${port}: pulled ${r.files.length} file${r.files.length === 1 ? '' : 's'} (${bytes} bytes) from partition '${safeText(r.partition.label)}' at 0x${r.partition.offset.toString(16)} into ${dir} (a ${fsTypeLabel[r.fsType]} volume)`
            + (r.image ? `; raw image in ${flags.image}` : '');
        });
      });
    });
}
