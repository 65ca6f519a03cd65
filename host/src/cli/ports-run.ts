/**
 * `esp-sse ports`, run: lists the machine's serial ports (transport/ports.ts), keeps those that
 * match `--port-filter`, and prints them as a table or as JSON.
 */
import { describePortFilter, formatUsbId, listPorts, matchesPortFilter, parsePortFilters, type PortEntry } from '../transport/index.js';
import { safeJson, safeText } from '../safe-text.js';
import type { PortsFlags } from './ports.js';

/** Aligned table: PORT, VID:PID, ADAPTER, SERIAL, ESP32? (USB descriptor strings escaped: they come from the device). */
export function portTable(ports: readonly PortEntry[]): string {
  const rows = [
    ['PORT', 'VID:PID', 'ADAPTER', 'SERIAL', 'ESP32'],
    ...ports.map((p) => [p.path, formatUsbId(p), p.adapter ?? p.manufacturer ?? '-', p.serialNumber ?? '-', p.likelyEsp32 ? 'likely' : '-'].map((c) => safeText(c))),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n') + '\n';
}

export async function runPorts(opts: PortsFlags): Promise<void> {
  const filter = opts.portFilter ? parsePortFilters(opts.portFilter) : undefined;
  const ports = (await listPorts()).filter((p) => !filter || matchesPortFilter(p, filter));
  if (opts.json) process.stdout.write(`${safeJson(ports)}\n`);
  else if (ports.length) process.stdout.write(portTable(ports));
  else process.stderr.write(filter ? `no serial port matches --port-filter ${describePortFilter(filter)}\n` : 'no serial ports found\n');
}
