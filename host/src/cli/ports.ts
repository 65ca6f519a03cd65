import type { Command } from 'commander';
import { formatUsbId, listPorts, type PortEntry } from '../flasher/ports.js';

/** Aligned table: PORT, VID:PID, ADAPTER, SERIAL, ESP32? */
export function portTable(ports: readonly PortEntry[]): string {
  const rows = [
    ['PORT', 'VID:PID', 'ADAPTER', 'SERIAL', 'ESP32'],
    ...ports.map((p) => [p.path, formatUsbId(p), p.adapter ?? p.manufacturer ?? '-', p.serialNumber ?? '-', p.likelyEsp32 ? 'likely' : '-']),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n') + '\n';
}

export function registerPorts(program: Command): void {
  program
    .command('ports')
    .description('list serial ports with VID:PID, serial number and whether they look like an ESP32 USB-UART adapter')
    .option('--json', 'print the ports as JSON')
    .action(async (opts: { json?: boolean }) => {
      const ports = await listPorts();
      if (opts.json) process.stdout.write(`${JSON.stringify(ports, null, 2)}\n`);
      else if (ports.length) process.stdout.write(portTable(ports));
      else process.stderr.write('no serial ports found\n');
    });
}
