import { describe, expect, it } from 'vitest';
import { encodeFrame, frame, FrameDecoder, maxFrameBytes, T, text } from './sketch-link.js';

describe('sketch link frames', () => {
  it('lays a frame out as length, type, id, four numbers, four byte strings and a list (golden)', () => {
    const bytes = encodeFrame(frame(T.serialTx, 7, { a: 1, d: 0xffffffff, s1: 'hi', l1: ['x'] }));
    expect(Buffer.from(bytes).toString('hex')).toBe(
      [
        '30000000', // length: everything after this field (48)
        '02', // type serialTx
        '07000000', // id
        '01000000', '00000000', '00000000', 'ffffffff', // a b c d
        '02000000', '6869', // s1 "hi"
        '00000000', '00000000', '00000000', // s2 s3 s4 empty
        '01000000', '01000000', '78', // l1: one item "x"
      ].join(''),
    );
  });

  it('decodes what it encodes, one byte at a time and many frames in one chunk', () => {
    const frames = [
      frame(T.request, 1, { a: 3, b: 1, c: 1, d: 50123, s1: 'GET', s2: '/api/echo', s3: 'q=hi', s4: new Uint8Array([0, 255]), l1: ['Host', '127.0.0.1', '', 'q', 'hi', ''] }),
      frame(T.done, 2),
      frame(T.sseSend, 0, { a: 1, c: 4294967295, s1: 'hello!', s3: 'm' }),
    ];
    const wire = Buffer.concat(frames.map((f) => encodeFrame(f)));
    const slow = new FrameDecoder();
    const got = [...wire].flatMap((b) => slow.push(new Uint8Array([b])));
    expect(got).toEqual(frames);
    expect(new FrameDecoder().push(wire)).toEqual(frames);
    expect(text((got[0] as { s2: Uint8Array }).s2)).toBe('/api/echo');
  });

  it('reports a length outside the limits and stops decoding', () => {
    const d = new FrameDecoder();
    const huge = new Uint8Array(8);
    new DataView(huge.buffer).setUint32(0, maxFrameBytes + 1, true);
    expect(d.push(huge)).toEqual([{ problem: expect.stringContaining('frame length') }]);
    expect(d.push(encodeFrame(frame(T.done, 1)))).toEqual([]);
  });

  it('reports fields that overrun the frame, and trailing bytes', () => {
    const good = encodeFrame(frame(T.serialTx, 1, { s1: 'abc' }));
    const overrun = good.slice();
    new DataView(overrun.buffer).setUint32(25, 1000, true); // s1's length
    expect(new FrameDecoder().push(overrun)[0]).toEqual({ problem: expect.stringContaining('overrun') });
    const trailing = new Uint8Array(good.length + 1);
    trailing.set(good);
    new DataView(trailing.buffer).setUint32(0, good.length - 4 + 1, true);
    expect(new FrameDecoder().push(trailing)[0]).toEqual({ problem: expect.stringContaining('after its last field') });
  });

  it('refuses to encode a frame over the limit', () => {
    expect(() => encodeFrame(frame(T.serialTx, 1, { s1: new Uint8Array(maxFrameBytes) }))).toThrow(RangeError);
  });
});
