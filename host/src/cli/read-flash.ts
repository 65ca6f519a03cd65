import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import { exitCodes, UserError } from '../errors.js';
import { addConnectionOptions, parseNumber, type ConnectionFlags } from './options.js';

/**
 * FILE's folder must exist (a mistyped path is not created behind the user's back); checked
 * before the board is touched.
 */
export function checkOutputFolder(file: string): void {
  const folder = dirname(file);
  const stat = statSync(folder, { throwIfNoEntry: false });
  if (stat?.isDirectory()) return;
  throw new UserError(
    'read.no-folder',
    stat ? `cannot write ${file}: ${folder} is not a folder` : `cannot write ${file}: the folder ${folder} does not exist`,
    `create it first (mkdir -p ${folder}), or give a file in an existing folder`,
    exitCodes.usage,
  );
}

export function registerReadFlash(program: Command): void {
  const cmd = program
    .command('read-flash')
    .description('read SIZE bytes (or ALL) from ADDRESS into FILE, checked against the flash MD5')
    .argument('<address>', 'start address, e.g. 0x10000')
    .argument('<size>', 'byte count (0x1000, 4096, 1M) or ALL for the rest of the flash')
    .argument('<file>', 'output file (written via a temporary file and a rename)');
  addConnectionOptions(cmd, { multi: false })
    .action(async (address: string, size: string, file: string, flags: ConnectionFlags) => {
      const start = parseNumber(address, 'address');
      const count = /^all$/i.test(size) ? undefined : parseNumber(size, 'size');
      checkOutputFolder(file);
      const [{ withBoards }, { readFromBoard }, { writeFileAtomic }] = await Promise.all([import('./board-command.js'), import('../flasher/jobs.js'), import('../settings/atomic-write.js')]);
      await withBoards(flags, { multi: false }, async (ctx) => {
        const outcome = await readFromBoard(ctx.connection, start, count);
        if (outcome.ok) await writeFileAtomic(file, outcome.result.data);
        ctx.report([outcome],
          (port, r) => `${port}: read ${r.data.length} bytes from 0x${start.toString(16)} into ${file} (MD5 verified)`,
          (r) => ({ chip: r.chip, address: start, size: r.data.length, file }));
      });
    });
}
