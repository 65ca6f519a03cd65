import type { Answer, Question } from 'dns-packet';
import { names, records, type MdnsIdentity } from './records.js';

/** A query as multicast-dns decodes it. */
export interface QueryLike {
  id?: number;
  questions?: Question[];
}

/** The response to send, and whether it goes by unicast to the querier. */
export interface Reply {
  id: number;
  unicast: boolean;
  questions: Question[];
  answers: Answer[];
  additionals: Answer[];
}

const lc = (s: string) => s.toLowerCase();
// dns-packet decodes a QU-bit question (class 0x8001) as 'UNKNOWN_32769' (mdns.md §1).
const inClass = (c: unknown) => c === undefined || c === 'IN' || c === 'ANY' || c === 'UNKNOWN_32769';
const isQu = (c: unknown) => c === 'UNKNOWN_32769';

/**
 * Builds the answer ESP-IDF's responder would send to a query (mdns.md §2, esp-protocols
 * `mdns_receive.c`/`mdns_send.c`, 1.11 layout): a PTR question gets the PTR in answers and
 * SRV/TXT/A in additionals; SRV/TXT/A/ANY questions are answered directly. One-shot queriers
 * (source port ≠ 5353) and QU questions get a unicast reply echoing the id and the question,
 * without cache-flush. Returns null when nothing is ours. Pure.
 */
export function answerQuery(query: QueryLike, id: MdnsIdentity, sourcePort: number): Reply | null {
  const legacy = sourcePort !== 5353;
  const qs = (query.questions ?? []).filter((q) => inClass(q.class));
  const unicast = legacy || (qs.length > 0 && qs.every((q) => isQu(q.class)));
  const r = records(id, { flush: !legacy });
  const n = names(id);
  const answers: Answer[] = [];
  const additionals: Answer[] = [];
  const asked: Question[] = [];
  const add = (list: Answer[], rec: Answer) => {
    if (![...answers, ...additionals].includes(rec)) list.push(rec);
  };
  for (const q of qs) {
    const name = lc(q.name);
    const any = (q.type as string) === 'ANY';
    let hit = false;
    if (name === lc(n.service) && (q.type === 'PTR' || any)) {
      add(answers, r.ptr);
      add(additionals, r.srv);
      add(additionals, r.txt);
      add(additionals, r.a);
      hit = true;
    } else if (name === lc(n.enumeration) && (q.type === 'PTR' || any)) {
      add(answers, r.enumPtr);
      hit = true;
    } else if (name === lc(n.instance)) {
      if (q.type === 'SRV' || any) add(answers, r.srv);
      if (q.type === 'TXT' || any) add(answers, r.txt);
      if (q.type === 'SRV' || any) add(additionals, r.a);
      hit = q.type === 'SRV' || q.type === 'TXT' || any;
    } else if (name === lc(n.host) && (q.type === 'A' || any)) {
      add(answers, r.a);
      hit = true;
    }
    if (hit) asked.push({ name: q.name, type: q.type, class: 'IN' });
  }
  if (answers.length === 0) return null;
  // Drop additionals that already went into answers.
  const extra = additionals.filter((a) => !answers.includes(a));
  return { id: legacy ? (query.id ?? 0) : 0, unicast, questions: legacy ? asked : [], answers, additionals: extra };
}

/** The unsolicited announcement (and, with `goodbye`, its TTL-0 counterpart). */
export function announcement(id: MdnsIdentity, goodbye = false): { answers: Answer[]; additionals: Answer[] } {
  const r = records(id, { goodbye });
  return { answers: [r.ptr, r.srv, r.txt, r.a], additionals: [] };
}
