import { resolve } from 'node:path';
import type { Command } from 'commander';
import { isUserError } from '../errors.js';
import type { PartitionEntry } from '../formats/partition-types.js';
import type { BoardOutcome } from '../flasher/multi.js';
import { safeText } from '../safe-text.js';
import { addConnectionOptions, type ConnectionFlags } from './options.js';

interface PullFlags extends ConnectionFlags {
  partition?: string;
  image?: string;
}

interface Pulled {
  partition: { label: string; offset: number; size: number };
  files: Array<{ name: string; size: number }>;
  dir: string;
  image?: string;
}

/** Saves the raw image if asked, then extracts its files; a user error becomes the board's failed outcome. */
async function unpack(port: string, read: { partition: PartitionEntry; data: Uint8Array }, dir: string, image?: string): Promise<BoardOutcome<Pulled>> {
  const [{ writeFileAtomic }, { readSpiffs }, { extractFiles }] = await Promise.all([
    import('../settings/atomic-write.js'), import('../formats/spiffs-reader.js'), import('../settings/fs-image.js'),
  ]);
  try {
    if (image) await writeFileAtomic(image, read.data);
    const { files } = readSpiffs(read.data);
    await extractFiles(files, dir);
    const { label, offset, size } = read.partition;
    return { port, ok: true, result: { partition: { label, offset, size }, files: files.map((f) => ({ name: f.name, size: f.size })), dir, ...(image ? { image: resolve(image) } : {}) } };
  } catch (e) {
    if (!isUserError(e)) throw e;
    return { port, ok: false, error: { code: e.code, message: e.message, exitCode: e.exitCode, ...(e.hint ? { hint: e.hint } : {}) } };
  }
}

/**
 * `esp-sse fs pull DIR`: the board's files, read over the serial port from the partition its
 * own table names (the one `SPIFFS.begin()` mounts unless `--partition`), MD5-verified, then
 * extracted as `fs extract` does (nothing written if the image is corrupt). `--image` keeps the
 * raw partition too, written before the files are parsed, so a damaged volume is still saved.
 */
export function registerFsPull(fs: Command): void {
  const cmd = fs.command('pull')
    .description('copy the files of a board\'s SPIFFS partition into a folder: read over the serial port (MD5-verified) from the partition its own table names, then extracted (a backup before reflashing, or to see what a board serves)')
    .argument('<dir>', 'target folder (created if missing)')
    .option('--partition <label>', 'the partition to read (default: the one SPIFFS.begin() mounts, the first spiffs partition)')
    .option('--image <file>', 'also save the raw partition image (written even if its files cannot be read)');
  addConnectionOptions(cmd, { multi: false })
    .action(async (dir: string, flags: PullFlags) => {
      const target = resolve(dir);
      const [{ withBoards }, { readPartitionFromBoard }, { selectPulledPartition }] = await Promise.all([import('./board-command.js'), import('../flasher/jobs.js'), import('../flasher/fs-image.js')]);
      await withBoards(flags, { multi: false }, async (ctx) => {
        const read = await readPartitionFromBoard(ctx.connection, (table) => selectPulledPartition(table, 'spiffs', flags.partition));
        const outcome = read.ok ? await unpack(read.port, read.result, target, flags.image) : read;
        ctx.report([outcome], (port, r) => {
          const bytes = r.files.reduce((n, f) => n + f.size, 0);
          return `${port}: pulled ${r.files.length} file${r.files.length === 1 ? '' : 's'} (${bytes} bytes) from partition '${safeText(r.partition.label)}' at 0x${r.partition.offset.toString(16)} into ${dir}`
            + (r.image ? `; raw image in ${flags.image}` : '');
        });
      });
    });
}
