/**
 * Which tags a compaction keeps, and in what order (docs/littlefs.md §5, "Compaction"): the
 * block's log followed by the commit being made is read front to back; a NAME, STRUCT or
 * USERATTR tag survives unless a later tag replaces it (a user attribute by one of the same type
 * and id, a name or struct by any name or struct of that id) or deletes its id. CREATE and DELETE
 * tags after it shift its id; splices, CRCs, tails and global state are never copied. So each
 * surviving tag comes out where it was last written, with the id it has at the end.
 * Only ids in [begin, end) are kept, renumbered from 0.
 */
import type { MetaTag } from './littlefs-prog.js';
import { TYPE, mkTag, tagDsize, tagId, tagIsDelete, tagSplice, tagType1 } from './littlefs-tags.js';

const TYPE_AND_ID = mkTag(0x7ff, 0x3ff, 0);
const CLASS_AND_ID = mkTag(0x700, 0x3ff, 0);
/** The type bit every splice, CRC, tail and gstate tag has and no entry tag has. */
const NOT_ENTRY = mkTag(0x400, 0, 0);
/** The bit that makes a type unique per id (user attributes), not per class. */
const UNIQUE = mkTag(0x100, 0, 0);
const ID_ONE = mkTag(0, 1, 0);

/** `t` with the id it has after `later`, or null when one of them replaces or deletes it. */
function survive(t: number, later: readonly MetaTag[], from: number): number | null {
  let cur = t;
  for (let k = from; k < later.length; k++) {
    const l = later[k]!.tag;
    const mask = l & UNIQUE ? TYPE_AND_ID : CLASS_AND_ID;
    const deletes = ((l & TYPE_AND_ID) >>> 0) === ((mkTag(TYPE.DELETE, 0, 0) | (cur & mkTag(0, 0x3ff, 0))) >>> 0);
    if (((mask & l) >>> 0) === ((mask & cur) >>> 0) || tagIsDelete(cur) || deletes) return null;
    if (tagType1(l) === TYPE.SPLICE && tagId(l) <= tagId(cur)) cur = (cur + tagSplice(l) * ID_ONE) >>> 0;
  }
  return cur;
}

/** The tags a compaction of ids [begin, end) writes, in order, ids already renumbered. */
export function liveTags(log: readonly MetaTag[], commit: readonly MetaTag[], begin: number, end: number): MetaTag[] {
  const all = [...log, ...commit];
  const out: MetaTag[] = [];
  all.forEach((t, k) => {
    if (t.tag & NOT_ENTRY) return;
    const now = survive(t.tag, all, k + 1);
    if (now === null) return;
    const id = tagId(now);
    if (id < begin || id >= end) return;
    out.push({ tag: (now - begin * ID_ONE) >>> 0, data: t.data });
  });
  return out;
}

/** Bytes those tags take in a block. */
export function liveSize(tags: readonly MetaTag[]): number {
  return tags.reduce((n, t) => n + tagDsize(t.tag), 0);
}
