import type { Command } from 'commander';
import type { DiscoveredBoard } from '../discovery/index.js';
import { UserError } from '../errors.js';
import { safeJson, safeText } from '../safe-text.js';
import { durationHelp, parseDuration } from './duration.js';

/** Renders boards as an aligned table (name, host, address, port, version); what came over the network is escaped. */
export function boardTable(boards: DiscoveredBoard[]): string {
  const rows = [
    ['NAME', 'HOST', 'ADDRESS', 'PORT', 'VERSION'],
    ...boards.map((b) => [b.name, b.host, b.addresses.join(','), String(b.port), b.version ?? '-'].map((c) => safeText(c))),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n') + '\n';
}

export function registerDiscover(program: Command): void {
  program
    .command('discover')
    .description(
      'find esp-sse boards on the network over mDNS (_http._tcp with the esp-sse TXT items); if another program holds UDP 5353, asks from an ephemeral port and warns (discover.port-5353-busy)',
    )
    .option('--timeout <duration>', `how long to listen, ${durationHelp}`, '3s')
    .option('--interface <ip|name>', 'network interface to query on (default: the kernel multicast route, and loopback)')
    .option('--name <instance>', 'stop as soon as this board is found; exit 1 if it is not')
    .option('--all', 'list every _http._tcp device, not only esp-sse boards')
    .option('--json', 'print the boards as JSON')
    .action(async (opts: { timeout: string; interface?: string; name?: string; all?: boolean; json?: boolean }) => {
      const timeoutMs = parseDuration(opts.timeout, '--timeout', 'discover.bad-timeout');
      const [{ discoverBoards }, { printWarning }] = await Promise.all([import('../discovery/index.js'), import('./warn.js')]);
      const boards = await discoverBoards({
        timeoutMs,
        ...(opts.interface !== undefined ? { interface: opts.interface } : {}),
        ...(opts.name !== undefined ? { name: opts.name } : {}),
        all: opts.all ?? false,
        onWarning: printWarning,
      });
      if (opts.json) process.stdout.write(safeJson(boards) + '\n');
      else if (boards.length > 0) process.stdout.write(boardTable(boards));
      else process.stderr.write('no esp-sse boards found\n');
      if (opts.name && !boards.some((b) => b.name.toLowerCase() === opts.name!.toLowerCase())) {
        throw new UserError('discover.not-found', `no board named "${opts.name}" answered within ${timeoutMs} ms`, 'check the board is powered and on this network, or raise --timeout', 1);
      }
    });
}
