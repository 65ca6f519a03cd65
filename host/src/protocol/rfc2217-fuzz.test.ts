/**
 * Telnet / RFC 2217 parser properties (fast-check): typed events (or a typed problem for an
 * over-long subnegotiation), never a throw, never more than MAX_SUBNEGOTIATION bytes held, the
 * same events however the bytes are cut, and encode → parse is the identity.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DO, DONT, IAC, MAX_SUBNEGOTIATION, Option, SB, SE, TelnetParser, WILL, WONT, comPort, escapeData, negotiate, type TelnetEvent,
} from './rfc2217.js';
import { cutAtFractions } from '../../test/fuzz-chunks.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** Events in a comparable form, adjacent data runs merged (cutting may split a run). */
function parse(chunks: Uint8Array[]): { events: unknown[]; maxBuffered: number } {
  const p = new TelnetParser();
  const events: unknown[] = [];
  let data = '';
  let maxBuffered = 0;
  const push = (e: TelnetEvent): void => {
    if (e.type === 'data') {
      data += hex(e.bytes);
      return;
    }
    if (data) events.push({ type: 'data', hex: data });
    data = '';
    events.push(e.type === 'subnegotiation' ? { type: e.type, option: e.option, hex: hex(e.payload) } : e);
  };
  for (const c of chunks) {
    for (const e of p.push(c)) push(e);
    maxBuffered = Math.max(maxBuffered, p.buffered);
  }
  if (data) events.push({ type: 'data', hex: data });
  return { events, maxBuffered };
}

const telnetByte = fc.oneof(fc.constantFrom(IAC, SB, SE, WILL, WONT, DO, DONT, Option.COM_PORT), fc.integer({ min: 0, max: 255 }));
const telnetBytes = (max: number) => fc.array(telnetByte, { maxLength: max }).map((a) => Uint8Array.from(a));
const fractions = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 8 });

describe('telnet / RFC 2217 parser (property-based)', () => {
  it('any bytes: typed events, never a throw, never more than the limit held', () => {
    fc.assert(fc.property(telnetBytes(400), fractions, (bytes, f) => {
      const { events, maxBuffered } = parse(cutAtFractions(bytes, f));
      expect(maxBuffered).toBeLessThanOrEqual(MAX_SUBNEGOTIATION);
      for (const e of events as TelnetEvent[]) {
        expect(['data', 'negotiate', 'subnegotiation', 'command', 'problem']).toContain(e.type);
        if (e.type === 'subnegotiation') expect((e as unknown as { hex: string }).hex.length / 2).toBeLessThanOrEqual(MAX_SUBNEGOTIATION);
      }
    }), { numRuns: 1000 });
  });

  it('the events do not depend on how the bytes are cut', () => {
    fc.assert(fc.property(telnetBytes(300), fractions, (bytes, f) => {
      expect(parse(cutAtFractions(bytes, f)).events).toEqual(parse([bytes]).events);
    }), { numRuns: 1000 });
  });

  type Item = { kind: 'data'; bytes: Uint8Array } | { kind: 'neg'; verb: number; option: number } | { kind: 'sb'; payload: Uint8Array };
  const item: fc.Arbitrary<Item> = fc.oneof(
    fc.uint8Array({ minLength: 1, maxLength: 40 }).map((bytes) => ({ kind: 'data' as const, bytes })),
    fc.record({ verb: fc.constantFrom(WILL, WONT, DO, DONT), option: fc.integer({ min: 0, max: 255 }) }).map((r) => ({ kind: 'neg' as const, ...r })),
    fc.uint8Array({ minLength: 1, maxLength: MAX_SUBNEGOTIATION }).map((payload) => ({ kind: 'sb' as const, payload })),
  );

  it('data, negotiations and COM-PORT subnegotiations up to the limit round-trip', () => {
    fc.assert(fc.property(fc.array(item, { maxLength: 10 }), fractions, (items, f) => {
      const wire = Uint8Array.from(items.flatMap((i) => [...(i.kind === 'data' ? escapeData(i.bytes)
        : i.kind === 'neg' ? negotiate(i.verb, i.option)
          : comPort(i.payload[0]!, i.payload.subarray(1)))]));
      const expected: unknown[] = [];
      for (const i of items) {
        const last = expected.at(-1) as { type: string; hex: string } | undefined;
        if (i.kind === 'data' && last?.type === 'data') last.hex += hex(i.bytes);
        else if (i.kind === 'data') expected.push({ type: 'data', hex: hex(i.bytes) });
        else if (i.kind === 'neg') expected.push({ type: 'negotiate', verb: i.verb, option: i.option });
        else expected.push({ type: 'subnegotiation', option: Option.COM_PORT, hex: hex(i.payload) });
      }
      expect(parse(cutAtFractions(wire, f)).events).toEqual(expected);
    }), { numRuns: 500 });
  });

  it('an over-long subnegotiation is one problem, dropped up to IAC SE; what follows is parsed', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 300 }), fc.uint8Array({ minLength: 1, maxLength: 20 }), fractions, (extra, data, f) => {
      const long = Uint8Array.from({ length: MAX_SUBNEGOTIATION + extra }, (_, i) => i % 255);
      const wire = Uint8Array.from([...comPort(1, long), ...escapeData(data), ...comPort(5, Uint8Array.of(8))]);
      expect(parse(cutAtFractions(wire, f)).events).toEqual([
        { type: 'problem', problem: 'subnegotiation-too-long', option: Option.COM_PORT, limit: MAX_SUBNEGOTIATION },
        { type: 'data', hex: hex(data) },
        { type: 'subnegotiation', option: Option.COM_PORT, hex: '0508' },
      ]);
    }), { numRuns: 300 });
  });

  it('holds at most the limit through megabytes of a subnegotiation that never ends', () => {
    const p = new TelnetParser();
    const junk = new Uint8Array(64 * 1024).fill(0x41);
    const events = [...p.push(Uint8Array.of(IAC, SB, Option.COM_PORT))];
    for (let i = 0; i < 64; i++) {
      events.push(...p.push(junk));
      expect(p.buffered).toBeLessThanOrEqual(MAX_SUBNEGOTIATION);
    }
    expect(events.map((e) => e.type)).toEqual(['problem']);
    expect(p.push(Uint8Array.of(IAC, SE, 0x42)).map((e) => e.type === 'data' && hex(e.bytes))).toEqual(['42']);
  });
});
