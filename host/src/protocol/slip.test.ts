import { describe, expect, it } from 'vitest';
import { SlipDecoder, slipEncode, type SlipNoise } from './slip.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const bytes = (h: string): Uint8Array => new Uint8Array(Buffer.from(h.replace(/\s+/g, ''), 'hex'));

describe('SLIP', () => {
  it('encodes golden vectors (each frame with its own delimiters)', () => {
    expect(hex(slipEncode(bytes('01c002db03')))).toBe('c001dbdc02dbdd03c0');
    expect(hex(slipEncode(new Uint8Array(0)))).toBe('c0c0');
    expect(hex(slipEncode(bytes('4f484149')))).toBe('c04f484149c0');
  });

  it('round-trips every byte value, split at every position', () => {
    const payload = Uint8Array.from({ length: 256 }, (_, i) => i);
    const wire = slipEncode(payload);
    for (let cut = 0; cut <= wire.length; cut++) {
      const d = new SlipDecoder();
      const frames = [...d.push(wire.subarray(0, cut)), ...d.push(wire.subarray(cut))];
      expect(frames.map(hex)).toEqual([hex(payload)]);
    }
  });

  it('decodes back-to-back frames and treats C0 C0 as a boundary', () => {
    const d = new SlipDecoder();
    expect(d.push(bytes('c00102c0c00304c0')).map(hex)).toEqual(['0102', '0304']);
    expect(d.push(bytes('c0c00506c0')).map(hex)).toEqual(['0506']);
  });

  it('reports bytes outside frames and bad escapes as noise, never throws', () => {
    const noise: SlipNoise[] = [];
    const d = new SlipDecoder((n) => noise.push(n));
    expect(d.push(bytes('414243c001db41c0')).map(hex)).toEqual(['0141']);
    expect(noise.map((n) => [n.kind, hex(n.bytes)])).toEqual([
      ['outside-frame', '414243'],
      ['bad-escape', 'db41'],
    ]);
  });
});
