/**
 * The `pio` image, made the way mklittlefs makes it (docs/littlefs.md §5): format (a superblock
 * commit, then a forced compaction), mount (the allocator starts where the mount's seed says),
 * then for each file in its add order: for the root and each folder above the file, create the
 * folder if needed and set its `'t'` and `'c'` attributes to the file's time; create the file;
 * write its data (inline up to 64 bytes, else a CTZ list); close it (one commit of its struct,
 * none for an empty file); set its `'t'` and `'c'`. Last, the root's `'t'` and `'c'` as 8-byte
 * values of the tool's clock. Every step is the commit littlefs would make, in the same order.
 */
import { writeCtzFile } from './littlefs-ctz-writer.js';
import { Lookahead, mountSeed } from './littlefs-lookahead.js';
import { LittlefsModelGap, MetaStore, type WriterConfig } from './littlefs-meta-store.js';
import { type MetaPair, type PairView, compareNames, entriesOf, pairBytes, pairOfBytes } from './littlefs-pairs.js';
import { eraseBlock, metaTag } from './littlefs-prog.js';
import {
  ATTR_CTIME, ATTR_MTIME, NO_ID, TYPE, VERSION_2_0, putLe32, superblockData, tagType3, timeAttr,
} from './littlefs-tags.js';

/** One file to add: its path split into names, its data and its time (seconds). */
export interface AddedFile {
  parts: readonly Uint8Array[];
  data: Uint8Array;
  mtime: number;
}

/** mklittlefs' littlefs configuration (docs/littlefs.md §2). */
const PROG = 64;
const INLINE_MAX = 64;
const LOOKAHEAD_BYTES = 64;
const BLOCK_CYCLES = 16;
const NAME_MAX = 32;

/** An entry littlefs' path walk found (its pair and id), or where the name would be inserted. */
interface Found {
  found: boolean;
  view: PairView;
  id: number;
}

class Mklittlefs {
  private readonly store: MetaStore;
  private root!: MetaPair;

  constructor(cfg: WriterConfig) {
    this.store = new MetaStore(cfg);
  }

  get disk(): Uint8Array {
    return this.store.disk;
  }

  format(): void {
    const { blockSize, blockCount } = this.store.cfg;
    this.store.alloc.ack();
    this.root = this.store.newPair();
    const { magic, struct } = superblockData(VERSION_2_0, blockSize, blockCount, NAME_MAX);
    this.store.commit({ pair: this.root, erased: false }, [
      metaTag(TYPE.CREATE, 0), metaTag(TYPE.SUPERBLOCK, 0, magic), metaTag(TYPE.INLINESTRUCT, 0, struct),
    ]);
    // The format commits a second time with the pair taken as not appendable: a second compaction.
    this.store.commit({ pair: this.root, erased: false }, []);
  }

  mount(): void {
    const { blockCount, window } = this.store.cfg;
    this.store.alloc = Lookahead.mounted(blockCount, mountSeed(this.root.crcs), window);
  }

  /** Finds `parts` as littlefs' path walk does: the entry, or where it would be inserted. */
  private locate(parts: readonly Uint8Array[]): Found {
    if (parts.length === 0) return { found: true, view: this.store.fetch(this.root), id: 0 };
    let p = this.root;
    for (let depth = 0; ; ) {
      const want = parts[depth]!;
      const entries = entriesOf(p);
      let after = -1;
      let hit = -1;
      entries.forEach((e, id) => {
        if (e.type !== TYPE.REG && e.type !== TYPE.DIR) return;
        const c = compareNames(e.name, want);
        if (c === 0) hit = id;
        else if (c > 0 && after < 0) after = id;
      });
      if (hit >= 0) {
        const struct = entries[hit]!.struct;
        if (depth === parts.length - 1) return { found: true, view: this.store.fetch(p), id: hit };
        if (!struct || tagType3(struct.tag) !== TYPE.DIRSTRUCT) throw new Error('a path goes through a file');
        p = this.store.pairAt(pairOfBytes(struct.data));
        depth++;
        continue;
      }
      // Not in this pair: a later name here means nowhere; else the directory may go on.
      if (after < 0 && p.split) {
        p = this.store.pairAt(p.tail);
        continue;
      }
      if (depth < parts.length - 1) throw new Error('a folder of the path is missing');
      return { found: false, view: this.store.fetch(p), id: after >= 0 ? after : p.count };
    }
  }

  mkdir(parts: readonly Uint8Array[]): void {
    const at = this.locate(parts);
    if (at.found) return;
    this.store.alloc.ack();
    const dir = this.store.newPair();
    let pred = at.view.pair;
    while (pred.split) pred = this.store.pairAt(pred.tail);
    this.store.commit({ pair: dir, erased: false }, [metaTag(TYPE.SOFTTAIL, NO_ID, pairBytes(pred.tail))]);
    if (at.view.pair.split) throw new LittlefsModelGap('a folder created in a split directory');
    const blocks = pairBytes(dir.blocks);
    this.store.commit(at.view, [
      metaTag(TYPE.CREATE, at.id), metaTag(TYPE.DIR, at.id, parts[parts.length - 1]!),
      metaTag(TYPE.DIRSTRUCT, at.id, blocks), metaTag(TYPE.SOFTTAIL, NO_ID, blocks),
    ]);
  }

  setattr(parts: readonly Uint8Array[], type: number, value: Uint8Array): void {
    const at = this.locate(parts);
    if (!at.found) throw new Error('setattr on a missing path');
    this.store.commit(at.view, [metaTag(TYPE.USERATTR + type, at.id, value)]);
  }

  /** Creates, writes and closes one file, as opening it for writing, writing and closing do. */
  addFile(parts: readonly Uint8Array[], data: Uint8Array): void {
    const at = this.locate(parts);
    if (at.found) throw new Error('the file exists already');
    let view = at.view;
    let id = at.id;
    this.store.commit(view, [metaTag(TYPE.CREATE, id), metaTag(TYPE.REG, id, parts[parts.length - 1]!), metaTag(TYPE.INLINESTRUCT, id)]);
    // The open file follows its entry if the commit split the pair (littlefs' open-file fix-up).
    while (id >= view.pair.count && view.pair.split) {
      id -= view.pair.count;
      view = this.store.fetch(this.store.pairAt(view.pair.tail));
    }
    if (data.length === 0) return;
    if (data.length <= INLINE_MAX) {
      this.store.commit(view, [metaTag(TYPE.INLINESTRUCT, id, data)]);
      return;
    }
    const { blockSize } = this.store.cfg;
    const store = this.store;
    const blocks = writeCtzFile({
      disk: store.disk, blockSize, prog: PROG,
      newBlock(open) {
        store.openBlocks = open;
        store.alloc.ack();
        const b = store.takeBlock();
        eraseBlock(store.disk, b, blockSize);
        return b;
      },
    }, data);
    const ctz = new Uint8Array(8);
    putLe32(ctz, 0, blocks[blocks.length - 1]!);
    putLe32(ctz, 4, data.length);
    // Until the close commit is made, the file's blocks are in use only as an open file's.
    store.openBlocks = blocks;
    this.store.commit(view, [metaTag(TYPE.CTZSTRUCT, id, ctz)]);
    store.openBlocks = [];
  }
}

/**
 * The image mklittlefs writes for `files` added in this order, with `time` as its clock.
 * Throws `LittlefsModelGap` for steps the model does not cover, `LittlefsNoSpace` when full.
 */
export function mklittlefsImage(files: readonly AddedFile[], blockSize: number, blockCount: number, time: number): Uint8Array {
  const fs = new Mklittlefs({ blockSize, blockCount, prog: PROG, window: 8 * LOOKAHEAD_BYTES, blockCycles: BLOCK_CYCLES });
  fs.format();
  fs.mount();
  for (const f of files) {
    const stamp = timeAttr(f.mtime, 4);
    for (let depth = 0; depth < f.parts.length; depth++) {
      const folder = f.parts.slice(0, depth);
      if (depth > 0) fs.mkdir(folder);
      fs.setattr(folder, ATTR_MTIME, stamp);
      fs.setattr(folder, ATTR_CTIME, stamp);
    }
    fs.addFile(f.parts, f.data);
    fs.setattr(f.parts, ATTR_MTIME, stamp);
    fs.setattr(f.parts, ATTR_CTIME, stamp);
  }
  fs.setattr([], ATTR_MTIME, timeAttr(time, 8));
  fs.setattr([], ATTR_CTIME, timeAttr(time, 8));
  return fs.disk;
}
