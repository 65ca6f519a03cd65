#!/usr/bin/env node
/**
 * Stores every `esp-sse … --help` text and the version in dist/cli/help.json, rendered from the
 * compiled command tree (dist/cli/help-render.js), for stored-help.ts to print without loading
 * it. Run after `tsc -b` by `npm run build` and `npm start`; does nothing when the texts are
 * newer than the last build (dist/.tsbuildinfo), so an unchanged tree costs one stat.
 */
import { renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist');
const store = join(dist, 'cli', 'help.json');

const mtime = (path) => statSync(path, { throwIfNoEntry: false })?.mtimeMs;
const built = mtime(join(dist, '.tsbuildinfo'));
const stored = mtime(store);
if (stored === undefined || built === undefined || built >= stored) {
  const { renderStoredHelp } = await import(pathToFileURL(join(dist, 'cli', 'help-render.js')).href);
  const texts = await renderStoredHelp();
  writeFileSync(`${store}.tmp`, `${JSON.stringify(texts, null, 1)}\n`);
  renameSync(`${store}.tmp`, store);
}
