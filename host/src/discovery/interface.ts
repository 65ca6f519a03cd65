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

/**
 * The multicast interface to send on when `--interface` is not given, chosen as multicast-dns
 * 7.2.5 chooses it for its own socket (`defaultInterface()` in its index.js), so a one-shot
 * socket sends where the shared 5353 socket would have: `0.0.0.0` (the kernel's multicast
 * route decides) as soon as any non-internal IPv4 exists (on macOS, en0's address), else
 * `127.0.0.1`, which lets a loopback-only host query without a 224/4 route.
 */
export function defaultMulticastInterface(): string {
  for (const [name, list] of Object.entries(networkInterfaces())) {
    const v4 = list?.find((a) => a.family === 'IPv4' && !a.internal);
    if (v4) return process.platform === 'darwin' && name === 'en0' ? v4.address : '0.0.0.0';
  }
  return '127.0.0.1';
}
