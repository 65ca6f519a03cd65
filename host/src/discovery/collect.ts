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

/** Parses TXT rdata (strings or buffers of `key=value`) into a map; empty strings are skipped. */
export function parseTxt(data: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const items = Array.isArray(data) ? data : [data];
  for (const item of items) {
    const s = typeof item === 'string' ? item : item instanceof Uint8Array ? Buffer.from(item).toString('utf8') : '';
    if (!s) continue;
    const eq = s.indexOf('=');
    const key = eq < 0 ? s : s.slice(0, eq);
    if (!key || key in out) continue; // RFC 6763 §6.4: the first occurrence wins
    out[key] = eq < 0 ? '' : s.slice(eq + 1);
  }
  return out;
}

/**
 * Assembles DNS-SD instances from mDNS responses (mdns.md §4). Records are read from both the
 * answer and the additional sections, because ESP-IDF's mdns moved SRV/TXT between them across
 * versions; they may arrive in any order and in separate packets. A PTR with TTL 0 (goodbye)
 * drops the instance. Pure: no sockets, no timers.
 */
export class BoardCollector {
  private readonly instances = new Map<string, Instance>();
  private readonly srv = new Map<string, Srv>();
  private readonly txt = new Map<string, Record<string, string>>();
  private readonly addrs = new Map<string, Set<string>>();

  constructor(private readonly serviceType: string) {}

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
        else this.instances.set(lc(r.data), { name: r.data, source });
        return;
      case 'SRV':
        if (ttl === 0) this.srv.delete(name);
        else this.srv.set(name, { target: r.data.target, port: r.data.port });
        return;
      case 'TXT':
        if (ttl !== 0) this.txt.set(name, parseTxt(r.data));
        return;
      case 'A':
      case 'AAAA': {
        if (typeof r.data !== 'string') return;
        const set = this.addrs.get(name) ?? new Set<string>();
        if (ttl === 0) set.delete(r.data);
        else set.add(r.data);
        this.addrs.set(name, set);
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
      const txt = this.txt.get(key) ?? {};
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
