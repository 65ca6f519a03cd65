import packet, { type Answer, type Packet, type Question } from 'dns-packet';
import { names, records, type MdnsIdentity } from './records.js';

/** A query as multicast-dns decodes it. */
export interface QueryLike {
  id?: number;
  questions?: Question[];
}

/** The response to send, and how. */
export interface Reply {
  /** The query's id, echoed (esp-protocols `mdns_send.c`: `packet->id = parsed_packet->id`). */
  id: number;
  /** True: to the querier's address and port; false: to 224.0.0.251:5353. */
  unicast: boolean;
  /**
   * True: sent after ESP-IDF's 25–100 ms shared-answer delay, which it applies to every answer
   * except those to a probe (a query with an ANY question for one of its names).
   */
  delayed: boolean;
  questions: Question[];
  answers: Answer[];
  additionals: Answer[];
}

/** The mDNS port; a query from any other source port is a one-shot ("legacy unicast") query. */
export const mdnsPort = 5353;

const lc = (s: string) => s.toLowerCase();
// dns-packet decodes a QU-bit question (class 0x8001) as 'UNKNOWN_32769' (mdns.md §1).
const inClass = (c: unknown) => c === undefined || c === 'IN' || c === 'ANY' || c === 'UNKNOWN_32769';
const isQu = (c: unknown) => c === 'UNKNOWN_32769';
// Only these questions are repeated in the answer to a one-shot query (`mdns_send.c`,
// "Repeat the queries only for One-Shot mDNS queries"; PTR too only with the non-default
// CONFIG_MDNS_RESPOND_REVERSE_QUERIES, and then for reverse lookups).
const repeated = new Set(['A', 'AAAA', 'ANY']);

/**
 * Builds the answer ESP-IDF's responder would send to a query (mdns.md §2; esp-protocols
 * `components/mdns/mdns_send.c` `mdns_priv_create_answer_from_parsed_packet`, 1.11 layout): a
 * PTR question gets the PTR in answers and SRV/TXT/A in additionals; SRV/TXT/A/ANY questions
 * are answered directly. The query id is echoed. A one-shot query (source port ≠ 5353, RFC 6762
 * §6.7 "legacy unicast") gets a unicast reply to its source without cache-flush bits, repeating
 * its A/AAAA/ANY questions; a query whose questions all carry the QU bit gets a unicast reply
 * too. TTLs are ESP-IDF's (120/4500 s) in every case: unlike RFC 6762 §6.7's advice, ESP-IDF
 * does not cap legacy-unicast TTLs at 10 s. Returns null when nothing is ours. Pure.
 */
export function answerQuery(query: QueryLike, id: MdnsIdentity, sourcePort: number): Reply | null {
  const legacy = sourcePort !== mdnsPort;
  const qs = (query.questions ?? []).filter((q) => inClass(q.class));
  const unicast = legacy || (qs.length > 0 && qs.every((q) => isQu(q.class)));
  const r = records(id, { flush: !legacy });
  const n = names(id);
  const answers: Answer[] = [];
  const additionals: Answer[] = [];
  const asked: Question[] = [];
  let probe = false;
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
      probe ||= any;
    } else if (name === lc(n.host) && (q.type === 'A' || any)) {
      add(answers, r.a);
      hit = true;
      probe ||= any;
    }
    // ESP-IDF writes the class of a repeated question as 0x8001 when it had the QU bit;
    // dns-packet cannot encode that class, so it is repeated as IN.
    if (hit && legacy && repeated.has(q.type)) asked.push({ name: q.name, type: q.type, class: 'IN' });
  }
  if (answers.length === 0) return null;
  // Drop additionals that already went into answers.
  const extra = additionals.filter((a) => !answers.includes(a));
  return { id: query.id ?? 0, unicast, delayed: !probe, questions: asked, answers, additionals: extra };
}

/** A reply as dns-packet encodes it. */
export type ReplyPacket = Packet & { id: number; questions: Question[]; answers: Answer[]; additionals: Answer[] };

/**
 * The packet that goes on the wire for a reply: an authoritative response (QR and AA set), as
 * multicast-dns's `respond()` sends it (it sets exactly these). Pure.
 */
export function replyPacket(reply: Reply): ReplyPacket {
  return {
    id: reply.id,
    type: 'response',
    flags: packet.AUTHORITATIVE_ANSWER,
    questions: reply.questions,
    answers: reply.answers,
    additionals: reply.additionals,
  };
}

/** The unsolicited announcement (and, with `goodbye`, its TTL-0 counterpart). */
export function announcement(id: MdnsIdentity, goodbye = false): { answers: Answer[]; additionals: Answer[] } {
  const r = records(id, { goodbye });
  return { answers: [r.ptr, r.srv, r.txt, r.a], additionals: [] };
}
