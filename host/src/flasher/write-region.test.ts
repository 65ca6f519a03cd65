import { randomBytes } from 'node:crypto';
import pako from 'pako';
import { describe, expect, it } from 'vitest';
import { splitBlocks } from './write-region.js';

describe('splitBlocks', () => {
  it('cuts one zlib stream into blocks whose inflated sizes add up to the image', () => {
    const image = new Uint8Array(200_000);
    image.set(randomBytes(60_000), 10_000);
    const blocks = splitBlocks(image, 0x4000, true);
    const joined = new Uint8Array(blocks.reduce((n, b) => n + b.data.length, 0));
    let o = 0;
    for (const b of blocks) {
      joined.set(b.data, o);
      o += b.data.length;
    }
    expect(pako.inflate(joined)).toEqual(image);
    expect(blocks.slice(0, -1).every((b) => b.data.length === 0x4000)).toBe(true);
    expect(blocks.reduce((n, b) => n + b.flashBytes, 0)).toBe(image.length);
    // the random middle inflates to about its own size per block; the zero runs to far more
    expect(Math.max(...blocks.map((b) => b.flashBytes))).toBeGreaterThan(0x4000);
  });

  it('pads the last plain block with 0xFF', () => {
    const image = new Uint8Array(0x4000 + 10).fill(7);
    const blocks = splitBlocks(image, 0x4000, false);
    expect(blocks.map((b) => b.data.length)).toEqual([0x4000, 0x4000]);
    expect(blocks[1]!.data.subarray(0, 10).every((x) => x === 7)).toBe(true);
    expect(blocks[1]!.data.subarray(10).every((x) => x === 0xff)).toBe(true);
  });
});
