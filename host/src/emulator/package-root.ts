import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The esp-sse package root, found from this module's own location (works from `dist/` and
 * from the TypeScript sources), never from the current directory.
 */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) {
      try {
        if ((JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string }).name === 'esp-sse') return dir;
      } catch {
        // not ours; keep walking
      }
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('esp-sse package.json not found above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

/** `firmware/data` in the package: what `--data` defaults to. */
export function defaultDataDir(): string {
  return join(packageRoot(), 'firmware', 'data');
}
