import { decodePartitionTable } from '../formats/partition-binary.js';
import { DEFAULT_TABLE_OFFSET, TABLE_LENGTH, type PartitionEntry } from '../formats/partition-types.js';
import type { ChipInfo, FlashEventListener, ImageResult } from './events.js';
import type { LinkFactory } from './link.js';
import { runOnPorts, type BoardOutcome } from './multi.js';
import { checkPartitionInFlash, checkReadRange, flashBytes } from './flash-range.js';
import { checkRegion, eraseAll, eraseRegion, readFlash } from './operations.js';
import { makePlan, padImage, type FlashImage, type Plan } from './plan.js';
import { deflateImage } from './write-region.js';
import type { PartitionSlot } from '../formats/flash-layout.js';
import { runSession } from './run-session.js';
import type { AfterMode, BeforeMode, FlasherSession } from './session.js';
import { writeImages, type WriteOptions } from './write-images.js';

/** How to reach the boards; shared by every job. */
export interface Connection {
  ports: readonly string[];
  baud: number;
  before: BeforeMode;
  after: AfterMode;
  link: LinkFactory;
  onEvent?: FlashEventListener;
  verbose?: boolean;
  connectAttempts?: number;
}

export interface BoardFlashResult {
  chip: ChipInfo;
  /** The rate the images went over (after any fallback). */
  baud: number;
  images: ImageResult[];
  /** Connect to reset, all included. */
  ms: number;
}

function onEachBoard<T>(c: Connection, job: (s: FlasherSession) => Promise<T>): Promise<BoardOutcome<T>[]> {
  return runOnPorts(c.ports, (port) => {
    const opts = { port, baud: c.baud, before: c.before, after: c.after, link: c.link, ...(c.onEvent ? { onEvent: c.onEvent } : {}), verbose: c.verbose ?? false, connectAttempts: c.connectAttempts ?? 7 };
    return runSession(opts, job);
  });
}

/**
 * Checks the images (throws before any port is opened), then flashes every board in
 * parallel. Each board's images are also checked against the flash size its chip reports.
 */
export async function flashBoards(c: Connection, images: readonly FlashImage[], table: readonly PartitionSlot[] | undefined, opts: WriteOptions): Promise<BoardOutcome<BoardFlashResult>[]> {
  const plan: Plan = makePlan({ images, ...(table ? { table } : {}) });
  // Compress every image once, for all boards, while the ports open and the stubs start.
  const deflated = new Map<number, Promise<Uint8Array>>();
  if (opts.compress && !opts.deflated) {
    for (const img of plan.images) {
      const p = deflateImage(padImage(img.data));
      p.catch(() => {});
      deflated.set(img.address, p);
    }
  }
  const writeOpts: WriteOptions = deflated.size > 0 ? { ...opts, deflated: (a) => deflated.get(a) } : opts;
  return onEachBoard(c, async (s) => {
    const t0 = performance.now();
    const size = flashBytes(s.chip);
    const checked = size ? makePlan({ images, ...(table ? { table } : {}), flashSize: size }) : plan;
    const results = await writeImages(s, checked, writeOpts);
    return { chip: s.chip, baud: s.baud, images: results, ms: performance.now() - t0 };
  });
}

export interface EraseRequest {
  /** Absent: the whole chip. */
  region?: { address: number; size: number };
}

export function eraseBoards(c: Connection, req: EraseRequest): Promise<BoardOutcome<{ chip: ChipInfo; region?: { address: number; size: number } }>[]> {
  return onEachBoard(c, async (s) => {
    if (req.region) {
      checkRegion(req.region.address, req.region.size, flashBytes(s.chip));
      await eraseRegion(s, req.region.address, req.region.size);
      return { chip: s.chip, region: req.region };
    }
    await eraseAll(s);
    return { chip: s.chip };
  });
}

export function infoBoards(c: Connection): Promise<BoardOutcome<ChipInfo>[]> {
  return onEachBoard(c, async (s) => s.chip);
}

/**
 * Reads `size` bytes at `address` from one board (size `undefined` = to the end of the flash),
 * checked against the flash size the chip reported before any read is sent.
 */
export async function readFromBoard(c: Connection, address: number, size: number | undefined): Promise<BoardOutcome<{ chip: ChipInfo; data: Uint8Array }>> {
  const [outcome] = await onEachBoard({ ...c, ports: c.ports.slice(0, 1) }, async (s) => {
    const flashSize = flashBytes(s.chip);
    // An unrecognised flash ID: no size to check against (the loader will refuse a read past its end).
    const total = flashSize !== undefined ? checkReadRange(address, size, flashSize) : size ?? (4 << 20) - address;
    return { chip: s.chip, data: await readFlash(s, address, total) };
  });
  return outcome!;
}

/**
 * Reads one partition of one board, chosen from the partition table the board itself holds
 * (read first, at 0x8000, in the same session): `pick` gets the decoded entries and returns the
 * partition to read, or throws a user error naming what is missing.
 */
export async function readPartitionFromBoard(c: Connection, pick: (table: readonly PartitionEntry[]) => PartitionEntry): Promise<BoardOutcome<{ chip: ChipInfo; partition: PartitionEntry; data: Uint8Array }>> {
  const [outcome] = await onEachBoard({ ...c, ports: c.ports.slice(0, 1) }, async (s) => {
    const table = decodePartitionTable(await readFlash(s, DEFAULT_TABLE_OFFSET, TABLE_LENGTH)).entries;
    const partition = pick(table);
    const flashSize = flashBytes(s.chip);
    if (flashSize !== undefined) checkPartitionInFlash(partition.label, partition.offset, partition.size, flashSize);
    return { chip: s.chip, partition, data: await readFlash(s, partition.offset, partition.size) };
  });
  return outcome!;
}
