/**
 * The `pio` layout's image: mklittlefs' own sequence of littlefs operations
 * (`littlefs-mklittlefs.ts`, docs/littlefs.md §5) over the files in the order mklittlefs would
 * add them. mklittlefs takes that order from the host's readdir, which differs between machines;
 * our default is the paths sorted bytewise (UTF-8), so a folder always gives the same image, and
 * `order` reproduces a given mklittlefs run byte for byte.
 */
import type { LittlefsInput } from './littlefs-builder.js';
import { LittlefsNoSpace } from './littlefs-lookahead.js';
import { LittlefsModelGap } from './littlefs-meta-store.js';
import { mklittlefsImage } from './littlefs-mklittlefs.js';
import { compareBytes } from './littlefs-pairs.js';

const encoder = new TextEncoder();

/** The files in add order: `order` (every path once), or bytewise by path. */
export function pioAddOrder(files: readonly LittlefsInput[], order?: readonly string[]): LittlefsInput[] {
  if (!order) {
    const keyed = files.map((f) => ({ f, key: encoder.encode(f.name) }));
    return keyed.sort((a, b) => compareBytes(a.key, b.key)).map((k) => k.f);
  }
  const byName = new Map(files.map((f) => [f.name, f]));
  const out = order.map((name) => byName.get(name));
  if (order.length !== files.length || new Set(order).size !== order.length || out.some((f) => !f)) {
    throw new TypeError('the LittleFS add order must list every file path exactly once');
  }
  return out as LittlefsInput[];
}

export type PioResult = { ok: true; image: Uint8Array } | { ok: false; why: 'full' | 'not-modelled'; detail: string };

/** The image mklittlefs makes of `files` (in add order), or why this model could not make it. */
export function buildPioImage(files: readonly LittlefsInput[], blockSize: number, blockCount: number, time: number): PioResult {
  const added = files.map((f) => ({ parts: f.name.split('/').slice(1).map((p) => encoder.encode(p)), data: f.data, mtime: f.mtime ?? time }));
  try {
    return { ok: true, image: mklittlefsImage(added, blockSize, blockCount, time) };
  } catch (e) {
    if (e instanceof LittlefsNoSpace) return { ok: false, why: 'full', detail: e.message };
    if (e instanceof LittlefsModelGap) return { ok: false, why: 'not-modelled', detail: e.message };
    throw e;
  }
}
