import { describe, expect, it } from 'vitest';
import packet from 'dns-packet';
import { answerQuery, announcement, replyPacket } from './responder.js';
import { ttl, txtData } from './records.js';

const id = { hostname: 'esp-sse', address: '127.0.0.1', port: 8080, txt: { fw: 'esp-sse', version: '0.1.0' } };
const roundTrip = (p: packet.Packet) => packet.decode(packet.encode(p));
/** dns-packet encodes and decodes QTYPE ANY (255), but its types leave it out of RecordType. */
const ANY = 'ANY' as packet.RecordType;

describe('answerQuery', () => {
  it('answers a shared PTR query like ESP-IDF 1.11: PTR in answers, SRV/TXT/A in additionals, multicast', () => {
    const r = answerQuery({ id: 7, questions: [{ name: '_http._tcp.local', type: 'PTR' }] }, id, 5353)!;
    expect(r.unicast).toBe(false);
    expect(r.delayed).toBe(true);
    // esp-protocols mdns_send.c echoes the id whatever the source port.
    expect(r.id).toBe(7);
    expect(r.questions).toEqual([]);
    expect(r.answers.map((a) => a.type)).toEqual(['PTR']);
    expect(r.additionals.map((a) => a.type)).toEqual(['SRV', 'TXT', 'A']);
    const d = roundTrip({ type: 'response', answers: r.answers, additionals: r.additionals });
    const a = d.additionals!.find((x) => x.type === 'A')!;
    expect(a).toMatchObject({ name: 'esp-sse.local', data: '127.0.0.1', ttl: ttl.host, flush: true });
    expect(d.answers![0]).toMatchObject({ data: 'esp-sse._http._tcp.local', ttl: ttl.ptr, flush: false });
  });

  it('replies by unicast to a one-shot querier, echoing the id and question, without cache-flush', () => {
    const r = answerQuery({ id: 4242, questions: [{ name: 'ESP-SSE.local', type: 'A' }] }, id, 49152)!;
    expect(r).toMatchObject({ unicast: true, id: 4242, questions: [{ name: 'ESP-SSE.local', type: 'A' }] });
    expect(r.answers).toHaveLength(1);
    expect(r.answers[0]).toMatchObject({ type: 'A', flush: false });
  });

  it('legacy unicast, golden bytes: A? from port 49152 gets id, question and A (TTL 120, no flush) back', () => {
    const r = answerQuery({ id: 0x1234, questions: [{ name: 'esp-sse.local', type: 'A' }] }, id, 49152)!;
    expect(r).toMatchObject({ unicast: true, delayed: true });
    const hex = [
      '1234 8400 0001 0001 0000 0000', // id echoed; QR+AA; 1 question, 1 answer
      '07 6573702d737365 05 6c6f63616c 00 0001 0001', // question repeated: esp-sse.local A IN
      '07 6573702d737365 05 6c6f63616c 00 0001 0001', // answer: esp-sse.local A, class IN without cache-flush
      '00000078 0004 7f000001', // TTL 120 s (ESP-IDF does not cap it at 10 s), 127.0.0.1
    ].join('').replace(/\s/g, '');
    expect(packet.encode(replyPacket(r)).toString('hex')).toBe(hex);
  });

  it('legacy unicast, golden: PTR? from an ephemeral port gets PTR + SRV/TXT/A, ESP-IDF TTLs, no flush, question not repeated', () => {
    const r = answerQuery({ id: 0xbeef, questions: [{ name: '_http._tcp.local', type: 'PTR' }] }, id, 40000)!;
    expect(r).toMatchObject({ unicast: true, delayed: true });
    const d = roundTrip(replyPacket(r));
    expect({ id: d.id, type: d.type, flags: d.flags, questions: d.questions, answers: d.answers, additionals: d.additionals }).toEqual({
      id: 0xbeef,
      type: 'response',
      flags: 0x0400, // AA (dns-packet reports QR as the type)
      // ESP-IDF repeats only A/AAAA/ANY questions in one-shot answers.
      questions: [],
      answers: [{ name: '_http._tcp.local', type: 'PTR', class: 'IN', flush: false, ttl: 4500, data: 'esp-sse._http._tcp.local' }],
      additionals: [
        { name: 'esp-sse._http._tcp.local', type: 'SRV', class: 'IN', flush: false, ttl: 120, data: { priority: 0, weight: 0, port: 8080, target: 'esp-sse.local' } },
        { name: 'esp-sse._http._tcp.local', type: 'TXT', class: 'IN', flush: false, ttl: 4500, data: [Buffer.from('fw=esp-sse'), Buffer.from('version=0.1.0')] },
        { name: 'esp-sse.local', type: 'A', class: 'IN', flush: false, ttl: 120, data: '127.0.0.1' },
      ],
    });
  });

  it('answers a probe (ANY for its own name) at once; repeats an ANY question to a one-shot querier', () => {
    const r = answerQuery({ id: 9, questions: [{ name: 'esp-sse.local', type: ANY }] }, id, 5354)!;
    expect(r).toMatchObject({ unicast: true, delayed: false, id: 9, questions: [{ name: 'esp-sse.local', type: 'ANY', class: 'IN' }] });
    expect(r.answers.map((a) => a.type)).toEqual(['A']);
    expect(answerQuery({ questions: [{ name: 'esp-sse._http._tcp.local', type: ANY }] }, id, 5353)).toMatchObject({ unicast: false, delayed: false, questions: [] });
  });

  it('treats a QU question (dns-packet class UNKNOWN_32769) as IN and answers it by unicast', () => {
    const bytes = packet.encode({ type: 'query', questions: [{ name: 'esp-sse._http._tcp.local', type: 'SRV' }] });
    bytes.writeUInt16BE(0x8001, bytes.length - 2); // set the QU bit on the only question
    const q = packet.decode(bytes);
    expect(q.questions![0]!.class).toBe('UNKNOWN_32769');
    const r = answerQuery(q, id, 5353)!;
    expect(r.unicast).toBe(true);
    expect(r.answers.map((a) => a.type)).toEqual(['SRV']);
  });

  it('answers TXT, service enumeration, and ignores names that are not ours', () => {
    expect(answerQuery({ questions: [{ name: 'esp-sse._http._tcp.local', type: 'TXT' }] }, id, 5353)!.answers[0]!.type).toBe('TXT');
    expect(answerQuery({ questions: [{ name: '_services._dns-sd._udp.local', type: 'PTR' }] }, id, 5353)!.answers[0]).toMatchObject({ data: '_http._tcp.local' });
    expect(answerQuery({ questions: [{ name: 'other.local', type: 'A' }] }, id, 5353)).toBeNull();
    expect(answerQuery({ questions: [] }, id, 5353)).toBeNull();
  });
});

describe('records', () => {
  it('encodes empty TXT as one zero-length string (a single 0x00 byte), as ESP-IDF does', () => {
    const enc = packet.encode({ type: 'response', answers: [{ name: 'x.local', type: 'TXT', data: txtData({}) }] });
    // rdlength 1, then the 0x00 length byte
    expect([...enc.subarray(enc.length - 3)]).toEqual([0, 1, 0]);
  });

  it('goodbye has TTL 0 on every record', () => {
    const g = roundTrip({ type: 'response', ...announcement(id, true) });
    expect(g.answers!.map((a) => ('ttl' in a ? a.ttl : -1))).toEqual([0, 0, 0, 0]);
  });
});
