/**
 * Images with a board's history, written tag by tag with MetaWriter: several commits in one
 * block, a file rewritten and one deleted, a torn last commit, revision counts that wrap, a
 * pending move and a removed attribute. Each case says which bytes make the difference.
 */
import { describe, expect, it } from 'vitest';
import { MetaWriter } from './littlefs-commit.js';
import { mountLittlefs } from './littlefs-reader.js';
import { ATTR_MTIME, NO_ID, TYPE, VERSION_2_1, putLe32 } from './littlefs-tags.js';

const BS = 4096;
const enc = (s: string) => new TextEncoder().encode(s);
const u32s = (...v: number[]) => { const b = new Uint8Array(4 * v.length); v.forEach((x, i) => putLe32(b, 4 * i, x)); return b; };

/** A 4-block image; `root(w)` writes the root block's commits after the superblock commit. */
function image(rev0: number, fill0: (w: MetaWriter) => void, rev1?: number, fill1?: (w: MetaWriter) => void): Uint8Array {
  const img = new Uint8Array(4 * BS).fill(0xff);
  const sb = (w: MetaWriter) => w.tag(TYPE.SUPERBLOCK, 0, enc('littlefs')).tag(TYPE.INLINESTRUCT, 0, u32s(VERSION_2_1, BS, 4, 255, 0x7fffffff, 1022));
  const w0 = new MetaWriter(img, 0, BS, 128, rev0);
  sb(w0);
  fill0(w0);
  if (rev1 !== undefined && fill1) {
    const w1 = new MetaWriter(img, BS, BS, 128, rev1);
    sb(w1);
    fill1(w1);
  }
  return img;
}

const file = (w: MetaWriter, id: number, name: string, text: string) =>
  w.tag(TYPE.CREATE, id).tag(TYPE.REG, id, enc(name)).tag(TYPE.INLINESTRUCT, id, enc(text)).tag(TYPE.USERATTR + ATTR_MTIME, id, u32s(1000 + id));

function listing(img: Uint8Array): Record<string, string> {
  const v = mountLittlefs(img);
  return Object.fromEntries(v.entries.map((e) => [e.path, new TextDecoder().decode(v.read(e))]));
}

describe('LittleFS reader: board-style history', () => {
  it('replays commits in order: create, create, rewrite, delete (ids shift down after a DELETE)', () => {
    const img = image(1, (w) => {
      w.commit(true);
      file(w, 1, 'a.txt', 'A1').commit(true);
      file(w, 2, 'b.txt', 'B1').commit(true);
      w.tag(TYPE.INLINESTRUCT, 1, enc('A2, longer')).commit(true); // newest STRUCT for id 1 wins
      w.tag(TYPE.DELETE, 1).commit(true); // a.txt goes; b.txt moves from id 2 to id 1
      w.tag(TYPE.INLINESTRUCT, 1, enc('B2')).commit(true); // so this rewrites b.txt
    });
    expect(listing(img)).toEqual({ '/b.txt': 'B2' });
  });

  it('a commit whose CRC does not match is ignored with everything after it; the last good one stands', () => {
    let torn = 0;
    const img = image(1, (w) => {
      w.commit(true);
      file(w, 1, 'a.txt', 'kept').commit(true);
      torn = w.off;
      file(w, 2, 'b.txt', 'lost').commit(true);
      file(w, 3, 'c.txt', 'after').commit(true);
    });
    expect(Object.keys(listing(img))).toEqual(['/a.txt', '/b.txt', '/c.txt']);
    img[torn + 12] = img[torn + 12]! ^ 1; // one bit inside b.txt's NAME: its commit's CRC fails
    expect(listing(img)).toEqual({ '/a.txt': 'kept' });
  });

  it('revision counts compare as sequences: 0 is newer than 0xffffffff, 5 newer than 4', () => {
    const older = (w: MetaWriter) => file(w, 1, 'old.txt', 'old').commit();
    const newer = (w: MetaWriter) => file(w, 1, 'new.txt', 'new').commit();
    expect(Object.keys(listing(image(0xffffffff, older, 0, newer)))).toEqual(['/new.txt']);
    expect(Object.keys(listing(image(5, newer, 4, older)))).toEqual(['/new.txt']);
    // The newer block without a valid commit: the older one is used.
    const img = image(4, older, 5, newer);
    img[BS + 20] = img[BS + 20]! ^ 0xff;
    expect(Object.keys(listing(img))).toEqual(['/old.txt']);
  });

  it('a pending move (MOVESTATE gstate naming this pair and id) hides the move\'s source', () => {
    const img = image(1, (w) => {
      file(w, 1, 'a.txt', 'A');
      file(w, 2, 'b.txt', 'B');
      // gstate delta: tag = DELETE of id 1 (type1 ≠ 0: a move is pending), pair {0, 1}.
      const g = u32s(((TYPE.DELETE << 20) | (1 << 10)) >>> 0, 0, 1);
      w.tag(TYPE.MOVESTATE, NO_ID, g).commit(true);
    });
    expect(listing(img)).toEqual({ '/b.txt': 'B' });
  });

  it('a USERATTR of length 0x3ff removes the attribute', () => {
    const img = image(1, (w) => {
      file(w, 1, 'a.txt', 'A').commit();
      w.tag(TYPE.USERATTR + ATTR_MTIME, 1, new Uint8Array(0), 0x3ff).commit();
    });
    expect(mountLittlefs(img).entries[0]!.mtime).toBeUndefined();
    expect(mountLittlefs(image(1, (w) => file(w, 1, 'a.txt', 'A').commit())).entries[0]!.mtime).toBe(1001);
  });
});
