import { networkInterfaces } from 'node:os';
import { isIPv4 } from 'node:net';
import { UserError } from '../errors.js';

/**
 * Resolves `--interface` (an IPv4 address or an interface name such as `lo`, `eth0`) to the IPv4
 * address multicast-dns needs for `addMembership`/`setMulticastInterface`.
 */
export function resolveInterface(spec: string): string {
  if (isIPv4(spec)) return spec;
  const addrs = networkInterfaces()[spec];
  const v4 = addrs?.find((a) => a.family === 'IPv4');
  if (!v4) {
    const names = Object.entries(networkInterfaces())
      .filter(([, list]) => list?.some((a) => a.family === 'IPv4'))
      .map(([n]) => n);
    throw new UserError(
      'discover.no-such-interface',
      `no IPv4 interface named "${spec}"`,
      `use an IPv4 address or one of: ${names.join(', ') || '(none)'}`,
    );
  }
  return v4.address;
}
