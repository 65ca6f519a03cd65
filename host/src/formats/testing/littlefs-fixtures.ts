/** Test helpers for the LittleFS reference images (host/test/fixtures/littlefs/README.md). */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fixtureFolder, gcLarge, sharedFixtures } from './fixtures.js';

export const littlefsFixtures = resolve(sharedFixtures, 'littlefs');
/** Every 't' and 'c' attribute in the reference images. */
export const FIXTURE_TIME = 1704067200;

export type LittlefsFixture = 'basic-64k.bin' | 'basic-1408k.bin' | 'edge-64k.bin' | 'large-1408k.bin' | 'nested-256k.bin';
export const LITTLEFS_FIXTURES: readonly LittlefsFixture[] = ['basic-64k.bin', 'basic-1408k.bin', 'edge-64k.bin', 'large-1408k.bin', 'nested-256k.bin'];

export function readLittlefsFixture(name: LittlefsFixture): Uint8Array {
  return new Uint8Array(readFileSync(resolve(littlefsFixtures, name)));
}

/**
 * The order mklittlefs added each folder's files in (its readdir walk; fixtures README, "Add
 * order"): the image bytes depend on it.
 */
const ADD_ORDER = {
  basic: ['/style.css', '/empty.txt', '/index.html', '/sub/app.js', '/big.bin'],
  edge: [`/${'n'.repeat(30)}`, '/page-251.txt', '/d1/d2/deep.txt', '/empty', '/one-byte.txt'],
  large: ['/large.bin'],
  nested: [
    '/readme.txt', '/www/app.js', '/www/img/logo.svg', '/www/img/icons/home.svg', '/www/index.html',
    '/www/css/dark.css', '/www/css/main.css', '/www/css/fonts/b.txt', '/www/css/fonts/a.txt',
    '/data/2024/summary.txt', '/data/2024/01/log3.csv', '/data/2024/01/log2.csv', '/data/2024/01/log1.csv',
    '/data/notes.txt', '/cfg/sys/log.cfg', '/cfg/sys/boot.cfg', '/cfg/sys/keys/k1.pem', '/cfg/sys/keys/k2.pem',
    '/cfg/wifi.json', '/cfg/net.json',
  ],
} as const;

export const FIXTURE_ADD_ORDER: Readonly<Record<LittlefsFixture, readonly string[]>> = {
  'basic-64k.bin': ADD_ORDER.basic,
  'basic-1408k.bin': ADD_ORDER.basic,
  'edge-64k.bin': ADD_ORDER.edge,
  'large-1408k.bin': ADD_ORDER.large,
  'nested-256k.bin': ADD_ORDER.nested,
};

/** nested/ in the order of its table (file k holds k lines). */
export const NESTED_PATHS = [
  '/readme.txt', '/cfg/net.json', '/cfg/wifi.json', '/cfg/sys/boot.cfg', '/cfg/sys/log.cfg',
  '/cfg/sys/keys/k1.pem', '/cfg/sys/keys/k2.pem', '/www/index.html', '/www/app.js',
  '/www/css/main.css', '/www/css/dark.css', '/www/css/fonts/a.txt', '/www/css/fonts/b.txt',
  '/www/img/logo.svg', '/www/img/icons/home.svg', '/data/notes.txt', '/data/2024/summary.txt',
  '/data/2024/01/log1.csv', '/data/2024/01/log2.csv', '/data/2024/01/log3.csv',
] as const;

function nestedFolder(): Array<{ name: string; data: Uint8Array }> {
  return NESTED_PATHS.map((p, i) => {
    let text = '';
    for (let j = 1; j <= i + 1; j++) text += `${p} line ${j}\n`;
    return { name: p, data: new TextEncoder().encode(text) };
  });
}

/** The folder an image was packed from, sorted by name. */
export async function littlefsFolder(image: LittlefsFixture): Promise<Array<{ name: string; data: Uint8Array }>> {
  const files = image.startsWith('basic') ? await fixtureFolder('basic')
    : image.startsWith('edge') ? await fixtureFolder('edge')
      : image.startsWith('large') ? [{ name: '/large.bin', data: gcLarge() }]
        : nestedFolder();
  return files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Directories implied by a list of file paths. */
export function dirsOf(paths: readonly string[]): string[] {
  const dirs = new Set<string>();
  for (const p of paths) {
    const parts = p.split('/').slice(1, -1);
    for (let i = 1; i <= parts.length; i++) dirs.add(`/${parts.slice(0, i).join('/')}`);
  }
  return [...dirs];
}
