import type { ImageResult } from './events.js';
import { padImage, type Plan, type PlannedImage } from './plan.js';
import type { FlasherSession } from './session.js';
import { md5MismatchError, operationError } from './translate-error.js';
import { UserError } from '../errors.js';
import { exitCodes } from './exit-codes.js';
import { writeRegion } from './write-region.js';

export interface WriteOptions {
  /** Deflate images on the wire (esptool's default `-z`). */
  compress: boolean;
  /** Write images even when the flash already holds them (MD5 equal). */
  force: boolean;
  /** Erase the whole chip first (stub only). */
  eraseAll: boolean;
  /** The zlib stream of the (padded) image at an address, when prepared ahead (see `flashBoards`). */
  deflated?: (address: number) => Promise<Uint8Array> | undefined;
}

const hex = (n: number) => `0x${n.toString(16)}`;

/** Human summary of how far a write got, for the connection-lost message. */
export function describeProgress(images: readonly PlannedImage[], done: readonly ImageResult[], current?: { index: number; sent: number; total: number }): string {
  const parts: string[] = [];
  if (done.length) parts.push(`done and verified: ${done.map((d) => `${d.name} @${hex(d.address)}`).join(', ')}`);
  if (current) {
    const img = images[current.index];
    if (img) parts.push(`interrupted: ${img.name} @${hex(img.address)} (${current.sent} of ${current.total} wire bytes sent; this region is incomplete)`);
  }
  const start = current ? current.index + 1 : done.length;
  const rest = images.slice(start);
  if (rest.length) parts.push(`not written: ${rest.map((i) => `${i.name} @${hex(i.address)}`).join(', ')}`);
  return parts.join('; ') || 'nothing was written';
}

/**
 * Writes a plan image by image: skip when the flash MD5 already matches (unless forced),
 * otherwise deflate + write block by block through esptool-js's loader commands and verify the
 * MD5. Flash mode/frequency/size are kept as built (never patched): esptool-js's header patch
 * leaves the bootloader's SHA-256 stale (docs/serial-protocol.md §3.8, step 4).
 */
export async function writeImages(s: FlasherSession, plan: Plan, opts: WriteOptions): Promise<ImageResult[]> {
  const done: ImageResult[] = [];
  let current: { index: number; sent: number; total: number } | undefined;
  try {
    if (opts.eraseAll) {
      if (!s.loader.IS_STUB) throw new UserError('flash.erase-needs-stub', 'erasing the whole chip needs the flasher stub, which is not running', 'flash without --erase-all', exitCodes.usage);
      s.emitEvent({ type: 'erase', port: s.port });
      await s.guard(s.loader.eraseFlash());
    }
    for (const [index, img] of plan.images.entries()) {
      const padded = padImage(img.data);
      if (!opts.force && !opts.eraseAll) {
        const have = await s.md5(img.address, padded.length);
        if (have === img.md5) {
          const r: ImageResult = { name: img.name, address: img.address, size: img.data.length, wireBytes: 0, compressed: false, status: 'skipped', ms: 0, md5: img.md5 };
          done.push(r);
          s.emitEvent({ type: 'image-done', port: s.port, result: r });
          continue;
        }
      }
      s.emitEvent({ type: 'image-start', port: s.port, index, name: img.name, address: img.address, size: img.data.length });
      current = { index, sent: 0, total: 0 };
      const cur = current;
      const t0 = performance.now();
      const deflated = opts.compress ? await opts.deflated?.(img.address) : undefined;
      await writeRegion(s.loader, img.address, padded, opts.compress, (p) => s.guard(p), (written, total) => {
        cur.sent = written;
        cur.total = total;
        s.emitEvent({ type: 'image-progress', port: s.port, index, written, total });
      }, deflated);
      const ms = performance.now() - t0;
      const have = await s.md5(img.address, padded.length);
      if (have !== img.md5) throw md5MismatchError(s.port, img.name, img.address, img.md5, have);
      const r: ImageResult = { name: img.name, address: img.address, size: img.data.length, wireBytes: cur.total, compressed: opts.compress, status: 'written', ms, md5: img.md5 };
      done.push(r);
      current = undefined;
      s.emitEvent({ type: 'image-done', port: s.port, result: r });
    }
  } catch (e) {
    throw operationError(s.port, e, describeProgress(plan.images, done, current));
  }
  return done;
}
