import type { Command } from 'commander';
import { describePortFilter, matchesPortFilter, parsePortFilters } from '../flasher/port-filter.js';
import { formatUsbId, listPorts, type PortEntry } from '../flasher/ports.js';
import { collect } from './options.js';
import { safeJson, safeText } from '../safe-text.js';

/** Aligned table: PORT, VID:PID, ADAPTER, SERIAL, ESP32? (USB descriptor strings escaped: they come from the device). */
export function portTable(ports: readonly PortEntry[]): string {
  const rows = [
    ['PORT', 'VID:PID', 'ADAPTER', 'SERIAL', 'ESP32'],
    ...ports.map((p) => [p.path, formatUsbId(p), p.adapter ?? p.manufacturer ?? '-', p.serialNumber ?? '-', p.likelyEsp32 ? 'likely' : '-'].map((c) => safeText(c))),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n') + '\n';
}

export function registerPorts(program: Command): void {
  program
    .command('ports')
    .description('list serial ports with VID:PID, serial number and whether they look like an ESP32 USB-UART adapter')
    .option('--json', 'print the ports as JSON')
    .option('--port-filter <type=value>', 'only the ports that match, as the board commands\' --port-filter (vid=, pid=, name=, serial=; repeatable)', collect)
    .action(async (opts: { json?: boolean; portFilter?: string[] }) => {
      const filter = opts.portFilter ? parsePortFilters(opts.portFilter) : undefined;
      const ports = (await listPorts()).filter((p) => !filter || matchesPortFilter(p, filter));
      if (opts.json) process.stdout.write(`${safeJson(ports)}\n`);
      else if (ports.length) process.stdout.write(portTable(ports));
      else process.stderr.write(filter ? `no serial port matches --port-filter ${describePortFilter(filter)}\n` : 'no serial ports found\n');
    });
}
