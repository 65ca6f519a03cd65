/**
 * ROM packet codec properties (fast-check): any bytes decode to a typed packet or a typed
 * reason, never a throw; decoded data is a view of the input (nothing copied, nothing grown);
 * encode → decode is the identity.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeCommand, decodeDataBlock, decodeResponse, encodeCommand, encodeDataCommand, encodeResponse, readU32le, romChecksum, u32le,
  type DecodeResult,
} from './rom-packet.js';

const bytes = (max: number) => fc.uint8Array({ maxLength: max });

function typed<T>(r: DecodeResult<T>): void {
  if (r.ok) expect(r.value).toBeDefined();
  else expect(typeof r.reason).toBe('string');
}

describe('ROM packets (property-based)', () => {
  it('any bytes: a command, a response, a data block or a reason, never a throw', () => {
    fc.assert(fc.property(bytes(96), (p) => {
      const c = decodeCommand(p);
      typed(c);
      if (c.ok) {
        expect(c.value.data.buffer).toBe(p.buffer);
        expect(c.value.data.length).toBe(p.length - 8);
      }
      const r = decodeResponse(p);
      typed(r);
      if (r.ok) expect(r.value.data.length).toBe(p.length - 8);
      const b = decodeDataBlock(p);
      typed(b);
      if (b.ok) expect(b.value.payload.length).toBe(p.length - 16);
    }), { numRuns: 2000 });
  });

  it('commands and responses round-trip', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 0xffffffff }), bytes(300), (op, word, data) => {
      const c = decodeCommand(encodeCommand({ op, checksum: word, data }));
      expect(c.ok && c.value.op === op && c.value.checksum === word && Buffer.compare(c.value.data, data) === 0).toBe(true);
      const r = decodeResponse(encodeResponse({ op, value: word, data }));
      expect(r.ok && r.value.op === op && r.value.value === word && Buffer.compare(r.value.data, data) === 0).toBe(true);
      // A command is never taken for a response and the other way round.
      expect(decodeResponse(encodeCommand({ op, checksum: word, data })).ok).toBe(false);
    }), { numRuns: 500 });
  });

  it('data blocks round-trip with their checksum', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 0xffffffff }), bytes(300), (seq, payload) => {
      const cmd = encodeDataCommand(0x03, { seq, payload });
      expect(cmd.checksum).toBe(romChecksum(payload));
      const b = decodeDataBlock(cmd.data);
      expect(b.ok && b.value.seq === seq && Buffer.compare(b.value.payload, payload) === 0).toBe(true);
    }), { numRuns: 500 });
  });

  it('reads only the words that are there', () => {
    fc.assert(fc.property(bytes(40), fc.integer({ min: 0, max: 16 }), (data, count) => {
      const w = readU32le(data, count);
      expect(w).toHaveLength(count);
      w.forEach((v, i) => {
        if (i * 4 + 4 <= data.length) expect(v).toBe(Buffer.from(data).readUInt32LE(i * 4));
        else expect(v).toBeUndefined();
      });
    }), { numRuns: 500 });
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 0xffffffff }), { maxLength: 8 }), (words) => {
      expect(readU32le(u32le(...words), words.length)).toEqual(words);
    }));
  });
});
