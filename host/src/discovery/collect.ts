import type { Answer, Question } from 'dns-packet';
import { isEspSse, type DiscoveredBoard } from './board.js';

/** A decoded mDNS response as multicast-dns delivers it. */
export interface ResponseLike {
  answers?: Answer[];
  additionals?: Answer[];
}

interface Instance {
  name: string;
  source?: string;
}

interface Srv {
  target: string;
  port: number;
}

const lc = (s: string) => s.toLowerCase();

/**
 * Limits on what one browse keeps, whatever the network sends (every responder on the LAN is
 * heard on 5353, and any peer can send): names per kind of record, addresses per host, TXT bytes
 * per record (RFC 6763 §6.2: a TXT record "SHOULD NOT" exceed 8900 bytes). Records past a limit
 * are ignored; the first ones seen are kept.
 */
export const collectLimits = { names: 1024, addressesPerHost: 16, txtBytes: 8900 } as const;

/**
 * Parses TXT rdata (strings or buffers of `key=value`) into a map; empty strings are skipped,
 * the first occurrence of a key wins (RFC 6763 §6.4), items past `collectLimits.txtBytes` are
 * ignored. The map has no prototype, so keys such as `__proto__` or `constructor` are plain keys.
 */
export function parseTxt(data: unknown): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  const items = Array.isArray(data) ? data : [data];
  let bytes = 0;
  for (const item of items) {
    const raw = typeof item === 'string' ? Buffer.from(item, 'utf8') : item instanceof Uint8Array ? item : undefined;
    if (!raw || raw.length === 0) continue;
    bytes += raw.length + 1;
    if (bytes > collectLimits.txtBytes) break;
    const s = Buffer.from(raw).toString('utf8');
    const eq = s.indexOf('=');
    const key = eq < 0 ? s : s.slice(0, eq);
    if (!key || key in out) continue; // RFC 6763 §6.4: the first occurrence wins
    out[key] = eq < 0 ? '' : s.slice(eq + 1);
  }
  return out;
}

/** `map.set(key, value)` unless the map is full and `key` is new. */
function setLimited<V>(map: Map<string, V>, key: string, value: V): void {
  if (map.has(key) || map.size < collectLimits.names) map.set(key, value);
}

/**
 * Assembles DNS-SD instances from mDNS responses (mdns.md §4). Records are read from both the
 * answer and the additional sections, because ESP-IDF's mdns moved SRV/TXT between them across
 * versions; they may arrive in any order and in separate packets. A PTR with TTL 0 (goodbye)
 * drops the instance. Memory is bounded by {@link collectLimits}. Pure: no sockets, no timers.
 */
export class BoardCollector {
  private readonly instances = new Map<string, Instance>();
  private readonly srv = new Map<string, Srv>();
  private readonly txt = new Map<string, Record<string, string>>();
  private readonly addrs = new Map<string, Set<string>>();

  /** `.<service type>`, lowercased: SRV and TXT records are kept only for instances of it. */
  private readonly suffix: string;

  constructor(private readonly serviceType: string) {
    this.suffix = `.${lc(serviceType)}`;
  }

  /** Feeds one response; `source` is the sender's address (the last-resort host address). */
  push(packet: ResponseLike, source?: string): void {
    const records = [...(packet.answers ?? []), ...(packet.additionals ?? [])];
    for (const r of records) this.record(r, source);
  }

  private record(r: Answer, source?: string): void {
    const name = lc(r.name);
    const ttl = 'ttl' in r ? r.ttl : undefined;
    switch (r.type) {
      case 'PTR':
        if (name !== lc(this.serviceType) || typeof r.data !== 'string') return;
        if (ttl === 0) this.instances.delete(lc(r.data));
        else setLimited(this.instances, lc(r.data), { name: r.data, source });
        return;
      case 'SRV':
        if (!name.endsWith(this.suffix)) return;
        if (ttl === 0) this.srv.delete(name);
        else setLimited(this.srv, name, { target: r.data.target, port: r.data.port });
        return;
      case 'TXT':
        if (name.endsWith(this.suffix) && ttl !== 0) setLimited(this.txt, name, parseTxt(r.data));
        return;
      case 'A':
      case 'AAAA': {
        if (typeof r.data !== 'string') return;
        const set = this.addrs.get(name) ?? new Set<string>();
        if (ttl === 0) set.delete(r.data);
        else if (set.size < collectLimits.addressesPerHost) set.add(r.data);
        setLimited(this.addrs, name, set);
        return;
      }
      default:
        return;
    }
  }

  /** Instances known so far, in the order they were first seen. */
  boards(): DiscoveredBoard[] {
    const out: DiscoveredBoard[] = [];
    for (const [key, inst] of this.instances) {
      const srv = this.srv.get(key);
      const txt = this.txt.get(key) ?? parseTxt([]);
      const fromA = srv ? [...(this.addrs.get(lc(srv.target)) ?? [])] : [];
      const addresses = fromA.length > 0 ? fromA : inst.source ? [inst.source] : [];
      const suffix = `.${this.serviceType}`;
      const name = inst.name.toLowerCase().endsWith(lc(suffix)) ? inst.name.slice(0, -suffix.length) : inst.name;
      out.push({
        name,
        host: srv?.target ?? '',
        addresses,
        port: srv?.port ?? 0,
        txt,
        ...(txt.version !== undefined ? { version: txt.version } : {}),
        espSse: isEspSse(txt),
      });
    }
    return out;
  }

  /** Follow-up questions for what is still missing: SRV/TXT of an instance, A of its host. */
  missing(): Question[] {
    const qs: Question[] = [];
    for (const [key, inst] of this.instances) {
      const srv = this.srv.get(key);
      if (!srv) qs.push({ name: inst.name, type: 'SRV' });
      if (!this.txt.has(key)) qs.push({ name: inst.name, type: 'TXT' });
      if (srv && !(this.addrs.get(lc(srv.target))?.size ?? 0)) qs.push({ name: srv.target, type: 'A' });
    }
    return qs;
  }
}
