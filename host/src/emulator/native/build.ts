/**
 * Builds the user's sketch (a PlatformIO project's src_dir) with the host's C++ compiler
 * against the emulator's runtime (`firmware/runtime`), into an executable the board runs as
 * its app process (docs/sketch-link.md, docs/architecture.md §1).
 *
 * Cache, under `cacheDir` (default `<project>/.pio/esp-sse-emulator`):
 *
 *   compilers.json          `--version` of each compiler seen, by program file identity
 *   runtime-<hash>/…/X.o    the runtime's objects; hash = compiler + runtime files + runtime flags
 *                           (these live in the per-user cache, `userCacheDir`, shared by projects)
 *   sketch-<key>/obj/…/X.o  the sketch's objects
 *   sketch-<key>/firmware   the executable; key = runtime hash + sketch files + sketch/link flags
 *   last-build.log          the whole compiler output of the last failed build
 *
 * An existing `sketch-<key>/firmware` is returned without running any compiler. The three most
 * recently used sketch-<key> folders (and runtime-<hash> folders) are kept.
 */
import { createHash } from 'node:crypto';
import { rename, rm } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { UserError } from '../../errors.js';
import { writeFileAtomic } from '../../settings/atomic-write.js';
import { packageRoot } from '../package-root.js';
import { prune, removeStaleTemps, tempPath, touch, userCacheDir } from './cache-dir.js';
import { exists, runJobs, type CompileJob, type JobResult } from './compile-jobs.js';
import { COMPILERS_FILE, compilerVersion, compilerWords, defaultCompiler } from './compiler.js';
import { findMissingIncludes, runtimeBuildError, sketchBuildError, unsupportedHeaderError } from './diagnostics.js';
import { composeFlags, type ComposedFlags } from './flags.js';
import { projectRelative, readRuntimeInputs, readSketchInputs, type RuntimeInputs, type SketchInputs } from './inputs.js';
import { runProcess, SpawnError } from './run-process.js';
import { readSketchProject, CREDENTIAL_STAND_INS, type SketchProject } from './sketch-project.js';
import { C_EXTENSIONS, cachePath, hasExtension, hashFiles, listFiles } from './source-tree.js';

export { findCompiler, type FindCompilerOptions } from './compiler.js';

export interface SketchBuildOptions {
  /** A PlatformIO project (platformio.ini at its root). */
  projectDir: string;
  /** Default: `default_envs`, else the first `[env:…]`. */
  env?: string;
  /** Default `<package root>/firmware/runtime`. */
  runtimeDir?: string;
  /** Default `<projectDir>/.pio/esp-sse-emulator`. */
  cacheDir?: string;
  /**
   * Where the runtime's objects are kept, shared by every project built with the same compiler,
   * runtime and flags: default `$ESP_SSE_CACHE_DIR`, else `$XDG_CACHE_HOME/esp-sse`, else
   * `~/.cache/esp-sse` (`cacheDir` when that is given and this is not).
   */
  runtimeCacheDir?: string;
  /** For `${sysenv.X}`, `PLATFORMIO_*`, `$CXX` and WIFI_SSID/WIFI_PASSWORD (default process.env). */
  environment?: NodeJS.ProcessEnv;
  /** Default `$CXX`, else `g++` (may carry words: `ccache g++`). */
  compiler?: string;
  /** Progress and warnings, one line each ("compiling sketch (3 files)…", "warning: …"). */
  onStatus?: (line: string) => void;
  /** Stops the build (compilers are killed); the promise rejects with an AbortError. */
  signal?: AbortSignal;
}

export interface BuiltSketch {
  /** Absolute path of the executable. */
  executable: string;
  /** Identifies this build (compiler, runtime, sketch files, flags). */
  key: string;
  /** False when taken from the cache (no compiler ran). */
  compiled: boolean;
  /** The sketch's compiled files, absolute. */
  sources: string[];
}

/** Sketch folders (and runtime folders) kept in the cache. */
export const KEEP_BUILDS = 3;

const digest = (h: ReturnType<typeof createHash>) => h.digest('hex').slice(0, 16);

interface Plan {
  project: SketchProject;
  sketch: SketchInputs;
  runtime: RuntimeInputs;
  flags: ComposedFlags;
  compiler: string[];
  cacheDir: string;
  runtimeRoot: string;
  runtimeCache: string;
  sketchCache: string;
  key: string;
}

async function identify(words: string[], cacheDir: string): Promise<string> {
  const spec = words.join(' ');
  try {
    const v = await compilerVersion(words, join(cacheDir, COMPILERS_FILE));
    if (v) return v.text;
  } catch (e) {
    if (!(e instanceof SpawnError)) throw e;
  }
  throw new UserError('emulate.no-compiler', `the C++ compiler '${spec}' does not run`,
    'install g++ (Debian/Ubuntu: sudo apt install g++) or set CXX to a C++ compiler');
}

async function plan(o: SketchBuildOptions): Promise<Plan> {
  const environment = o.environment ?? process.env;
  const project = await readSketchProject(o.projectDir, o.env, environment);
  const cacheDir = resolve(o.cacheDir ?? join(project.projectDir, '.pio', 'esp-sse-emulator'));
  const runtimeRoot = resolve(o.runtimeCacheDir ?? (o.cacheDir !== undefined ? cacheDir : userCacheDir(environment)));
  const runtime = await readRuntimeInputs(resolve(o.runtimeDir ?? join(packageRoot(), 'firmware', 'runtime')));
  const sketch = await readSketchInputs(project, cacheDir);
  const flags = composeFlags({
    runtimeInclude: runtime.includeDir,
    project: project.buildFlags,
    sourceOnly: project.sourceFlags,
    unflags: project.unflags,
    includeDirs: sketch.includeDirs,
  });
  const compiler = compilerWords(defaultCompiler(o.compiler, environment));
  const version = await identify(compiler, cacheDir);

  const rh = createHash('sha256').update(JSON.stringify(['runtime-v1', compiler, version, runtime.dir, flags.runtime])).update('\0');
  await hashFiles(rh, runtime.dir, runtime.dependencies);
  const runtimeHash = digest(rh);
  const sh = createHash('sha256').update(JSON.stringify(['sketch-v1', runtimeHash, project.projectDir, flags.sketch, flags.link])).update('\0');
  await hashFiles(sh, project.projectDir, sketch.dependencies);
  const key = digest(sh);
  return {
    project, sketch, runtime, flags, compiler, cacheDir, key, runtimeRoot,
    runtimeCache: join(runtimeRoot, `runtime-${runtimeHash}`),
    sketchCache: join(cacheDir, `sketch-${key}`),
  };
}

function jobsFor(p: Plan): { runtime: CompileJob[]; sketch: CompileJob[] } {
  const lang = (file: string, set: { cxx: string[]; c: string[] }) => (hasExtension(file, C_EXTENSIONS) ? set.c : set.cxx);
  const runtimeSrc = join(p.runtime.dir, 'src');
  return {
    runtime: p.runtime.sources.map((s) => ({
      source: s, owner: 'runtime', flags: lang(s, p.flags.runtime),
      object: join(p.runtimeCache, `${cachePath(relative(runtimeSrc, s))}.o`),
    })),
    sketch: p.sketch.sources.map((s) => {
      const rel = projectRelative(p.project.projectDir, s);
      return { source: rel, owner: 'sketch', flags: lang(s, p.flags.sketch), object: join(p.sketchCache, 'obj', `${cachePath(relative(p.project.projectDir, s))}.o`) };
    }),
  };
}

/** Replaces cache paths (objects) with the user's files and drops the project folder prefix. */
function userPaths(text: string, p: Plan, jobs: readonly CompileJob[]): string {
  let out = text;
  for (const j of jobs) out = out.split(j.object).join(j.source);
  return out.split(p.project.projectDir + sep).join('');
}

async function failWith(p: Plan, results: readonly JobResult[], link?: string): Promise<never> {
  const failed = results.filter((r) => !r.ok);
  const sketchOut = failed.filter((r) => r.job.owner === 'sketch').map((r) => r.output.trim()).join('\n');
  const runtimeOut = failed.filter((r) => r.job.owner === 'runtime').map((r) => r.output.trim()).join('\n');
  const output = link ?? (sketchOut || runtimeOut);
  const logFile = join(p.cacheDir, 'last-build.log');
  await writeFileAtomic(logFile, output + '\n');
  if (!link && !sketchOut) throw runtimeBuildError({ output, logFile });
  const runtimeRoot = p.runtime.dir + sep;
  const missing = findMissingIncludes(output).filter((m) => !resolve(p.project.projectDir, m.file).startsWith(runtimeRoot));
  // A header of the project's own libraries (lib_dir) is the user's to place; any other is
  // one of a framework or lib_deps library, which the runtime stands in for.
  const libFiles = missing.length > 0 ? await listFiles(p.project.libDir) : [];
  const inLib = (header: string) => libFiles.find((f) => f.split(sep).join('/').endsWith(`/${header}`));
  const unsupported = missing.filter((m) => !inLib(m.header));
  if (unsupported.length > 0) throw unsupportedHeaderError(unsupported, p.runtime.headers, { output, logFile });
  const notes = missing.map((m) => `${m.header} is in the project's libraries at ${projectRelative(p.project.projectDir, inLib(m.header)!)}, but the emulator builds src_dir only, with ${p.sketch.includeDirs.join(' and ')} on the include path; put the library's code in src_dir, or add -I for its folder to build_flags if it is headers only`);
  throw sketchBuildError({ output: [output, ...notes].join('\n'), logFile });
}

function report(p: Plan, status: (line: string) => void): void {
  if (p.project.dropped.length > 0) {
    status(`warning: the emulator leaves out these build flags: ${p.project.dropped.join(' ')} (only -D, -U, -I, -include, -std, -W… and -O apply on the host)`);
  }
  for (const k of p.project.standIns) status(`${k} is not set: the emulator builds with "${CREDENTIAL_STAND_INS[k]}"`);
  for (const f of p.sketch.skipped) status(`warning: ${projectRelative(p.project.projectDir, f)} left out: ESP32 assembly does not build for the host`);
}

/**
 * Compiles and links the sketch, or returns the cached executable for the same inputs.
 * Throws `UserError`s: emulate.project-missing, emulate.sketch-missing, emulate.sketch-ino,
 * emulate.sketch-changing,
 * emulate.sketch-build, emulate.sketch-unsupported, emulate.no-compiler,
 * emulate.runtime-missing, emulate.runtime-build, emulate.bad-build-flags (and ini.* from
 * platformio.ini).
 */
export async function buildSketch(o: SketchBuildOptions): Promise<BuiltSketch> {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const built = await buildOnce(o);
    if (built) return built;
  }
  throw new UserError(
    'emulate.sketch-changing',
    `the sketch's files changed during each of ${MAX_ATTEMPTS} builds in a row, so no build matches what is on disk`,
    'stop whatever keeps writing to the sources (a generator, an editor saving on every keystroke) and start the emulator again',
  );
}

/**
 * A file saved while g++ ran would otherwise put objects of the new text under the key of the
 * old one (and a later build of the old text would run them): the inputs are hashed again after
 * linking, and a build whose inputs changed is thrown away and started again, at most this
 * many times; nothing is ever cached under a key its objects were not compiled from.
 */
const MAX_ATTEMPTS = 3;

/** One build; `undefined` when the inputs changed while it ran (its objects are removed). */
async function buildOnce(o: SketchBuildOptions): Promise<BuiltSketch | undefined> {
  const status = o.onStatus ?? (() => undefined);
  const p = await plan(o);
  const executable = join(p.sketchCache, 'firmware');
  const result = (compiled: boolean): BuiltSketch => ({ executable, key: p.key, compiled, sources: p.sketch.sources });
  if (await exists(executable)) {
    await touch(p.sketchCache);
    await touch(p.runtimeCache);
    return result(false);
  }
  o.signal?.throwIfAborted();
  report(p, status);
  await removeStaleTemps(p.runtimeCache);
  await removeStaleTemps(p.sketchCache);
  const jobs = jobsFor(p);
  const runtimeTodo: CompileJob[] = [];
  for (const j of jobs.runtime) if (!(await exists(j.object))) runtimeTodo.push(j);
  const sketchTodo: CompileJob[] = [];
  for (const j of jobs.sketch) if (!(await exists(j.object))) sketchTodo.push(j);
  if (runtimeTodo.length > 0) status(`compiling the emulator runtime (${runtimeTodo.length} file${runtimeTodo.length === 1 ? '' : 's'})…`);
  if (sketchTodo.length > 0) status(`compiling sketch (${sketchTodo.length} file${sketchTodo.length === 1 ? '' : 's'})…`);
  const runOpts = { compiler: p.compiler, cwd: p.project.projectDir, ...(o.signal ? { signal: o.signal } : {}) };
  const results = await runJobs([...sketchTodo, ...runtimeTodo], runOpts);
  if (results.some((r) => !r.ok)) return failWith(p, results.map((r) => ({ ...r, output: userPaths(r.output, p, [...jobs.sketch, ...jobs.runtime]) })));
  // The sketch's own warnings, one status line each (the runtime's are ours, not the user's).
  for (const r of results) if (r.job.owner === 'sketch' && r.output.trim() !== '') userPaths(r.output.trimEnd(), p, jobs.sketch).split('\n').forEach((l) => status(l));

  status('linking…');
  const tmp = tempPath(executable);
  try {
    const objects = [...jobs.sketch, ...jobs.runtime].map((j) => j.object);
    const r = await runProcess([...p.compiler, ...objects, ...p.flags.link, '-o', tmp], runOpts);
    if (r.code !== 0) return await failWith(p, [], userPaths(r.stderr, p, [...jobs.sketch, ...jobs.runtime]).trim() || `the linker failed (${r.signal ?? `exit ${r.code}`})`);
    if ((await plan(o)).key !== p.key) {
      status('a source changed while compiling: compiling again…');
      await Promise.all([...sketchTodo, ...runtimeTodo].map((j) => rm(j.object, { force: true })));
      return undefined;
    }
    await rename(tmp, executable);
  } finally {
    await rm(tmp, { force: true });
  }
  await touch(p.runtimeCache);
  await prune(p.cacheDir, 'sketch-', KEEP_BUILDS, p.sketchCache);
  await prune(p.runtimeRoot, 'runtime-', KEEP_BUILDS, p.runtimeCache);
  return result(true);
}
