/**
 * Property-based tests of the sketch link codec: frames survive any chunking; any bytes give
 * whole frames, then at most one problem after which the decoder takes nothing more; never a
 * throw; a frame never holds more than the stream carried (no length field allocates ahead).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FrameDecoder, T, encodeFrame, frame, maxFrameBytes, type Frame, type LinkProblem } from './sketch-link.js';
import { cutAt } from '../../test/fuzz-chunks.js';

const u32 = fc.integer({ min: 0, max: 0xffffffff });
const bytesArb = fc.uint8Array({ maxLength: 40 });
const frameArb: fc.Arbitrary<Frame> = fc.record({
  type: fc.oneof(fc.constantFrom(...Object.values(T)), fc.integer({ min: 0, max: 255 })),
  id: u32,
  a: u32,
  b: u32,
  c: u32,
  d: u32,
  s1: bytesArb,
  s2: bytesArb,
  s3: bytesArb,
  s4: bytesArb,
  l1: fc.array(bytesArb, { maxLength: 5 }),
});

const decodeAll = (chunks: Uint8Array[]): Array<Frame | LinkProblem> => {
  const d = new FrameDecoder();
  return chunks.flatMap((c) => d.push(c));
};
const isProblem = (x: Frame | LinkProblem): x is LinkProblem => 'problem' in x;

describe('sketch link codec (property-based)', () => {
  it('frames round-trip through any chunking', () => {
    fc.assert(fc.property(fc.array(frameArb, { minLength: 1, maxLength: 6 }), fc.array(fc.nat(), { maxLength: 10 }), (frames, cuts) => {
      const wire = Buffer.concat(frames.map(encodeFrame));
      expect(decodeAll(cutAt(wire, cuts))).toEqual(frames);
    }), { numRuns: 300 });
  });

  it('any bytes: whole frames, then at most one problem, the same in any chunking; frames re-encode to the bytes they came from', () => {
    const damaged = fc.tuple(fc.array(frameArb, { maxLength: 4 }), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }))
      .map(([frames, hits]) => {
        const b = new Uint8Array(Buffer.concat(frames.map(encodeFrame)));
        for (const [at, v] of hits) if (b.length) b[at % b.length] = v;
        return b;
      });
    fc.assert(fc.property(fc.oneof(damaged, fc.uint8Array({ maxLength: 200 })), fc.array(fc.nat(), { maxLength: 8 }), (wire, cuts) => {
      const whole = decodeAll([wire]);
      expect(decodeAll(cutAt(wire, cuts))).toEqual(whole);
      const problems = whole.filter(isProblem);
      expect(problems.length).toBeLessThanOrEqual(1);
      if (problems.length) expect(isProblem(whole.at(-1)!)).toBe(true);
      const frames = whole.filter((x): x is Frame => !isProblem(x));
      const again = Buffer.concat(frames.map(encodeFrame));
      expect(again.equals(Buffer.from(wire.subarray(0, again.length)))).toBe(true);
    }), { numRuns: 400 });
  });

  it('a length over the limit is a problem at once, and nothing after it is kept', () => {
    const d = new FrameDecoder();
    const head = new Uint8Array(4);
    new DataView(head.buffer).setUint32(0, maxFrameBytes + 1, true);
    expect(d.push(head)).toEqual([{ problem: `frame length ${maxFrameBytes + 1} is outside 41..${maxFrameBytes}` }]);
    expect(d.push(encodeFrame(frame(T.hello, 0, { a: 1 })))).toEqual([]);
  });

  it('list counts and byte lengths are checked against the frame before anything is allocated', () => {
    // A 41-byte frame claiming a 4-billion-item list and a 4 GB string.
    const f = encodeFrame(frame(T.appReply, 1));
    const list = f.slice();
    new DataView(list.buffer).setUint32(f.length - 4, 0xffffffff, true);
    expect(decodeAll([list])).toEqual([{ problem: `frame type ${T.appReply}: a list of 4294967295 items cannot fit` }]);
    const str = f.slice();
    new DataView(str.buffer).setUint32(4 + 1 + 4 + 16, 0xffffffff, true);
    expect(decodeAll([str])).toEqual([{ problem: `frame type ${T.appReply}: its fields overrun its length` }]);
  });
});
