import type { Command } from 'commander';
import { exitCodes, UserError } from '../errors.js';
import { addConnectionOptions, parseNumber, type ConnectionFlags } from './options.js';

export function registerErase(program: Command): void {
  const cmd = program
    .command('erase')
    .description('erase the whole flash, or the region ADDRESS SIZE (both multiples of 4096)')
    .argument('[address]', 'start of the region, e.g. 0x290000')
    .argument('[size]', 'size of the region, e.g. 0x160000');
  addConnectionOptions(cmd, { multi: true })
    .action(async (address: string | undefined, size: string | undefined, flags: ConnectionFlags) => {
      if (address !== undefined && size === undefined) {
        throw new UserError('erase.no-size', 'erase ADDRESS needs a SIZE too', 'e.g. esp-sse erase 0x290000 0x160000, or no arguments for the whole chip', exitCodes.usage);
      }
      const region = address !== undefined && size !== undefined ? { address: parseNumber(address, 'address'), size: parseNumber(size, 'size') } : undefined;
      const [{ withBoards }, { checkRegion }, { eraseBoards }] = await Promise.all([import('./board-command.js'), import('../flasher/operations.js'), import('../flasher/jobs.js')]);
      if (region) checkRegion(region.address, region.size);
      await withBoards(flags, { multi: true }, async (ctx) => {
        const outcomes = await eraseBoards(ctx.connection, region ? { region } : {});
        ctx.report(outcomes, (port) => region
          ? `${port}: erased 0x${region.address.toString(16)}..0x${(region.address + region.size).toString(16)}`
          : `${port}: chip erased`);
      });
    });
}
