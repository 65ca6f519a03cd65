/**
 * `esp-sse ports`: its options (all that --help loads); the run is ports-run.ts.
 */
import type { Command } from 'commander';
import { collect } from './options.js';

export interface PortsFlags {
  json?: boolean;
  portFilter?: string[];
}

export function registerPorts(program: Command): void {
  program
    .command('ports')
    .description('list serial ports with VID:PID, serial number and whether they look like an ESP32 USB-UART adapter')
    .option('--json', 'print the ports as JSON')
    .option('--port-filter <type=value>', 'only the ports that match, as the board commands\' --port-filter (vid=, pid=, name=, serial=; repeatable)', collect)
    .action(async (opts: PortsFlags) => {
      const { runPorts } = await import('./ports-run.js');
      await runPorts(opts);
    });
}
