/**
 * The host C++ compiler: which one, whether it runs, and its identity for the cache key.
 *
 * The identity is `<compiler> --version`. So that an unchanged sketch starts without running
 * any compiler, the version text is remembered in the cache folder, keyed by the compiler's
 * words and the size, mtime and inode of each word's program on PATH (an upgraded compiler
 * is a new file, so it is asked again).
 */
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { access, readFile, stat } from 'node:fs/promises';
import { delimiter, isAbsolute, join } from 'node:path';
import { writeFileAtomic } from '../../settings/atomic-write.js';
import { runProcess, SpawnError } from './run-process.js';
import { shellSplit } from './shell-split.js';

/** Tried in order by `findCompiler` when neither an explicit compiler nor `$CXX` is given. */
export const COMPILER_CANDIDATES: readonly string[] = ['g++', 'c++', 'clang++'];

/** In the cache folder: the `--version` text of each compiler seen. */
export const COMPILERS_FILE = 'compilers.json';

/** `--version` should answer quickly; a compiler that hangs counts as not running. */
const VERSION_TIMEOUT_MS = 20_000;

/** The compiler command as words: `$CXX` may be `ccache g++` or `clang++ -m32`. */
export function compilerWords(spec: string): string[] {
  const words = shellSplit(spec.trim());
  return words !== undefined && words.length > 0 ? words : [spec];
}

/** The compiler `buildSketch` uses: `compiler`, else `$CXX`, else `g++`. */
export function defaultCompiler(compiler: string | undefined, environment: NodeJS.ProcessEnv): string {
  return compiler ?? (environment.CXX?.trim() || 'g++');
}

/** The file `program` runs, looked up on PATH like a shell does; undefined when none. */
export async function resolveProgram(program: string, path = process.env.PATH ?? ''): Promise<string | undefined> {
  const candidates = program.includes('/') ? [program] : path.split(delimiter).filter((d) => d !== '').map((d) => join(d, program));
  for (const c of candidates) {
    try {
      await access(c, constants.X_OK);
      if ((await stat(c)).isFile()) return isAbsolute(c) ? c : join(process.cwd(), c);
    } catch {
      // not this one
    }
  }
  return undefined;
}

async function programIdentity(words: readonly string[]): Promise<string> {
  const parts: string[] = [];
  for (const w of words) {
    const file = w.startsWith('-') ? undefined : await resolveProgram(w);
    const s = file === undefined ? undefined : await stat(file).catch(() => undefined);
    parts.push(s ? `${w}=${file}:${s.size}:${s.mtimeMs}:${s.ino}` : w);
  }
  return createHash('sha256').update(parts.join('\0')).digest('hex');
}

export interface CompilerVersion {
  /** `--version` output. */
  text: string;
  /** Whether the compiler was run for it (false: remembered). */
  ran: boolean;
}

/**
 * `<words> --version`, remembered in `cacheFile` when given. Throws `SpawnError` when the
 * program does not start; resolves undefined when it starts but fails.
 */
export async function compilerVersion(words: readonly string[], cacheFile?: string): Promise<CompilerVersion | undefined> {
  const id = await programIdentity(words);
  let known: Record<string, string> = {};
  if (cacheFile !== undefined) {
    try {
      known = JSON.parse(await readFile(cacheFile, 'utf8')) as Record<string, string>;
    } catch {
      known = {};
    }
    const text = known[id];
    if (typeof text === 'string') return { text, ran: false };
  }
  const r = await runProcess([...words, '--version'], { timeoutMs: VERSION_TIMEOUT_MS });
  if (r.code !== 0) return undefined;
  if (cacheFile !== undefined) await writeFileAtomic(cacheFile, JSON.stringify({ ...known, [id]: r.stdout }, null, 1));
  return { text: r.stdout, ran: true };
}

export interface FindCompilerOptions {
  /** A compiler to check; when given, no other is tried. */
  compiler?: string;
  /** For `$CXX` (default process.env). */
  environment?: NodeJS.ProcessEnv;
  /** The build's cache folder: a compiler already seen there is not run again (see `compilerVersion`). */
  cacheDir?: string;
}

/**
 * The C++ compiler to build sketches with, when one runs: `compiler`, else `$CXX` (no other
 * is tried when either is given: a broken choice of the user's is not silently replaced),
 * else the first of g++, c++, clang++ that answers `--version`. Undefined when none runs;
 * the emulator then falls back to its TypeScript model of the shipped sketch.
 */
export async function findCompiler(o: FindCompilerOptions = {}): Promise<string | undefined> {
  const env = o.environment ?? process.env;
  const explicit = o.compiler ?? (env.CXX?.trim() || undefined);
  for (const spec of explicit !== undefined ? [explicit] : COMPILER_CANDIDATES) {
    try {
      if (await compilerVersion(compilerWords(spec), o.cacheDir === undefined ? undefined : join(o.cacheDir, COMPILERS_FILE))) return spec;
    } catch (e) {
      if (!(e instanceof SpawnError)) throw e;
    }
  }
  return undefined;
}
