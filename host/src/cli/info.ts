import type { Command } from 'commander';
import type { ChipInfo } from '../flasher/events.js';
import { addConnectionOptions, type ConnectionFlags } from './options.js';

/** The `info` block esptool users know: chip, features, crystal, MAC, flash size. */
export function chipLines(port: string, c: ChipInfo): string {
  return [
    `Port:      ${port}`,
    `Chip:      ${c.description}`,
    `Revision:  ${c.revision ?? '?'}`,
    `Features:  ${c.features.join(', ')}`,
    `Crystal:   ${c.crystalMHz} MHz`,
    `MAC:       ${c.mac}`,
    `Flash:     ${c.flashSize ?? 'unknown'}${c.flashId !== undefined ? ` (JEDEC id ${c.flashId.toString(16).padStart(6, '0')})` : ''}`,
  ].join('\n');
}

export function registerInfo(program: Command): void {
  const cmd = program
    .command('info')
    .description('connect to the board and print chip, revision, features, crystal, MAC and flash size');
  addConnectionOptions(cmd, { multi: true })
    .action(async (flags: ConnectionFlags) => {
      const [{ withBoards }, { infoBoards }] = await Promise.all([import('./board-command.js'), import('../flasher/jobs.js')]);
      await withBoards(flags, { multi: true }, async (ctx) => {
        ctx.report(await infoBoards(ctx.connection), chipLines);
      });
    });
}
