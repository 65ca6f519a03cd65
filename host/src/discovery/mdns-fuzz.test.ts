/**
 * Property-based tests of the mDNS records code on both sides: whatever arrives (random or
 * damaged packets, hostile but decodable records), dns-packet's decode either throws (which
 * multicast-dns turns into a 'warning' event) or gives a packet that the emulator's responder
 * and discover's collector handle without throwing, with bounded results and memory.
 */
import packet, { type Answer, type Packet, type Question } from 'dns-packet';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { announcement, answerQuery, replyPacket } from '../emulator/mdns/responder.js';
import { names, type MdnsIdentity } from '../emulator/mdns/records.js';
import { serviceType } from './board.js';
import { BoardCollector, collectLimits, parseTxt } from './collect.js';

const identity: MdnsIdentity = { hostname: 'esp-sse', address: '127.0.0.1', port: 8080, txt: { fw: 'esp-sse', version: '1' } };
const ours = names(identity);

/** Decodes like multicast-dns: undefined when dns-packet throws (a warning there, not a crash). */
function decode(bytes: Uint8Array): Packet | undefined {
  try {
    return packet.decode(Buffer.from(bytes));
  } catch {
    return undefined;
  }
}

const nameArb = fc.oneof(
  fc.constantFrom(ours.host, ours.service, ours.instance, ours.enumeration, ours.host.toUpperCase(), 'other.local', '', '.', 'a..b'),
  fc.string({ maxLength: 70 }),
);
const typeArb = fc.constantFrom('A', 'AAAA', 'PTR', 'SRV', 'TXT', 'ANY', 'NSEC', 'HINFO', 'CNAME');
const classArb = fc.constantFrom('IN', 'ANY', 'CH', 'UNKNOWN_32769');
const questionArb = fc.record({ name: nameArb, type: typeArb, class: classArb }) as fc.Arbitrary<Question>;

/** Valid packets the responder and the collector see every day, encoded. */
const seedPackets: Buffer[] = [
  packet.encode({ type: 'query', id: 0, questions: [{ name: serviceType, type: 'PTR' }] }),
  packet.encode({ type: 'query', id: 7, questions: [{ name: ours.instance, type: 'SRV' }, { name: ours.host, type: 'A' }] }),
  packet.encode({ type: 'response', id: 0, flags: packet.AUTHORITATIVE_ANSWER, ...announcement(identity) }),
  packet.encode(replyPacket(answerQuery({ questions: [{ name: serviceType, type: 'PTR' }] }, identity, 5353)!)),
];
const damaged = fc.tuple(fc.constantFrom(...seedPackets), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }), fc.nat())
  .map(([seed, hits, cut]) => {
    const b = Uint8Array.from(seed);
    for (const [at, v] of hits) b[at % b.length] = v;
    return cut % 4 === 0 ? b.subarray(0, cut % (b.length + 1)) : b;
  });
const wireBytes = fc.oneof(damaged, fc.uint8Array({ maxLength: 600 }));

function checkReply(query: Packet, port: number): void {
  const reply = answerQuery(query, identity, port);
  if (!reply) return;
  const all = [...reply.answers, ...reply.additionals];
  expect(all.length).toBeLessThanOrEqual(5);
  for (const a of all) expect([ours.host, ours.service, ours.instance, ours.enumeration]).toContain(a.name);
  expect(reply.questions.length).toBeLessThanOrEqual(query.questions?.length ?? 0);
  // What goes on the wire encodes.
  packet.encode(replyPacket(reply));
}

describe('mDNS responder (property-based)', () => {
  it('random and damaged packets: decode throws or answerQuery answers/ignores them, never a throw', () => {
    fc.assert(fc.property(wireBytes, fc.constantFrom(5353, 40000), (bytes, port) => {
      const p = decode(bytes);
      if (p) checkReply(p, port);
    }), { numRuns: 500 });
  });

  it('any questions: only our records, each once; a reply always encodes', () => {
    fc.assert(fc.property(fc.array(questionArb, { maxLength: 12 }), fc.integer({ min: 0, max: 0xffff }), fc.constantFrom(5353, 1, 65535), (questions, id, port) => {
      checkReply({ type: 'query', id, questions } as Packet, port);
    }), { numRuns: 500 });
  });
});

/** A hostile response: our names and random ones, every type, TTL 0 or not, odd data. */
const answerArb: fc.Arbitrary<Answer> = fc.oneof(
  fc.record({ name: fc.constantFrom(serviceType, serviceType.toUpperCase()), type: fc.constant('PTR'), ttl: fc.constantFrom(0, 120), data: nameArb }),
  fc.record({ name: nameArb.map((n) => `${n}.${serviceType}`), type: fc.constant('SRV'), ttl: fc.constantFrom(0, 120), data: fc.record({ port: fc.integer({ min: 0, max: 65535 }), target: nameArb }) }),
  fc.record({ name: nameArb.map((n) => `${n}.${serviceType}`), type: fc.constant('TXT'), ttl: fc.constantFrom(0, 4500), data: fc.array(fc.oneof(fc.string({ maxLength: 60 }), fc.constantFrom('__proto__=x', 'constructor', 'fw=esp-sse', '=v', 'k=')), { maxLength: 8 }) }),
  fc.record({ name: nameArb, type: fc.constant('A'), ttl: fc.constantFrom(0, 120), data: fc.ipV4() }),
  fc.record({ name: nameArb, type: fc.constant('AAAA'), ttl: fc.constantFrom(0, 120), data: fc.constantFrom('::1', 'fe80::1') }),
) as fc.Arbitrary<Answer>;

/** dns-packet encode and decode: what the collector would be handed off the wire (undefined if it does not encode). */
function overWire(answers: Answer[], additionals: Answer[]): Packet | undefined {
  let bytes: Buffer;
  try {
    bytes = packet.encode({ type: 'response', answers, additionals });
  } catch {
    return undefined;
  }
  return decode(bytes);
}

describe('discover collector (property-based)', () => {
  it('random and damaged responses never throw; what it reports is well-formed', () => {
    fc.assert(fc.property(fc.array(wireBytes, { maxLength: 8 }), (packets) => {
      const c = new BoardCollector(serviceType);
      for (const bytes of packets) {
        const p = decode(bytes);
        if (p) c.push(p, '10.0.0.1');
      }
      for (const b of c.boards()) {
        expect(typeof b.name).toBe('string');
        expect(Number.isInteger(b.port) && b.port >= 0 && b.port <= 65535).toBe(true);
        expect(b.addresses.length).toBeLessThanOrEqual(collectLimits.addressesPerHost + 1);
      }
      c.missing();
    }), { numRuns: 300 });
  });

  it('hostile but decodable records: no throw, TXT keys such as __proto__ stay plain keys', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.array(answerArb, { maxLength: 6 }), fc.array(answerArb, { maxLength: 6 })), { maxLength: 6 }), (responses) => {
      const c = new BoardCollector(serviceType);
      for (const [answers, additionals] of responses) {
        const p = overWire(answers, additionals);
        if (p) c.push(p, '10.0.0.2');
      }
      for (const b of c.boards()) {
        expect(Object.getPrototypeOf(b.txt)).toBe(null);
        JSON.stringify(b);
      }
      for (const q of c.missing()) expect(typeof q.name).toBe('string');
    }), { numRuns: 300 });
    const txt = parseTxt(['__proto__=polluted', 'constructor=c', 'toString']);
    expect(Object.entries(txt)).toEqual([['__proto__', 'polluted'], ['constructor', 'c'], ['toString', '']]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('memory is bounded: a flood of distinct instances, hosts and big TXT records keeps at most the limits', () => {
    const c = new BoardCollector(serviceType);
    const big = Array.from({ length: 200 }, (_, i) => `k${i}=${'v'.repeat(200)}`);
    for (let i = 0; i < 3000; i++) {
      const inst = `i${i}.${serviceType}`;
      c.push({
        answers: [{ name: serviceType, type: 'PTR', ttl: 4500, data: inst }],
        additionals: [
          { name: inst, type: 'SRV', ttl: 120, data: { port: 80, target: `h${i}.local` } },
          { name: inst, type: 'TXT', ttl: 4500, data: big },
          ...Array.from({ length: 20 }, (_, j) => ({ name: `h${i}.local`, type: 'A' as const, ttl: 120, data: `10.0.${j}.${i % 250}` })),
          { name: `unrelated-${i}.local`, type: 'TXT', ttl: 120, data: ['x=y'] },
        ],
      });
    }
    const boards = c.boards();
    expect(boards).toHaveLength(collectLimits.names);
    expect(Math.max(...boards.map((b) => b.addresses.length))).toBe(collectLimits.addressesPerHost);
    const txtBytes = Object.entries(boards[0]!.txt).reduce((n, [k, v]) => n + k.length + v.length + 2, 0);
    expect(txtBytes).toBeLessThanOrEqual(collectLimits.txtBytes);
    expect(Object.keys(boards[0]!.txt).length).toBeGreaterThan(0);
  });
});
