/**
 * The files a host build reads: the sketch's sources and headers (src_dir, include_dir, the
 * folders and files its flags name) and the runtime's. Refusals happen here: no sources, a
 * `.ino`, no runtime.
 */
import { stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { UserError } from '../../errors.js';
import type { Flag } from './flags.js';
import type { SketchProject } from './sketch-project.js';
import { ASM_EXTENSIONS, C_EXTENSIONS, CXX_EXTENSIONS, hasExtension, INO_EXTENSIONS, listFiles } from './source-tree.js';

const HEADER_EXTENSIONS: readonly string[] = ['.h', '.hh', '.hpp', '.hxx', '.inc', '.inl', '.ipp', '.tpp'];

export interface SketchInputs {
  /** Absolute paths of the files compiled, sorted. */
  sources: string[];
  /** Every file the build depends on (sources, headers, anything else in src_dir / include_dir), absolute. */
  dependencies: string[];
  /** Folders for `-I`, as written on the command line (relative to the project when inside it). */
  includeDirs: string[];
  /** Assembly files left out. */
  skipped: string[];
}

export interface RuntimeInputs {
  dir: string;
  includeDir: string;
  sources: string[];
  dependencies: string[];
  /** Headers the runtime provides, relative to its include folder (`Arduino.h`, `freertos/FreeRTOS.h`). */
  headers: string[];
}

async function isDir(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}

/** A path as given to the compiler: relative to the project when inside it, else absolute. */
export function projectRelative(projectDir: string, path: string): string {
  const rel = relative(projectDir, path);
  return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}

export function isCompiled(file: string): boolean {
  return hasExtension(file, CXX_EXTENSIONS) || hasExtension(file, C_EXTENSIONS);
}

/** The flags' own folders and files (`-I`, `-include`), hashed so a change there rebuilds. */
async function flagDependencies(projectDir: string, flags: readonly Flag[], known: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const f of flags) {
    if (f.kind === 'include-dir') {
      const dir = resolve(projectDir, f.args[0]!.slice(2));
      if (known.includes(dir)) continue;
      out.push(...(await listFiles(dir)).filter((p) => hasExtension(p, HEADER_EXTENSIONS)));
    } else if (f.kind === 'include-file') {
      const file = resolve(projectDir, f.args[1]!);
      if ((await stat(file).catch(() => undefined))?.isFile()) out.push(file);
    }
  }
  return out;
}

export async function readSketchInputs(project: SketchProject, cacheDir: string): Promise<SketchInputs> {
  const { projectDir, srcDir, includeDir } = project;
  const shown = (p: string) => projectRelative(projectDir, p);
  if (!(await isDir(srcDir))) {
    throw new UserError('emulate.sketch-missing', `the sketch folder ${shown(srcDir)} (src_dir of [env:${project.env}]) does not exist in ${projectDir}`,
      'put the sketch in src/ or set src_dir under [platformio] in platformio.ini');
  }
  const files = await listFiles(srcDir, [cacheDir]);
  const ino = files.filter((f) => hasExtension(f, INO_EXTENSIONS));
  if (ino.length > 0) {
    // A .ino needs the Arduino preprocessor (one translation unit, generated prototypes);
    // the emulator compiles C++ only, as PlatformIO's own docs advise converting to.
    throw new UserError('emulate.sketch-ino',
      `the emulator compiles .cpp files, not Arduino .ino sketches: ${ino.map(shown).join(', ')}`,
      `rename ${ino.length === 1 ? 'it' : 'each'} to .cpp, add #include <Arduino.h> at the top, and declare functions before their first use (the Arduino IDE generates those prototypes); PlatformIO builds the .cpp the same way`);
  }
  const sources = files.filter(isCompiled);
  if (sources.length === 0) {
    throw new UserError('emulate.sketch-missing', `the sketch folder ${shown(srcDir)} has no .cpp, .cc or .c files`,
      'put the sketch (setup() and loop()) in a .cpp file there, or point src_dir in platformio.ini at it');
  }
  const includeExists = await isDir(includeDir);
  const includeFiles = includeExists ? await listFiles(includeDir, [cacheDir]) : [];
  const known = [srcDir, ...(includeExists ? [includeDir] : [])];
  const extra = await flagDependencies(projectDir, [...project.buildFlags, ...project.sourceFlags], known);
  return {
    sources,
    dependencies: [...new Set([...files, ...includeFiles, ...extra])].sort(),
    includeDirs: [...(includeExists ? [shown(includeDir)] : []), shown(srcDir)],
    skipped: files.filter((f) => hasExtension(f, ASM_EXTENSIONS)),
  };
}

export async function readRuntimeInputs(dir: string): Promise<RuntimeInputs> {
  const includeDir = join(dir, 'include');
  if (!(await isDir(includeDir))) {
    throw new UserError('emulate.runtime-missing', `the emulator's runtime is not at ${dir} (no include/ folder)`,
      'reinstall esp-sse; from a checkout, firmware/runtime/ must be there (or pass the runtime folder)');
  }
  const headers = await listFiles(includeDir);
  const srcFiles = await listFiles(join(dir, 'src'));
  return {
    dir,
    includeDir,
    sources: srcFiles.filter(isCompiled),
    dependencies: [...headers, ...srcFiles],
    headers: headers.map((h) => relative(includeDir, h).split('\\').join('/')),
  };
}
