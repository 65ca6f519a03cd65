import { describe, expect, it } from 'vitest';
import { buildLittlefs } from '../../formats/littlefs-builder.js';
import { mountLittlefs as mountImage } from '../../formats/littlefs-reader.js';
import { defaultPartitions } from './default-flash.js';
import { ESP_ERR_NOT_FOUND, ESP_FAIL, formatLittlefs, mountLittlefs } from './littlefs-mount.js';

const table = defaultPartitions();
const part = table.find((p) => p.label === 'spiffs')!;
const enc = new TextEncoder();

function flashWith(image: Uint8Array): Uint8Array {
  const flash = new Uint8Array(4 << 20).fill(0xff);
  flash.set(image, part.offset);
  return flash;
}

describe('LittleFS.begin() on the emulated flash', () => {
  it('mounts the partition labelled spiffs: files, directories one level at a time, sizes in blocks', () => {
    const files = [{ name: '/index.html', data: enc.encode('<p>hi</p>') }, { name: '/js/app.js', data: new Uint8Array(5000).fill(0x61) }];
    const m = mountLittlefs(flashWith(buildLittlefs(files, part.size)), table, 'spiffs');
    if (!m.ok) throw new Error(m.log.join('\n'));
    expect(m.files.read('/js/app.js')).toEqual(files[1]!.data);
    expect(m.files.children('/')).toEqual(['/index.html', '/js']);
    expect(m.files.isDirectory('/js')).toBe(true);
    expect(m.files.isDirectory('/index.html')).toBe(false);
    expect(m.totalBytes).toBe(part.size);
    // root pair + /js pair + a 5000-byte file in two CTZ blocks
    expect(m.usedBytes).toBe(6 * 4096);
  });

  it('an erased partition fails as littlefs does (-84, ESP_FAIL); a label the table lacks is ESP_ERR_NOT_FOUND', () => {
    const erased = mountLittlefs(flashWith(new Uint8Array(0)), table, 'spiffs');
    expect(erased).toEqual({ ok: false, err: ESP_FAIL, log: [
      'esp_littlefs: ./components/esp_littlefs/src/littlefs/lfs.c:1367:error: Corrupted dir pair at {0x0, 0x1}\r\n',
      'esp_littlefs: mount failed,  (-84)',
      'esp_littlefs: Failed to initialize LittleFS',
    ] });
    expect(mountLittlefs(flashWith(new Uint8Array(0)), table, 'www')).toEqual({ ok: false, err: ESP_ERR_NOT_FOUND, log: [
      'esp_littlefs: partition "www" could not be found',
      'esp_littlefs: Failed to initialize LittleFS',
    ] });
    expect(formatLittlefs(table, 'www', 4 << 20)).toMatchObject({ ok: false, err: ESP_ERR_NOT_FOUND });
  });

  it('format gives the superblock pair of an empty disk-2.1 LittleFS spanning the partition, and nothing past block 1', () => {
    const r = formatLittlefs(table, 'spiffs', 4 << 20);
    if (!r.ok) throw new Error('format failed');
    expect(r.offset).toBe(part.offset);
    expect(r.bytes.length).toBe(2 * 4096);
    const image = new Uint8Array(part.size).fill(0x00); // what was there before does not matter past block 1
    image.set(r.bytes);
    const v = mountImage(image, { blockSize: 4096 });
    expect(v.superblock).toMatchObject({ version: 0x20001, blockSize: 4096, blockCount: part.size / 4096, nameMax: 255 });
    expect(v.entries).toEqual([]);
  });
});
