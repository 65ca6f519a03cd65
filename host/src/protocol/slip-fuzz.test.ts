/**
 * SLIP decoder properties (fast-check): frames or typed noise, never a throw, never more than
 * one frame's worth of bytes held between pushes, and the same frames however the bytes are cut.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SLIP_END, SLIP_MAX_FRAME, SlipDecoder, slipEncode, type SlipNoise } from './slip.js';
import { cutAtFractions } from '../../test/fuzz-chunks.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

function concat(parts: Uint8Array[]): Uint8Array {
  return Uint8Array.from(parts.flatMap((p) => [...p]));
}

/** Bytes that lean on the SLIP specials, so escapes and delimiters turn up often. */
const slipByte = fc.oneof(fc.constantFrom(0xc0, 0xdb, 0xdc, 0xdd), fc.integer({ min: 0, max: 255 }));
const slipBytes = (max: number) => fc.array(slipByte, { maxLength: max }).map((a) => Uint8Array.from(a));
const fractions = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 8 });

function decodeAll(chunks: Uint8Array[], maxFrame?: number): { frames: string[]; noise: SlipNoise[]; maxBuffered: number } {
  const noise: SlipNoise[] = [];
  const d = new SlipDecoder((n) => noise.push(n), maxFrame === undefined ? {} : { maxFrame });
  const frames: string[] = [];
  let maxBuffered = 0;
  for (const c of chunks) {
    frames.push(...d.push(c).map(hex));
    maxBuffered = Math.max(maxBuffered, d.buffered);
  }
  return { frames, noise, maxBuffered };
}

describe('SLIP decoder (property-based)', () => {
  it('round-trips any sequence of frames cut anywhere, without noise', () => {
    fc.assert(fc.property(fc.array(slipBytes(64).filter((p) => p.length > 0), { maxLength: 6 }), fractions, (payloads, f) => {
      const wire = concat(payloads.map(slipEncode));
      const r = decodeAll(cutAtFractions(wire, f));
      expect(r.frames).toEqual(payloads.map(hex));
      expect(r.noise).toEqual([]);
    }), { numRuns: 300 });
  });

  it('any bytes: frames within the limit or typed noise, never a throw, never more than the limit held', () => {
    fc.assert(fc.property(slipBytes(400), fractions, fc.integer({ min: 1, max: 40 }), (bytes, f, maxFrame) => {
      const r = decodeAll(cutAtFractions(bytes, f), maxFrame);
      expect(r.maxBuffered).toBeLessThanOrEqual(maxFrame);
      for (const fr of r.frames) expect(fr.length / 2).toBeGreaterThan(0);
      for (const fr of r.frames) expect(fr.length / 2).toBeLessThanOrEqual(maxFrame);
      for (const n of r.noise) expect(['outside-frame', 'bad-escape', 'frame-too-long']).toContain(n.kind);
    }), { numRuns: 500 });
  });

  it('the frames do not depend on how the bytes are cut', () => {
    fc.assert(fc.property(slipBytes(300), fractions, fc.integer({ min: 1, max: 40 }), (bytes, f, maxFrame) => {
      const whole = decodeAll([bytes], maxFrame);
      const split = decodeAll(cutAtFractions(bytes, f), maxFrame);
      expect(split.frames).toEqual(whole.frames);
      const tooLong = (r: typeof whole): number => r.noise.filter((n) => n.kind === 'frame-too-long').length;
      expect(tooLong(split)).toBe(tooLong(whole));
    }), { numRuns: 500 });
  });

  it('an over-long frame is dropped up to its end with one report; the next frame decodes', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1, max: 200 }), slipBytes(32).filter((p) => p.length > 0), fractions,
      (maxFrame, extra, next, f) => {
        fc.pre(next.length <= maxFrame);
        const long = Uint8Array.from({ length: maxFrame + extra }, (_, i) => i % 0xc0);
        const r = decodeAll(cutAtFractions(concat([slipEncode(long), slipEncode(next)]), f), maxFrame);
        expect(r.frames).toEqual([hex(next)]);
        expect(r.noise.map((n) => n.kind)).toEqual(['frame-too-long']);
        expect(r.maxBuffered).toBeLessThanOrEqual(maxFrame);
      }), { numRuns: 300 });
  });

  it('holds at most the default limit while a frame start is followed by megabytes without an end', () => {
    const noise: SlipNoise[] = [];
    const d = new SlipDecoder((n) => noise.push(n));
    const junk = new Uint8Array(64 * 1024).fill(0x41);
    expect(d.push(Uint8Array.of(SLIP_END))).toEqual([]);
    for (let i = 0; i < 64; i++) {
      expect(d.push(junk)).toEqual([]);
      expect(d.buffered).toBeLessThanOrEqual(SLIP_MAX_FRAME);
    }
    expect(noise.map((n) => n.kind)).toEqual(['frame-too-long']);
    // The frame ends; the next one is taken.
    expect(d.push(Uint8Array.of(SLIP_END, ...slipEncode(Uint8Array.of(1, 2, 3)))).map(hex)).toEqual(['010203']);
  });

  it('takes the largest frame a flasher sends (a 0x4000-byte FLASH_DEFL_DATA block)', () => {
    const block = Uint8Array.from({ length: 8 + 16 + 0x4000 }, (_, i) => (i * 7) & 0xff);
    const d = new SlipDecoder();
    expect(d.push(slipEncode(block)).map((f) => f.length)).toEqual([block.length]);
  });
});
