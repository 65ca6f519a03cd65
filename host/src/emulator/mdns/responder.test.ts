import { describe, expect, it } from 'vitest';
import packet from 'dns-packet';
import { answerQuery, announcement } from './responder.js';
import { ttl, txtData } from './records.js';

const id = { hostname: 'esp-sse', address: '127.0.0.1', port: 8080, txt: { fw: 'esp-sse', version: '0.1.0' } };
const roundTrip = (p: packet.Packet) => packet.decode(packet.encode(p));

describe('answerQuery', () => {
  it('answers a shared PTR query like ESP-IDF 1.11: PTR in answers, SRV/TXT/A in additionals, multicast', () => {
    const r = answerQuery({ id: 7, questions: [{ name: '_http._tcp.local', type: 'PTR' }] }, id, 5353)!;
    expect(r.unicast).toBe(false);
    expect(r.id).toBe(0);
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
