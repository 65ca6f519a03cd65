/**
 * The metadata side of the write model (docs/littlefs.md §5): a disk image, littlefs' allocator
 * over it, and every metadata pair written so far. A commit is appended to its pair's current
 * block when the pair was fetched appendable and the tags fit; otherwise the pair is compacted
 * into its other block (revision + 1), first splitting off ids into new pairs while the live tags
 * exceed half a block, so a directory grows a HARDTAIL chain.
 *
 * Paths the model leaves to the simpler layout (`LittlefsModelGap`): moving a pair for wear
 * (block_cycles), growing the superblock chain, and global-state updates. mklittlefs only meets
 * them on folders of hundreds of files.
 */
import { liveSize, liveTags } from './littlefs-live-tags.js';
import { Lookahead, LittlefsNoSpace } from './littlefs-lookahead.js';
import {
  type MetaPair, type PairView, ctzChain, entriesOf, isNullPair, isSuperPair, pairBytes, pairOfBytes,
} from './littlefs-pairs.js';
import { CommitCursor, type MetaTag, eraseBlock, metaTag } from './littlefs-prog.js';
import { NO_ID, NULL_BLOCK, TYPE, le32, tagChunk, tagType1, tagType3 } from './littlefs-tags.js';

/** A step of littlefs this model does not reproduce; the caller falls back to another layout. */
export class LittlefsModelGap extends Error {}

/** The littlefs configuration the model writes with. */
export interface WriterConfig {
  blockSize: number;
  blockCount: number;
  prog: number;
  /** 8 × lookahead_size: how many blocks one allocator window covers. */
  window: number;
  blockCycles: number;
}

export class MetaStore {
  readonly disk: Uint8Array;
  alloc: Lookahead;
  /** Every pair by each of its blocks, so tails and directory structs can be followed. */
  private readonly pairs = new Map<number, MetaPair>();
  /** The blocks of the file being written, once it has left its inline state. */
  openBlocks: readonly number[] = [];

  constructor(readonly cfg: WriterConfig) {
    this.disk = new Uint8Array(cfg.blockCount * cfg.blockSize).fill(0xff);
    this.alloc = Lookahead.formatting(cfg.blockCount, cfg.window);
  }

  pairAt(blocks: readonly [number, number]): MetaPair {
    const p = this.pairs.get(blocks[0]);
    if (!p) throw new Error(`no metadata pair at block ${blocks[0]}`);
    return p;
  }

  /** The pair as a fresh fetch sees it: appendable unless its last commit reaches the block's end. */
  fetch(p: MetaPair): PairView {
    return { pair: p, erased: p.off < this.cfg.blockSize };
  }

  /** A block from the allocator, the tree walked as it stands on disk when the window refills. */
  takeBlock(): number {
    return this.alloc.take(() => this.inUse());
  }

  /**
   * A new, unwritten pair. Its first compaction goes to the block allocated first; its revision
   * starts from the first word of the other block, rounded up to a multiple of the block-cycles
   * modulus (erased bytes wrap to 0).
   */
  newPair(): MetaPair {
    const written = this.takeBlock();
    const other = this.takeBlock();
    const old = le32(this.disk, other * this.cfg.blockSize);
    const m = (this.cfg.blockCycles + 1) | 1;
    const up = (old + m - 1) >>> 0;
    const p: MetaPair = {
      blocks: [other, written], rev: this.cfg.blockCycles > 0 ? up - (up % m) : old, off: 4, etag: 0xffffffff,
      count: 0, tail: [NULL_BLOCK, NULL_BLOCK], split: false, log: [], crcs: [],
    };
    this.pairs.set(written, p);
    this.pairs.set(other, p);
    return p;
  }

  /** Commits `tags` to the pair `view` was fetched as (append, or compact and maybe split). */
  commit(view: PairView, tags: readonly MetaTag[]): void {
    const p = view.pair;
    for (const t of tags) {
      if (tagType3(t.tag) === TYPE.CREATE) p.count++;
      else if (tagType3(t.tag) === TYPE.DELETE) p.count--;
      else if (tagType1(t.tag) === TYPE.TAIL) {
        p.tail = pairOfBytes(t.data);
        p.split = (tagChunk(t.tag) & 1) === 1;
      } else if (tagType1(t.tag) === TYPE.GSTATE) throw new LittlefsModelGap('global state');
    }
    if (view.erased && this.append(p, tags)) return;
    this.compactSplitting(p, tags);
  }

  private append(p: MetaPair, tags: readonly MetaTag[]): boolean {
    const { blockSize, prog } = this.cfg;
    const c = new CommitCursor(this.disk, p.blocks[0] * blockSize, blockSize, prog, p.off, p.etag);
    for (const t of tags) {
      if (!c.fits(t.data.length)) {
        c.abort();
        return false;
      }
      c.put(t);
    }
    const end = c.finish();
    p.off = end.off;
    p.etag = end.ptag;
    p.log.push(...tags);
    p.crcs.push(...end.crcs);
    return true;
  }

  private compactSplitting(p: MetaPair, tags: readonly MetaTag[]): void {
    const { blockSize, prog } = this.cfg;
    const source = p.log;
    const cap = Math.min(blockSize - 40, Math.ceil(blockSize / 2 / prog) * prog);
    let end = p.count;
    for (;;) {
      let split = 0;
      while (end - split > 1) {
        if (end - split < 0xff && liveSize(liveTags(source, tags, split, end)) <= cap) break;
        split += Math.floor((end - split) / 2);
      }
      if (split === 0 || !this.splitOff(p, source, tags, split, end)) break;
      end = split;
    }
    if (this.tired(p) && isSuperPair(p) && this.blocksUsed() < Math.floor(this.cfg.blockCount / 2)) {
      throw new LittlefsModelGap('superblock expansion');
    }
    this.compact(p, source, tags, 0, end);
  }

  /** Moves ids [split, end) into a new pair after `p`; false when no blocks are left for it. */
  private splitOff(p: MetaPair, source: readonly MetaTag[], tags: readonly MetaTag[], split: number, end: number): boolean {
    let t: MetaPair;
    try {
      t = this.newPair();
    } catch (e) {
      if (e instanceof LittlefsNoSpace) return false;
      throw e;
    }
    t.split = p.split;
    t.tail = [p.tail[0], p.tail[1]];
    this.compact(t, source, tags, split, end);
    p.tail = [t.blocks[0], t.blocks[1]];
    p.split = true;
    return true;
  }

  private tired(p: MetaPair): boolean {
    return this.cfg.blockCycles > 0 && ((p.rev + 1) >>> 0) % ((this.cfg.blockCycles + 1) | 1) === 0;
  }

  /** Rewrites ids [begin, end) of `source` + `tags` into the pair's other block, then swaps. */
  private compact(p: MetaPair, source: readonly MetaTag[], tags: readonly MetaTag[], begin: number, end: number): void {
    const { blockSize, prog } = this.cfg;
    const tired = this.tired(p);
    p.rev = (p.rev + 1) >>> 0;
    if (tired && !isSuperPair(p)) throw new LittlefsModelGap('wear relocation of a metadata pair');
    const target = p.blocks[1];
    eraseBlock(this.disk, target, blockSize);
    const c = new CommitCursor(this.disk, target * blockSize, blockSize, prog, 0, 0xffffffff);
    const rev = new Uint8Array(4);
    new DataView(rev.buffer).setUint32(0, p.rev, true);
    c.bytes(rev);
    const keep = liveTags(source, tags, begin, end);
    if (!isNullPair(p.tail)) keep.push(metaTag(TYPE.SOFTTAIL + (p.split ? 1 : 0), NO_ID, pairBytes(p.tail)));
    for (const t of keep) {
      if (!c.fits(t.data.length)) throw new LittlefsModelGap('a compacted pair that does not fit its block');
      c.put(t);
    }
    const fin = c.finish();
    p.blocks = [target, p.blocks[0]];
    p.count = end - begin;
    p.off = fin.off;
    p.etag = fin.ptag;
    p.log = keep;
    p.crcs = fin.crcs;
  }

  /** The pairs on the tail list from the superblock pair. */
  *chain(): Generator<MetaPair> {
    let p: MetaPair | undefined = this.pairs.get(0);
    const seen = new Set<MetaPair>();
    while (p && !seen.has(p)) {
      seen.add(p);
      yield p;
      p = isNullPair(p.tail) ? undefined : this.pairAt(p.tail);
    }
  }

  /** Every block in use as littlefs' allocator walk finds it (open file included). */
  *inUse(): Generator<number> {
    for (const p of this.chain()) {
      yield* p.blocks;
      for (const e of entriesOf(p)) {
        if (!e.struct) continue;
        const type = tagType3(e.struct.tag);
        if (type === TYPE.DIRSTRUCT) yield* pairOfBytes(e.struct.data);
        else if (type === TYPE.CTZSTRUCT) yield* this.ctzOf(e.struct.data);
      }
    }
    yield* this.openBlocks;
  }

  private ctzOf(struct: Uint8Array): number[] {
    return ctzChain(this.disk, this.cfg.blockSize, le32(struct, 0), le32(struct, 4));
  }

  /** Blocks in use as littlefs counts them for its size (directory pairs once, open file too). */
  private blocksUsed(): number {
    let n = this.openBlocks.length;
    for (const p of this.chain()) {
      n += 2;
      for (const e of entriesOf(p)) if (e.struct && tagType3(e.struct.tag) === TYPE.CTZSTRUCT) n += this.ctzOf(e.struct.data).length;
    }
    return n;
  }
}
