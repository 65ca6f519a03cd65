/**
 * The `esp-sse` command tree: every subcommand registered on one commander program. `main.ts`
 * runs it; tests walk it (hint and README checks parse their `--option` mentions against it).
 */
import { Command } from 'commander';
import { registerDiscover } from './discover.js';
import { registerEmulate } from './emulate.js';
import { registerHil } from './hil.js';
import { registerErase } from './erase.js';
import { registerFlash } from './flash.js';
import { registerInfo } from './info.js';
import { registerMonitor } from './monitor.js';
import { registerPorts } from './ports.js';
import { registerReadFlash } from './read-flash.js';
import { registerUploadFs } from './uploadfs.js';
import { registerFs } from './fs.js';
import { registerPartitions } from './partitions.js';

export function createProgram(): Command {
  const program = new Command('esp-sse')
    .description('Firmware tooling for ESP32 boards that serve a live page over Server-Sent Events')
    .version('0.1.0');

  // How this process names itself: in `ps`, and to an esp-sse monitor that lends it its port
  // ("--- port released to esp-sse flash (pid N)").
  program.hook('preAction', (_program, command) => {
    const names: string[] = [];
    for (let c: Command | null = command; c && c !== program; c = c.parent) names.unshift(c.name());
    process.title = ['esp-sse', ...names].join(' ');
  });

  // Command registrations (one line per command file).
  registerDiscover(program);
  registerEmulate(program);
  registerFlash(program);
  registerUploadFs(program);
  registerErase(program);
  registerInfo(program);
  registerReadFlash(program);
  registerPorts(program);
  registerMonitor(program);
  registerHil(program);
  registerFs(program);
  registerPartitions(program);
  return program;
}
