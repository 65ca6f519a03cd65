/**
 * The flash report's lines: plurals, and a rate over the bytes that crossed the wire (a mostly
 * empty image deflates to almost nothing, so a rate over its size reads as many times the baud).
 */
import { describe, expect, it } from 'vitest';
import type { ChipInfo, ImageResult } from '../flasher/events.js';
import { flashSummary, imageLine, plural, wireRate } from './flash-render.js';

const chip: ChipInfo = { description: 'ESP32-D0WD-V3 (revision 3)', chip: 'ESP32', features: [], crystalMHz: 40, mac: '24:0a:c4:ab:cd:ef', stub: true };
const image = (o: Partial<ImageResult> = {}): ImageResult => ({
  name: 'spiffs.bin', address: 0x290000, size: 0x160000, wireBytes: 5_500, compressed: true, status: 'written', ms: 350, md5: '', ...o,
});
const plain = (s: string) => s.replace(/\u001b\[\d+m/g, '');

describe('flash report', () => {
  it('counts in the right number', () => {
    expect(plural(1, 'image')).toBe('1 image');
    expect(plural(0, 'image')).toBe('0 images');
    expect(plural(4, 'byte')).toBe('4 bytes');
    expect(plural(1, 'byte')).toBe('1 byte');
  });

  it('gives the rate of what crossed the wire, labelled so, not the size over the time', () => {
    // 1408 KiB of mostly 0xFF deflated to 5500 bytes in 0.35 s: 125.7 kbit/s on the wire, not 32951.4 "effective".
    const line = imageLine(image());
    expect(line).toBe('spiffs.bin: wrote 1441792 bytes (5500 compressed) at 0x00290000 in 0.35 s (125.7 kbit/s on the wire), hash verified');
    expect(wireRate(5_500, 350)).toBe('125.7 kbit/s on the wire');
    expect(imageLine(image({ compressed: false, wireBytes: 4096, size: 4096, ms: 100 }))).toContain('(4096 on the wire, uncompressed) at 0x00290000 in 0.10 s (327.7 kbit/s on the wire)');
    expect(imageLine(image({ status: 'skipped', wireBytes: 0, ms: 0, size: 4096 }))).toBe('spiffs.bin: 0x00290000 already holds these 4096 bytes (MD5 matches), skipped');
  });

  it('summarises one image as one image, with the wire bytes and their rate', () => {
    const one = plain(flashSummary('/dev/ttyUSB0', { chip, baud: 460800, ms: 2000, images: [image()] }));
    expect(one).toBe('/dev/ttyUSB0: ok, 1 image (1 written, 0 skipped), 1441792 bytes (5500 on the wire) in 0.35 s (125.7 kbit/s on the wire) at 460800 baud, ESP32-D0WD-V3 (revision 3)');
    const two = plain(flashSummary('p', { chip, baud: 921600, ms: 2000, images: [image(), image({ name: 'app.bin', status: 'skipped', wireBytes: 0, ms: 0 })] }));
    expect(two).toContain('p: ok, 2 images (1 written, 1 skipped), 1441792 bytes (5500 on the wire) in 0.35 s');
    const none = plain(flashSummary('p', { chip, baud: 921600, ms: 900, images: [image({ status: 'skipped', wireBytes: 0, ms: 0 })] }));
    expect(none).toBe('p: ok, 1 image (0 written, 1 skipped) at 921600 baud, ESP32-D0WD-V3 (revision 3)');
  });
});
