/**
 * Compiler flags for the host build of a sketch: the emulator's own base flags and the
 * project's `build_flags`, read the way PlatformIO reads them (SCons `ParseFlags` over each
 * `shlex`-split item; `build_unflags` removes matching flags, a bare `-DNAME` any definition
 * of NAME). Pure: no I/O.
 *
 * Only flags that mean the same on the host pass through: -D, -U, -I, -include, -std, -W…
 * (not -Wl,/-Wa,/-Wp,) and -O. Everything else (-mfix-esp32-psram-cache-issue, -fno-rtti,
 * linker flags, libraries) is dropped and reported.
 */
import { UserError } from '../../errors.js';
import { shellSplit } from './shell-split.js';

export type FlagKind = 'define' | 'undef' | 'include-dir' | 'include-file' | 'std' | 'warning' | 'optimize';

/** One flag as it goes on the command line (`args`: one word, or two for `-include FILE`). */
export interface Flag {
  kind: FlagKind;
  args: string[];
  /** The macro of a define/undef. */
  name?: string;
  /** The language a `-std=` is for (SCons: `++` in the value → C++). */
  lang?: 'c' | 'c++';
}

export interface ParsedFlags {
  flags: Flag[];
  /** Words left out, as written (a flag and its argument together). */
  dropped: string[];
}

/** Flags SCons reads with the next word as their argument. */
const TWO_WORD = new Set(['-include', '-imacros', '-isysroot', '-isystem', '-iquote', '-idirafter', '-arch', '--param']);
const OPTIMIZE = /^-O([0-3sgz]|fast)?$/;

function define(kind: 'define' | 'undef', body: string): Flag | undefined {
  const text = body.trim();
  const eq = text.indexOf('=');
  const name = (eq < 0 ? text : text.slice(0, eq)).trim();
  // A function-like macro (`-D'MAX(a,b)=…'`) is named by its identifier.
  const m = /^([A-Za-z_]\w*)(\([\w\s,.]*\))?$/.exec(name);
  if (!m || (kind === 'undef' && m[2] !== undefined)) return undefined;
  if (kind === 'undef') return eq < 0 ? { kind, name, args: [`-U${name}`] } : undefined;
  return { kind, name: m[1]!, args: [eq < 0 ? `-D${name}` : `-D${name}=${text.slice(eq + 1)}`] };
}

/**
 * Parses the items of a multi-value flags option (`splitMultiValue` of `build_flags`).
 * `option` names it in messages. A `!command` item (PlatformIO runs it for dynamic flags) is
 * not run: it is reported as dropped.
 */
export function parseBuildFlags(items: readonly string[], option = 'build_flags'): ParsedFlags {
  const flags: Flag[] = [];
  const dropped: string[] = [];
  for (const item of items) {
    if (item.startsWith('!')) {
      dropped.push(item);
      continue;
    }
    const words = shellSplit(item);
    if (words === undefined) {
      throw new UserError('emulate.bad-build-flags', `${option}: ${item} has a quote that is not closed`,
        "close the quote in platformio.ini; wrap a flag whose value has spaces in single quotes: '-D NAME=\"a b\"'");
    }
    for (let i = 0; i < words.length; i++) {
      const w = words[i]!;
      const arg = (rest: string): string | undefined => (rest !== '' ? rest : words[++i]);
      let f: Flag | undefined;
      if (w.startsWith('-D') || w.startsWith('-U')) {
        const body = arg(w.slice(2));
        f = body === undefined ? undefined : define(w.startsWith('-D') ? 'define' : 'undef', body);
        if (!f) dropped.push(body === undefined || w.length > 2 ? w : `${w} ${body}`);
      } else if (w.startsWith('-I')) {
        const dir = arg(w.slice(2));
        if (dir !== undefined && dir.trim() !== '') f = { kind: 'include-dir', args: [`-I${dir.trim()}`] };
        else dropped.push(w);
      } else if (TWO_WORD.has(w)) {
        const next = words[++i];
        if (w === '-include' && next !== undefined) f = { kind: 'include-file', args: ['-include', next] };
        else dropped.push(next === undefined ? w : `${w} ${next}`);
      } else if (w.startsWith('-std=')) {
        f = { kind: 'std', args: [w], lang: w.includes('++') ? 'c++' : 'c' };
      } else if (w.startsWith('-W') && !/^-W[alp],/.test(w)) {
        f = { kind: 'warning', args: [w] };
      } else if (OPTIMIZE.test(w)) {
        f = { kind: 'optimize', args: [w] };
      } else {
        dropped.push(w);
      }
      if (f) flags.push(f);
    }
  }
  return { flags, dropped };
}

/** The emulator's flags, always on and never removed by `build_unflags`. */
export const CORE_FLAGS: readonly string[] = ['-g', '-pthread', '-fexceptions', '-fdiagnostics-color=never'];
/** Link flags. */
/** -no-pie: the backtrace addresses a panic prints are then the executable's own, for addr2line. */
export const LINK_FLAGS: readonly string[] = ['-pthread', '-no-pie'];

/** The emulator's defaults that the project may override (`-D` of the same macro, another `-std`/`-O`) or unflag. */
export function baseFlags(): Flag[] {
  const d = (text: string) => define('define', text)!;
  return [
    { kind: 'std', args: ['-std=gnu++17'], lang: 'c++' },
    // The Arduino-ESP32 2.x core compiles C with gnu99.
    { kind: 'std', args: ['-std=gnu99'], lang: 'c' },
    { kind: 'optimize', args: ['-O1'] },
    d('ESP32'), d('ARDUINO_ARCH_ESP32'), d('ARDUINO=10819'), d('ESP_SSE_NATIVE'), d('CORE_DEBUG_LEVEL=0'),
  ];
}

function sameFlag(a: Flag, b: Flag): boolean {
  return a.args.length === b.args.length && a.args.every((x, i) => x === b.args[i]);
}

/** PlatformIO's `ProcessUnFlags`: equal flags go, and a bare `-DNAME` removes every `-DNAME=…`. */
export function removeUnflags(flags: readonly Flag[], unflags: readonly Flag[]): Flag[] {
  return flags.filter((f) => !unflags.some((u) => sameFlag(f, u)
    || (u.kind === 'define' && f.kind === 'define' && u.args[0] === `-D${u.name}` && f.name === u.name)));
}

/** Base flags the project's own flags replace: a define/undef of the same macro, a `-std` for the same language, any `-O`. */
function overridden(base: Flag, project: readonly Flag[]): boolean {
  return project.some((p) => {
    if (base.kind === 'define') return (p.kind === 'define' || p.kind === 'undef') && p.name === base.name;
    if (base.kind === 'std') return p.kind === 'std' && p.lang === base.lang;
    return base.kind === 'optimize' && p.kind === 'optimize';
  });
}

export interface FlagSet {
  /** For C++ sources (.cpp, .cc). */
  cxx: string[];
  /** For C sources (.c, compiled as C with `-x c`). */
  c: string[];
}

export interface ComposedFlags {
  /** The runtime: base flags plus the project's -D/-U/-std/-O (as PlatformIO's build_flags reach the framework), not its -W/-I/-include. */
  runtime: FlagSet;
  /** The sketch: every passing flag of build_flags and build_src_flags, and the project's include folders. */
  sketch: FlagSet;
  link: string[];
}

export interface ComposeInput {
  /** Absolute `<runtime>/include`. */
  runtimeInclude: string;
  /** `build_flags`. */
  project: readonly Flag[];
  /** `build_src_flags` (sketch sources only). */
  sourceOnly?: readonly Flag[];
  /** `build_unflags`. */
  unflags?: readonly Flag[];
  /** The project's include folders for the sketch (`include_dir` when it exists, `src_dir`), as they go after `-I`. */
  includeDirs: readonly string[];
}

function toArgs(flags: readonly Flag[], lang: 'c' | 'c++'): string[] {
  return flags.filter((f) => f.kind !== 'std' || f.lang === lang).flatMap((f) => f.args);
}

/**
 * Puts the command lines together. Order: core flags, then -std/-O/-W and the macros (base
 * first, the project's after them, so a later -U wins as on the command line), then the
 * project's include folders before the runtime's (PlatformIO puts the project's include and
 * src folders first), then `-include` files.
 */
export function composeFlags(input: ComposeInput): ComposedFlags {
  const unflags = input.unflags ?? [];
  const projectAll = [...input.project, ...(input.sourceOnly ?? [])];
  const base = removeUnflags(baseFlags().filter((b) => !overridden(b, projectAll)), unflags);
  const project = removeUnflags(input.project, unflags);
  const sourceOnly = removeUnflags(input.sourceOnly ?? [], unflags);
  const runtimeInclude = `-I${input.runtimeInclude}`;

  const runtimeFlags = [...base, ...project.filter((f) => f.kind === 'define' || f.kind === 'undef' || f.kind === 'std' || f.kind === 'optimize')];
  const sketchFlags = [...base, ...project, ...sourceOnly];
  const compileFlags = (flags: Flag[], lang: 'c' | 'c++', includeDirs: readonly string[]): string[] => [
    ...CORE_FLAGS,
    ...toArgs(flags.filter((f) => f.kind !== 'include-dir' && f.kind !== 'include-file'), lang),
    ...includeDirs.map((d) => `-I${d}`),
    ...toArgs(flags.filter((f) => f.kind === 'include-dir'), lang),
    runtimeInclude,
    ...toArgs(flags.filter((f) => f.kind === 'include-file'), lang),
  ];
  return {
    runtime: { cxx: compileFlags(runtimeFlags, 'c++', []), c: compileFlags(runtimeFlags, 'c', []) },
    sketch: { cxx: compileFlags(sketchFlags, 'c++', input.includeDirs), c: compileFlags(sketchFlags, 'c', input.includeDirs) },
    link: [...LINK_FLAGS],
  };
}
