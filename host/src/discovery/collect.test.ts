import { describe, expect, it } from 'vitest';
import packet from 'dns-packet';
import { BoardCollector, parseTxt } from './collect.js';
import { serviceType, boardUrl } from './board.js';
import { announcement, answerQuery } from '../emulator/mdns/responder.js';
import { mdns } from '../contract/board.js';

const id = { hostname: 'esp-a', address: '10.53.0.1', port: 8081 };
/** Encodes and decodes, so the collector sees exactly what arrives off the wire. */
const wire = (p: packet.Packet) => packet.decode(packet.encode({ type: 'response', ...p }));

describe('BoardCollector', () => {
  it('assembles a board from the 1.11 layout (SRV/TXT/A in additionals)', () => {
    const c = new BoardCollector(serviceType);
    const reply = answerQuery({ questions: [{ name: serviceType, type: 'PTR' }] }, id, 5353)!;
    c.push(wire(reply), '10.53.0.1');
    expect(c.boards()).toEqual([
      {
        name: 'esp-a',
        host: 'esp-a.local',
        addresses: ['10.53.0.1'],
        port: 8081,
        txt: { ...mdns.txt },
        version: mdns.txt.version,
        espSse: true,
      },
    ]);
    expect(c.missing()).toEqual([]);
    expect(boardUrl(c.boards()[0]!)).toBe('http://10.53.0.1:8081/');
  });

  it('assembles from records spread over packets and sections in any order (1.2 layout)', () => {
    const c = new BoardCollector(serviceType);
    const all = announcement(id).answers;
    const [ptr, srv, txt, a] = all;
    c.push(wire({ answers: [a!] }));
    c.push(wire({ answers: [ptr!] }), '192.0.2.9');
    expect(c.boards()[0]).toMatchObject({ port: 0, addresses: ['192.0.2.9'], espSse: false });
    expect(c.missing().map((q) => q.type).sort()).toEqual(['SRV', 'TXT']);
    c.push(wire({ answers: [srv!, txt!] }));
    expect(c.boards()[0]).toMatchObject({ port: 8081, addresses: ['10.53.0.1'], espSse: true });
  });

  it('compares names case-insensitively and drops an instance on goodbye', () => {
    const c = new BoardCollector(serviceType);
    const upper = { ...id, hostname: 'ESP-A' };
    c.push(wire(announcement(upper)));
    expect(c.boards().map((b) => b.name)).toEqual(['ESP-A']);
    c.push(wire(announcement(id, true)));
    expect(c.boards()).toEqual([]);
  });

  it('ignores other service types and falls back to the packet source without an A record', () => {
    const c = new BoardCollector(serviceType);
    c.push(wire({ answers: [{ name: '_ipp._tcp.local', type: 'PTR', ttl: 10, data: 'printer._ipp._tcp.local' }] }));
    expect(c.boards()).toEqual([]);
    const { ptr, srv } = { ptr: announcement(id).answers[0]!, srv: announcement(id).answers[1]! };
    c.push(wire({ answers: [ptr, srv] }), '10.0.0.7');
    expect(c.boards()[0]!.addresses).toEqual(['10.0.0.7']);
    expect(c.missing()).toEqual([{ name: 'esp-a._http._tcp.local', type: 'TXT' }, { name: 'esp-a.local', type: 'A' }]);
  });
});

describe('parseTxt', () => {
  it('parses key=value, bare keys, empty strings and keeps the first duplicate', () => {
    expect(parseTxt([Buffer.from('a=1'), Buffer.from(''), Buffer.from('flag'), Buffer.from('a=2'), Buffer.from('b=x=y')])).toEqual({
      a: '1',
      flag: '',
      b: 'x=y',
    });
    expect(parseTxt([Buffer.alloc(0)])).toEqual({});
  });
});
