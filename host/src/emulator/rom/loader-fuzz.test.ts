import { describe, expect, it } from 'vitest';
import { Flash } from '../flash.js';
import { BootLoader } from './loader.js';
import { SLIP_MAX_FRAME, slipEncode } from '../../protocol/slip.js';
import { encodeCommand, u32le } from '../../protocol/rom-packet.js';
import { Op } from '../../protocol/rom-opcodes.js';

/** Deterministic generator, so a failure replays exactly. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

describe('ROM loader / stub under bad input', () => {
  it('never throws on random bytes, random frames or commands with random arguments, in both modes', () => {
    const r = rng(0xc0ffee);
    const ops = [...Object.values(Op), 0x00, 0x42, 0xff];
    for (const mode of ['rom', 'stub'] as const) {
      const warnings: string[] = [];
      const loader = new BootLoader(new Flash(), { write: () => {}, onWarning: (c) => warnings.push(c), onRunApp: () => {}, onBaudRate: () => {} });
      loader.mode = mode;
      for (let i = 0; i < 3000; i++) {
        const kind = r();
        if (kind < 0.2) {
          loader.receive(Uint8Array.from({ length: Math.floor(r() * 64) }, () => Math.floor(r() * 256)));
        } else if (kind < 0.4) {
          loader.receive(slipEncode(Uint8Array.from({ length: Math.floor(r() * 40) }, () => Math.floor(r() * 256))));
        } else {
          const op = ops[Math.floor(r() * ops.length)]!;
          const words = Array.from({ length: Math.floor(r() * 6) }, () => (r() < 0.5 ? Math.floor(r() * 0x500000) : Math.floor(r() * 2 ** 32)));
          const data = r() < 0.8 ? u32le(...words) : Uint8Array.from({ length: Math.floor(r() * 30) }, () => Math.floor(r() * 256));
          expect(() => loader.receive(slipEncode(encodeCommand({ op, checksum: Math.floor(r() * 256), data })))).not.toThrow();
        }
        expect(loader.buffered).toBeLessThanOrEqual(SLIP_MAX_FRAME);
      }
      expect(warnings.length).toBeGreaterThan(0);
    }
  });

  it('an over-long frame is dropped with one warning, also when it never ends; the next command is answered', () => {
    const warnings: string[] = [];
    const out: Uint8Array[] = [];
    const loader = new BootLoader(new Flash(), { write: (b) => out.push(b), onWarning: (c) => warnings.push(c) });
    const junk = new Uint8Array(64 * 1024).fill(0x41);
    loader.receive(Uint8Array.of(0xc0));
    for (let i = 0; i < 32; i++) {
      loader.receive(junk);
      expect(loader.buffered).toBeLessThanOrEqual(SLIP_MAX_FRAME);
    }
    expect(warnings).toEqual(['serial.frame-too-long']);
    loader.receive(Uint8Array.of(0xc0));
    loader.receive(slipEncode(encodeCommand({ op: Op.READ_REG, checksum: 0, data: u32le(0x40001000) })));
    expect(out).toHaveLength(1);
  });
});
