import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { UserError } from '../errors.js';
import { buildAppImage } from './app-image-build.js';
import { APP_DESC_MAGIC, encodeAppDescription, parseAppDescription } from './app-image-desc.js';
import { headerWord, imageChecksum, parseAppImage } from './app-image.js';

function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof UserError) return e.code;
    throw e;
  }
  throw new Error('expected a UserError');
}

const desc = encodeAppDescription({ version: '0.1.0', projectName: 'esp-sse' });
const ramBytes = Uint8Array.from({ length: 37 }, (_, i) => (i * 7 + 3) & 0xff); // not a multiple of 4: padded
const app = buildAppImage({
  entry: 0x40081234,
  segments: [
    { loadAddress: 0x3f400020, data: desc },
    { loadAddress: 0x3ffb0000, data: ramBytes },
  ],
});

describe('buildAppImage → bytes as esptool lays them out', () => {
  it('writes the header, the extended header and the segments at their offsets', () => {
    expect([...app.subarray(0, 4)]).toEqual([0xe9, 2, 2, 0x20]); // DIO, 4 MB @ 40 MHz
    expect(new DataView(app.buffer).getUint32(4, true)).toBe(0x40081234);
    expect(app[8]).toBe(0xee); // WP pin disabled
    expect([...app.subarray(9, 23)]).toEqual(Array(14).fill(0)); // drive 0, chip id 0 (ESP32), revs 0, reserved
    expect(app[23]).toBe(1); // hash appended
    const view = new DataView(app.buffer);
    expect(view.getUint32(24, true)).toBe(0x3f400020);
    expect(view.getUint32(28, true)).toBe(256);
    expect(view.getUint32(32, true)).toBe(APP_DESC_MAGIC); // desc at image offset 0x20 = 0x3f400020 mod 64K
    expect(view.getUint32(32 + 256 + 4, true)).toBe(40); // 37 padded to 40
  });

  it('puts the checksum at offset ≡ 15 mod 16 and the SHA-256 of everything before after it', () => {
    const body = 24 + 8 + 256 + 8 + 40;
    const at = body + (15 - (body % 16));
    expect(at % 16).toBe(15);
    expect(app.length).toBe(at + 1 + 32);
    expect([...app.subarray(body, at)]).toEqual(Array(at - body).fill(0));
    let x = 0xef;
    for (const b of [...desc, ...ramBytes, 0, 0, 0]) x ^= b;
    expect(app[at]).toBe(x);
    expect(Buffer.from(app.subarray(at + 1)).toString('hex')).toBe(createHash('sha256').update(app.subarray(0, at + 1)).digest('hex'));
  });

  it('refuses a flash-mapped segment the MMU could not map', () => {
    expect(() => buildAppImage({ entry: 0, segments: [{ loadAddress: 0x3f400000, data: desc }] })).toThrow(RangeError);
  });
});

describe('parseAppImage', () => {
  it('round-trips a built image, with trailing flash bytes after it', () => {
    const flash = new Uint8Array(app.length + 100).fill(0xff);
    flash.set(app);
    const img = parseAppImage(flash);
    expect(img.length).toBe(app.length);
    expect(img.flashMode).toBe('DIO');
    expect(img.flashSize).toBe(4 << 20);
    expect(img.flashFreqMhz).toBe(40);
    expect(img.entry).toBe(0x40081234);
    expect(img.segments.map((s) => [s.loadAddress, s.data.length, s.dataOffset])).toEqual([[0x3f400020, 256, 32], [0x3ffb0000, 40, 296]]);
    expect(img.description).toMatchObject({ projectName: 'esp-sse', version: '0.1.0' });
    expect(img.hashAppended).toBe(true);
  });

  it('reads an image without a hash and other header values', () => {
    const b = buildAppImage({ entry: 0x400805f0, flashMode: 'QIO', flashSize: 16 << 20, flashFreqMhz: 80, hashAppended: false, segments: [{ loadAddress: 0x40080400, data: new Uint8Array(16) }] });
    const img = parseAppImage(b);
    expect([img.flashMode, img.flashSize, img.flashFreqMhz, img.hashAppended, img.description]).toEqual(['QIO', 16 << 20, 80, false, undefined]);
    expect(b.length).toBe(64);
  });

  it('names each kind of damage with its own code', () => {
    const damaged = (at: number, value: number): Uint8Array => {
      const c = app.slice();
      c[at] = value;
      return c;
    };
    expect(codeOf(() => parseAppImage(new Uint8Array(64).fill(0xff)))).toBe('image.bad-magic');
    expect(codeOf(() => parseAppImage(damaged(1, 0)))).toBe('image.too-many-segments');
    expect(codeOf(() => parseAppImage(damaged(1, 17)))).toBe('image.too-many-segments');
    expect(codeOf(() => parseAppImage(damaged(2, 7)))).toBe('image.bad-header');
    expect(codeOf(() => parseAppImage(damaged(3, 0x25)))).toBe('image.bad-header');
    expect(codeOf(() => parseAppImage(damaged(12, 5)))).toBe('image.wrong-chip');
    expect(codeOf(() => parseAppImage(damaged(23, 2)))).toBe('image.bad-header');
    expect(codeOf(() => parseAppImage(damaged(28, 3)))).toBe('image.bad-segment'); // length 259
    expect(codeOf(() => parseAppImage(damaged(30, 1)))).toBe('image.truncated'); // 64 KiB segment
    expect(codeOf(() => parseAppImage(damaged(100, app[100]! ^ 1)))).toBe('image.bad-checksum');
    expect(codeOf(() => parseAppImage(damaged(app.length - 1, app[app.length - 1]! ^ 1)))).toBe('image.bad-sha256');
    expect(codeOf(() => parseAppImage(app.subarray(0, app.length - 1)))).toBe('image.truncated');
    expect(codeOf(() => parseAppImage(app.subarray(0, 10)))).toBe('image.truncated');
  });

  it('accepts another chip id when asked to skip the check', () => {
    const c3 = buildAppImage({ entry: 0, chipId: 5, segments: [{ loadAddress: 0x3fc80000, data: new Uint8Array(4) }] });
    expect(parseAppImage(c3, { chipId: null }).chipId).toBe(5);
    expect(parseAppImage(c3, { chipId: 5 }).chipId).toBe(5);
  });

  it('reports the word the ROM prints for a bad header, and the checksum helper XORs from 0xEF', () => {
    expect(headerWord(new Uint8Array(4).fill(0xff)).toString(16)).toBe('ffffffff');
    expect(headerWord(Uint8Array.of(0x16, 0x17, 0x7e, 0xf3))).toBe(0xf37e1716);
    expect(imageChecksum(new Uint8Array(0))).toBe(0xef);
    expect(imageChecksum(Uint8Array.of(0xef))).toBe(0);
  });
});

describe('esp_app_desc_t', () => {
  it('round-trips and refuses strings longer than their field', () => {
    const d = encodeAppDescription({ version: '1.2.3', projectName: 'p', time: '12:00:00', date: 'Nov 29 2026', idfVersion: 'v4.4', secureVersion: 7 });
    expect(d.length).toBe(256);
    expect(parseAppDescription(d)).toMatchObject({ version: '1.2.3', projectName: 'p', time: '12:00:00', date: 'Nov 29 2026', idfVersion: 'v4.4', secureVersion: 7 });
    expect(() => encodeAppDescription({ version: 'x'.repeat(32), projectName: 'p' })).toThrow(RangeError);
    expect(parseAppDescription(new Uint8Array(256))).toBeUndefined();
  });
});
