/** Test helpers: where the shared reference fixtures live and how to read their folders. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SpiffsInput } from '../spiffs-builder.js';
import { readDataFolder } from '../../settings/data-folder.js';
import { UserError } from '../../errors.js';

export const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
/**
 * Reference data made by the real tools, committed with its README (how each file was made):
 * `host/test/fixtures/` in the repository, so a fresh clone tests the same bytes.
 */
export const sharedFixtures = resolve(repoRoot, 'host/test/fixtures');
export const spiffsFixtures = resolve(sharedFixtures, 'spiffs');

export function readFixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(resolve(spiffsFixtures, name)));
}

/** gc-1408k.bin's large.bin, not stored: byte i = (31i + 7) & 0xff, 700,000 bytes. */
export function gcLarge(): Uint8Array {
  const b = new Uint8Array(700_000);
  for (let i = 0; i < b.length; i++) b[i] = (31 * i + 7) & 0xff;
  return b;
}

/** The folder an image was made from, as sorted SPIFFS inputs. */
export async function fixtureFolder(name: 'basic' | 'edge' | 'gc'): Promise<SpiffsInput[]> {
  const files = await readDataFolder(resolve(spiffsFixtures, name));
  if (name === 'gc') files.push({ name: '/large.bin', data: gcLarge() });
  return files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Deterministic PRNG (mulberry32) for fuzz loops and generated content. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function bytes(n: number, seed = 1): Uint8Array {
  const r = prng(seed);
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = Math.floor(r() * 256);
  return b;
}

/** The code of the `UserError` that `f` throws, or 'no error'; any other exception is rethrown. */
export function userErrorCode(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof UserError) return e.code;
    throw e;
  }
  return 'no error';
}
