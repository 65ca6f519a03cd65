/**
 * Property-based tests of the SSE parser: any bytes in any chunking give the same events, never
 * a throw, and what it holds stays bounded by its event limit.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeSseEvent, type SseDialect } from './sse-encode.js';
import { SSE_MAX_EVENT_LENGTH, SseParser, type SseMessage } from './sse-parser.js';
import { cutAt } from '../../test/fuzz-chunks.js';

/** Stream pieces that exercise every rule: fields, comments, all line ends, BOM, UTF-8, NUL. */
const piece = fc.oneof(
  fc.constantFrom('data: ', 'data:', 'data', 'event: ', 'id: ', 'id', 'retry: ', 'retry: 10', ': comment', ':', 'field: x', '\ufeff', 'é', '😀', '\0', ' '),
  fc.constantFrom('\n', '\r', '\r\n', '\n\n', '\r\r', '\r\n\r\n'),
  fc.string({ maxLength: 12 }),
);
const stream = fc.oneof(
  fc.array(piece, { maxLength: 40 }).map((p) => new TextEncoder().encode(p.join(''))),
  fc.uint8Array({ maxLength: 300 }),
);

function parseChunks(chunks: Uint8Array[], max?: number): { events: SseMessage[]; parser: SseParser; warnings: string[] } {
  const warnings: string[] = [];
  const parser = new SseParser({ ...(max !== undefined ? { maxEventLength: max } : {}), onWarning: (code) => warnings.push(code) });
  const events = chunks.flatMap((c) => parser.push(c));
  return { events, parser, warnings };
}

describe('SseParser (property-based)', () => {
  it('any bytes: no throw, and any chunking gives the same events as one push', () => {
    fc.assert(fc.property(stream, fc.array(fc.nat(), { maxLength: 8 }), (bytes, cuts) => {
      const whole = parseChunks([bytes]).events;
      expect(parseChunks(cutAt(bytes, cuts)).events).toEqual(whole);
      expect(parseChunks([...bytes].map((b) => Uint8Array.of(b))).events).toEqual(whole);
    }), { numRuns: 400 });
  });

  it('with a small limit: events over it are dropped with a warning, the rest are the same, what is held stays bounded', () => {
    fc.assert(fc.property(stream, fc.array(fc.nat(), { maxLength: 8 }), fc.integer({ min: 1, max: 40 }), (bytes, cuts, max) => {
      const chunks = cutAt(bytes, cuts);
      const parser = new SseParser({ maxEventLength: max });
      const longest = Math.max(0, ...chunks.map((c) => c.length));
      for (const c of chunks) {
        for (const e of parser.push(c)) expect(e.data.length + e.event.length).toBeLessThanOrEqual(max + 'message'.length);
        expect(parser.pending).toBeLessThanOrEqual(max + longest);
      }
      // Every event the limited parser returns, the unlimited one returns too, in order.
      const limited = parseChunks(chunks, max).events.map((e) => [e.event, e.data]);
      const all = parseChunks(chunks).events.map((e) => [e.event, e.data]);
      let i = 0;
      for (const e of limited) {
        while (i < all.length && JSON.stringify(all[i]) !== JSON.stringify(e)) i++;
        expect(i).toBeLessThan(all.length);
        i++;
      }
    }), { numRuns: 400 });
  });

  it('events the board encodes parse back, in any chunking', () => {
    const line = fc.string({ maxLength: 30 }).filter((s) => !/[\r\n]/.test(s));
    const event = fc.record({
      message: line,
      event: fc.option(line, { nil: undefined }),
      id: fc.integer({ min: 0, max: 0xffffffff }),
      retry: fc.integer({ min: 0, max: 0xffff }),
    });
    fc.assert(fc.property(fc.constantFrom<SseDialect>('original', 'fork'), fc.array(event, { minLength: 1, maxLength: 5 }), fc.array(fc.nat(), { maxLength: 6 }), (dialect, events, cuts) => {
      const bytes = Buffer.concat(events.map((e) => encodeSseEvent(dialect, e)));
      const got = parseChunks(cutAt(bytes, cuts)).events;
      expect(got.map((m) => [m.event, m.data, m.id, m.retry])).toEqual(events.map((e) => [
        e.event ? e.event : 'message', e.message, e.id !== 0 ? String(e.id) : undefined, e.retry !== 0 ? e.retry : undefined,
      ]));
    }), { numRuns: 300 });
  });

  it('an endless line or an endless event holds at most the limit, then the stream goes on', () => {
    const warnings: string[] = [];
    const p = new SseParser({ onWarning: (code) => warnings.push(code) });
    const mib = new Uint8Array(1 << 20).fill(0x61);
    expect(p.push('data: ')).toEqual([]);
    for (let i = 0; i < 8; i++) {
      p.push(mib);
      expect(p.pending).toBeLessThanOrEqual(SSE_MAX_EVENT_LENGTH + mib.length);
    }
    const lines = new TextEncoder().encode('data: xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n'.repeat(1 << 15));
    for (let i = 0; i < 4; i++) {
      p.push(lines);
      expect(p.pending).toBeLessThanOrEqual(SSE_MAX_EVENT_LENGTH + lines.length);
    }
    expect(p.push('\n\nevent: ok\ndata: after\n\n')).toEqual([{ event: 'ok', data: 'after', lastEventId: '' }]);
    expect(warnings).toEqual(['sse.event-too-large']);
    expect(p.dropped).toBe(1);
  });
});
