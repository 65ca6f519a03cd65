import { describe, expect, it } from 'vitest';
import { advertisedAddress } from './address.js';
import { isLoopbackHost, mdnsByDefault } from './board-mdns.js';

describe('where the emulator advertises', () => {
  it('treats 127/8, ::1 and localhost as loopback (answered on loopback only), anything else not', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', 'LOCALHOST', '::1', '[::1]']) expect(isLoopbackHost(h)).toBe(true);
    for (const h of ['0.0.0.0', '10.53.0.1', '192.168.1.50', '::', 'esp.local']) expect(isLoopbackHost(h)).toBe(false);
  });

  it('advertises by default on every host but ::1 (an A record cannot lead to a server on ::1)', () => {
    for (const h of ['127.0.0.1', 'localhost', '0.0.0.0', '10.53.0.1', '::']) expect(mdnsByDefault(h)).toBe(true);
    for (const h of ['::1', '[::1]']) expect(mdnsByDefault(h)).toBe(false);
  });

  it('publishes the HTTP host itself as the A record; refuses IPv6 hosts (A records are IPv4)', () => {
    expect(advertisedAddress('10.53.0.1')).toBe('10.53.0.1');
    expect(advertisedAddress('localhost')).toBe('127.0.0.1');
    expect(() => advertisedAddress('fe80::1')).toThrow(/IPv4 only/);
  });
});
