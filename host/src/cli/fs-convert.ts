/**
 * `esp-sse fs convert IMAGE OUT`: an image (or a saved partition) of one filesystem type
 * rewritten as the other with the same files, the step that keeps a board's files when a
 * project moves from SPIFFS to LittleFS. The codecs load only when it runs.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { FS_TYPES } from '../formats/fs-type.js';

interface ConvertFlags {
  to?: string;
  size?: string;
}

async function runConvert(image: string, out: string, flags: ConvertFlags): Promise<void> {
  const [{ readImageFile }, { convertFsImage }, { fsTypeLabel, parseFsType }, { writeFileAtomic }, { parseNumber }, { safeText }] = await Promise.all([
    import('./fs-run.js'), import('../formats/fs-volume.js'), import('../formats/fs-type.js'), import('../settings/atomic-write.js'),
    import('./options.js'), import('../safe-text.js'),
  ]);
  const to = flags.to !== undefined ? parseFsType(flags.to, '--to') : undefined;
  const size = flags.size !== undefined ? parseNumber(flags.size, '--size') : undefined;
  const bytes = await readImageFile(image);
  const done = convertFsImage(bytes, { ...(to ? { to } : {}), ...(size !== undefined ? { size } : {}) });
  await writeFileAtomic(resolve(out), done.image);
  const total = done.files.reduce((n, f) => n + f.data.length, 0);
  process.stdout.write(`wrote ${safeText(out)}: ${done.files.length} file${done.files.length === 1 ? '' : 's'} (${total} bytes) from the ${fsTypeLabel[done.from]} image ${safeText(image)}, `
    + `as a ${done.image.length}-byte (0x${done.image.length.toString(16)}) ${fsTypeLabel[done.to]} image\n`);
}

export function registerFsConvert(fs: Command): void {
  fs.command('convert')
    .description('rewrite a SPIFFS image as LittleFS or the other way round, with the same files (its type recognised from the contents; written atomically, nothing written if the files do not fit)')
    .argument('<image>', 'the image to convert: a SPIFFS or LittleFS image, or a partition saved by fs pull --image or read-flash')
    .argument('<out>', 'the image to write')
    .option(`--to <${FS_TYPES.join('|')}>`, 'the type to write (default: the other one)')
    .option('--size <bytes>', 'size of the new image, e.g. 0x160000 (default: the size of IMAGE)')
    .action(runConvert);
}
