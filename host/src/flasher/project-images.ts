import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join, relative } from 'node:path';
import { UserError } from '../errors.js';
import { exitCodes } from './exit-codes.js';
import { offsets } from '../formats/flash-layout.js';
import type { FlashImage } from './plan.js';

const hex = (n: number) => `0x${n.toString(16)}`;

/** A path as messages show it: relative to the working folder when it is inside it. */
export function displayPath(path: string, cwd = process.cwd()): string {
  const rel = relative(cwd, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

async function readImage(path: string): Promise<Uint8Array | undefined> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new UserError('image.unreadable', `cannot read ${path}: ${(e as Error).message}`, 'check the path and its permissions', exitCodes.usage, { cause: e });
  }
}

/**
 * The initial otadata PlatformIO writes at 0xE000 comes from the Arduino framework package
 * (`tools/partitions/boot_app0.bin`). When it is not installed we write an erased 8 KiB
 * otadata instead: with no valid OTA entry the bootloader boots the first app slot (app0),
 * which is what boot_app0.bin selects too.
 */
export const ERASED_OTADATA_SIZE = 0x2000;

function bootApp0Candidates(env: Record<string, string | undefined>): string[] {
  const core = env.PLATFORMIO_CORE_DIR ?? join(homedir(), '.platformio');
  return [join(core, 'packages', 'framework-arduinoespressif32', 'tools', 'partitions', 'boot_app0.bin')];
}

export interface BuildFolderImages {
  images: FlashImage[];
  notes: string[];
}

/**
 * PlatformIO's four images for an env: `bootloader.bin` (0x1000), `partitions.bin` (0x8000),
 * boot_app0 (0xE000) and `firmware.bin` (0x10000), as `pio run -t upload` writes them.
 */
export async function loadBuildFolder(buildDir: string, env: Record<string, string | undefined> = process.env, bootApp0?: string): Promise<BuildFolderImages> {
  const notes: string[] = [];
  const need = async (file: string, address: number): Promise<FlashImage> => {
    const path = join(buildDir, file);
    const data = await readImage(path);
    if (!data) {
      throw new UserError('project.not-built', `${path} does not exist`,
        'build the firmware first (pio run), pass --env for another environment, or give ADDRESS FILE pairs', exitCodes.usage);
    }
    return { address, data, name: displayPath(path) };
  };
  const images = [
    await need('bootloader.bin', offsets.bootloader),
    await need('partitions.bin', offsets.partitionTable),
  ];
  let otadata: FlashImage | undefined;
  for (const path of bootApp0 ? [bootApp0] : bootApp0Candidates(env)) {
    const data = await readImage(path);
    if (data) otadata = { address: offsets.bootApp0, data, name: path, role: 'otadata' };
    else if (bootApp0) throw new UserError('image.unreadable', `${path} does not exist`, 'check --boot-app0', exitCodes.usage);
  }
  if (!otadata) {
    notes.push(`boot_app0.bin not found; writing an erased otadata at ${hex(offsets.bootApp0)} (boots app0)`);
    otadata = { address: offsets.bootApp0, data: new Uint8Array(ERASED_OTADATA_SIZE).fill(0xff), name: 'otadata (erased)', role: 'otadata' };
  }
  images.push(otadata, await need('firmware.bin', offsets.app));
  return { images, notes };
}

/** `ADDRESS FILE` pairs from the command line (`0x10000 app.bin 0x290000 fs.bin`). */
export async function loadImagePairs(args: readonly string[], parseAddress: (text: string) => number): Promise<FlashImage[]> {
  if (args.length % 2 !== 0) {
    throw new UserError('cli.odd-pairs', `images are ADDRESS FILE pairs; got ${args.length} arguments`, 'e.g. esp-sse flash 0x10000 firmware.bin', exitCodes.usage);
  }
  const images: FlashImage[] = [];
  for (let i = 0; i < args.length; i += 2) {
    const address = parseAddress(args[i]!);
    const path = args[i + 1]!;
    const data = await readImage(path);
    if (!data) throw new UserError('image.not-found', `${path} does not exist`, 'check the file name', exitCodes.usage);
    images.push({ address, data, name: path });
  }
  return images;
}
