import type { Answer } from 'dns-packet';
import { mdns } from '../../contract/board.js';

/**
 * What the emulator advertises, mirroring `MDNS.begin(hostname)` + `MDNS.addService("http",
 * "tcp", port)` + `MDNS.addServiceTxt(...)` on the board (mdns.md §2, §5).
 */
export interface MdnsIdentity {
  /** Hostname without `.local` (contract `mdns.hostname`). */
  hostname: string;
  /** Instance name; ESPmDNS defaults it to the hostname. */
  instance?: string;
  /** IPv4 address published in the A record: the address HTTP is served on. */
  address: string;
  /** HTTP port published in the SRV record (a function when it is known only after bind). */
  port: number | (() => number);
  /** TXT items (contract `mdns.txt` by default). */
  txt?: Record<string, string>;
}

/** TTLs ESP-IDF's mdns uses (esp-protocols `mdns_private.h`: MDNS_ANSWER_*_TTL). */
export const ttl = { host: 120, srv: 120, ptr: 4500, txt: 4500 } as const;

const serviceType = `${mdns.service}.local`;
const enumeration = '_services._dns-sd._udp.local';

/** Fully qualified names of the identity's records. */
export function names(id: MdnsIdentity) {
  const instance = id.instance ?? id.hostname;
  return { host: `${id.hostname}.local`, service: serviceType, instance: `${instance}.${serviceType}`, enumeration };
}

/** TXT rdata: `key=value` strings; with no items one empty string (ESP-IDF sends a single 0x00 byte). */
export function txtData(txt: Record<string, string> | undefined): Buffer[] {
  const items = Object.entries(txt ?? {}).map(([k, v]) => Buffer.from(`${k}=${v}`, 'utf8'));
  return items.length > 0 ? items : [Buffer.alloc(0)];
}

/** Every record of the identity. `goodbye` sets TTL 0 (sent on shutdown); `flush` sets cache-flush on unique records. */
export function records(id: MdnsIdentity, opts: { goodbye?: boolean; flush?: boolean } = {}) {
  const n = names(id);
  const t = (v: number) => (opts.goodbye ? 0 : v);
  const flush = opts.flush ?? true;
  const a: Answer = { name: n.host, type: 'A', class: 'IN', ttl: t(ttl.host), flush, data: id.address };
  const srv: Answer = {
    name: n.instance,
    type: 'SRV',
    class: 'IN',
    ttl: t(ttl.srv),
    flush,
    data: { priority: 0, weight: 0, port: typeof id.port === 'function' ? id.port() : id.port, target: n.host },
  };
  const txt: Answer = { name: n.instance, type: 'TXT', class: 'IN', ttl: t(ttl.txt), flush, data: txtData(id.txt ?? mdns.txt) };
  const ptr: Answer = { name: n.service, type: 'PTR', class: 'IN', ttl: t(ttl.ptr), data: n.instance };
  const enumPtr: Answer = { name: n.enumeration, type: 'PTR', class: 'IN', ttl: t(ttl.ptr), data: n.service };
  return { a, srv, txt, ptr, enumPtr };
}
