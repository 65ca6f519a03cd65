/**
 * The LittleFS reader against mklittlefs' images (host/test/fixtures/littlefs/README.md): every
 * image lists and reads back to exactly the folder it was packed from.
 */
import { describe, expect, it } from 'vitest';
import { listLittlefs, mountLittlefs, readLittlefs, readLittlefsFile } from './littlefs-reader.js';
import { readFixture as readSpiffsFixture, userErrorCode } from './testing/fixtures.js';
import {
  FIXTURE_TIME, LITTLEFS_FIXTURES, dirsOf, littlefsFolder, readLittlefsFixture,
} from './testing/littlefs-fixtures.js';

describe('LittleFS reader: mklittlefs reference images', () => {
  for (const name of LITTLEFS_FIXTURES) {
    it(`${name} reads back to exactly its folder`, async () => {
      const img = readLittlefsFixture(name);
      const folder = await littlefsFolder(name);
      const { volume, files } = readLittlefs(img);
      expect(volume.superblock).toEqual({
        version: 0x00020000, blockSize: 4096, blockCount: img.length / 4096,
        nameMax: 32, fileMax: 0x7fffffff, attrMax: 0x3fe,
      });
      expect(volume.root).toEqual([0, 1]);
      expect(volume.rootMtime).toBe(FIXTURE_TIME);
      const want = [
        ...folder.map((f) => ({ path: f.name, type: 'file', size: f.data.length })),
        ...dirsOf(folder.map((f) => f.name)).map((d) => ({ path: d, type: 'dir', size: 0 })),
      ].sort((a, b) => (a.path < b.path ? -1 : 1));
      expect(listLittlefs(img).map((e) => ({ path: e.path, type: e.type, size: e.size }))).toEqual(want);
      for (const e of volume.entries) expect(e.mtime).toBe(FIXTURE_TIME);
      expect(files.map((f) => f.path)).toEqual(folder.map((f) => f.name));
      files.forEach((f, i) => expect(Buffer.from(f.data).equals(Buffer.from(folder[i]!.data))).toBe(true));
    });
  }

  it('stores files of up to 64 bytes inline and larger ones in CTZ lists (mklittlefs cache 64)', () => {
    const v = mountLittlefs(readLittlefsFixture('edge-64k.bin'));
    const kinds = Object.fromEntries(v.entries.map((e) => [e.path, e.storage.kind]));
    expect(kinds).toMatchObject({ '/empty': 'inline', '/one-byte.txt': 'inline', '/page-251.txt': 'ctz', '/d1': 'dir' });
  });

  it('takes the newer block of the superblock pair (nested: block 0 rev 3 beats block 1 rev 2)', () => {
    const img = readLittlefsFixture('nested-256k.bin');
    expect(img[0]).toBe(3);
    expect(img[4096]).toBe(2);
    expect(readLittlefsFile(img, '/readme.txt')).toEqual(new TextEncoder().encode('/readme.txt line 1\n'));
  });

  it('readLittlefsFile: paths with or without the leading slash; missing files and directories are typed errors', () => {
    const img = readLittlefsFixture('basic-64k.bin');
    expect(readLittlefsFile(img, 'sub/app.js').length).toBe(19);
    expect(userErrorCode(() => readLittlefsFile(img, '/nope'))).toBe('fs.littlefs-no-such-file');
    expect(userErrorCode(() => readLittlefsFile(img, '/sub'))).toBe('fs.littlefs-no-such-file');
  });

  it('refuses foreign images: SPIFFS, erased (0xFF), zeros, too small, truncated', () => {
    expect(userErrorCode(() => listLittlefs(readSpiffsFixture('basic-64k.bin')))).toBe('fs.littlefs-not-found');
    expect(userErrorCode(() => listLittlefs(new Uint8Array(0x10000).fill(0xff)))).toBe('fs.littlefs-not-found');
    expect(userErrorCode(() => listLittlefs(new Uint8Array(0x10000)))).toBe('fs.littlefs-not-found');
    expect(userErrorCode(() => listLittlefs(new Uint8Array(10)))).toBe('fs.littlefs-not-found');
    const img = readLittlefsFixture('basic-1408k.bin');
    expect(userErrorCode(() => listLittlefs(img.subarray(0, 0x10000)))).toBe('fs.littlefs-not-found');
  });

  it('a partition dump longer than the image still mounts (block_count comes from the superblock)', () => {
    const img = readLittlefsFixture('basic-64k.bin');
    const dump = new Uint8Array(0x20000).fill(0xff);
    dump.set(img);
    expect(listLittlefs(dump).length).toBe(6);
  });

  it('takes the older block when the newer one has no valid commit (a torn compaction)', () => {
    const img = readLittlefsFixture('basic-64k.bin').slice();
    img[4096 + 50] = img[4096 + 50]! ^ 0xff; // inside block 1's first commit
    // Block 1's later commits can't be trusted without its first: block 0 (rev 1) is used.
    const v = mountLittlefs(img);
    expect(v.superblock.blockCount).toBe(16);
    // Block 0 holds only what lfs_format wrote: the superblock and an empty root.
    expect(v.entries).toEqual([]);
  });
});
