/**
 * Which app the virtual board runs: the user's sketch compiled for the host (the default), or
 * the TypeScript model of the shipped sketch (`--app model`, or when no C++ compiler exists).
 */
import { join } from 'node:path';
import { UserError, type WarnFn } from '../errors.js';
import type { AppRunner } from './board.js';
import { runNativeSketch } from './app/native-sketch.js';
import type { BoardMdns } from './mdns/board-mdns.js';
import { buildSketch, findCompiler } from './native/build.js';

export const appKinds = ['sketch', 'model'] as const;
export type AppKind = (typeof appKinds)[number];

export interface SketchAppOptions {
  /** `sketch` (default), or `model`. */
  readonly app?: AppKind;
  /** The explicit choice was made by the user (so a missing compiler is an error, not a fallback). */
  readonly explicit?: boolean;
  /** PlatformIO project whose `src_dir` is the sketch. */
  readonly projectDir: string;
  readonly env?: string;
  /** `--mac` of the emulator (`aa:bb:cc:dd:ee:ff`). */
  readonly mac: string;
  /** The board's mDNS, when it advertises. */
  readonly mdns?: BoardMdns;
  readonly warn: WarnFn;
  /** Progress lines of the build (`compiling …`). */
  readonly onStatus?: (line: string) => void;
  readonly environment?: NodeJS.ProcessEnv;
}

/** Builds the sketch (or takes it from the cache) and returns the board's app runner; undefined = the model. */
export async function prepareSketchApp(o: SketchAppOptions): Promise<AppRunner | undefined> {
  if (o.app === 'model') return undefined;
  const compiler = await findCompiler({ environment: o.environment ?? process.env, cacheDir: join(o.projectDir, '.pio', 'esp-sse-emulator') });
  if (!compiler) {
    if (o.explicit) {
      throw new UserError('emulate.no-compiler', 'no C++ compiler found to build the sketch (g++, c++ or clang++, or $CXX)',
        'install one (Debian: apt-get install g++), or run the TypeScript model of the shipped sketch with --app model');
    }
    o.warn('emulate.no-compiler', 'no C++ compiler found (g++, c++ or clang++, or $CXX): running the TypeScript model of the shipped sketch, so edits to the sketch are not seen',
      'install g++ (Debian: apt-get install g++) to run your own sketch; --app model silences this');
    return undefined;
  }
  const built = await buildSketch({
    projectDir: o.projectDir,
    ...(o.env !== undefined ? { env: o.env } : {}),
    environment: o.environment ?? process.env,
    compiler,
    ...(o.onStatus ? { onStatus: o.onStatus } : {}),
  });
  const mdns = o.mdns;
  return (options) =>
    runNativeSketch({
      ...options,
      executable: built.executable,
      mac: o.mac,
      ...(mdns ? { startMdns: (s) => mdns.start(s) } : {}),
    });
}
