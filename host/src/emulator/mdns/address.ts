import { isIPv4, isIPv6 } from 'node:net';
import { networkInterfaces } from 'node:os';
import { UserError } from '../../errors.js';

/** True for an IPv4 address in 127.0.0.0/8 (loopback). */
export function isLoopbackIPv4(address: string): boolean {
  return isIPv4(address) && address.startsWith('127.');
}

/**
 * The address to publish in the A record for an HTTP server bound to `host`: the host itself
 * when it is a concrete IPv4 address; for a wildcard bind (`0.0.0.0`, `::`) the first
 * non-internal IPv4, as the board publishes its station IP. `localhost` maps to 127.0.0.1.
 */
export function advertisedAddress(host: string): string {
  if (host === 'localhost') return '127.0.0.1';
  if (isIPv6(host) && host !== '::') {
    throw new UserError('emulate.mdns-ipv6', `mDNS is advertised over IPv4 only, and HTTP is served on ${host}`, 'serve HTTP on an IPv4 address (--host) to advertise it');
  }
  if (host !== '0.0.0.0' && host !== '::' && host !== '') return host;
  for (const list of Object.values(networkInterfaces())) {
    const v4 = list?.find((a) => a.family === 'IPv4' && !a.internal);
    if (v4) return v4.address;
  }
  throw new UserError('emulate.mdns-no-address', `no IPv4 address to advertise for host ${host}`, 'pass --host <ipv4> with --mdns');
}
