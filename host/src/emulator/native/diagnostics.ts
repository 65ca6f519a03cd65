/**
 * Turning the compiler's and linker's output into the user's errors. Pure: the caller has
 * already put the user's paths (relative to the project) into the text.
 */
import { UserError } from '../../errors.js';

/** Where the README documents what the runtime provides. */
export const SUBSET_DOC = 'README.md, section "Your sketch in the emulator"';

/** At most this many lines of compiler output go into a message; the log file has them all. */
export const MAX_MESSAGE_LINES = 120;

/** An `#include` g++ could not find. */
export interface MissingInclude {
  /** The including file, as g++ printed it. */
  file: string;
  line: number;
  /** As spelt in the `#include`. */
  header: string;
}

/** g++/clang: `main.cpp:3:10: fatal error: Foo.h: No such file or directory` / `'Foo.h' file not found`. */
export function findMissingIncludes(output: string): MissingInclude[] {
  const found: MissingInclude[] = [];
  const re = /^(.+?):(\d+):\d+: fatal error: (?:(.+?): No such file or directory|'(.+?)' file not found)$/gm;
  for (const m of output.matchAll(re)) found.push({ file: m[1]!, line: Number(m[2]), header: (m[3] ?? m[4])! });
  return found;
}

/** Diagnostics that often mean the sketch uses API the emulator's runtime does not have. */
const SUBSET_PATTERNS: readonly RegExp[] = [
  /was not declared in this scope/, /does not name a type/, /has no member named/, /is not a member of/,
  /no matching (?:member )?function for call/, /undefined reference to `(?!setup\(\)|loop\(\))/,
];

export function suggestsMissingApi(output: string): boolean {
  return SUBSET_PATTERNS.some((p) => p.test(output));
}

/** `undefined reference to 'setup()'` / `'loop()'`: the sketch lacks one. */
export function missingEntryPoints(output: string): string[] {
  return ['setup', 'loop'].filter((f) => output.includes(`undefined reference to \`${f}()'`));
}

/** The first `max` lines, and a line saying how many more there are and where. */
export function clip(output: string, logFile: string | undefined, max = MAX_MESSAGE_LINES): string {
  const lines = output.replace(/\s+$/, '').split('\n');
  if (lines.length <= max) return lines.join('\n');
  return [...lines.slice(0, max), `… ${lines.length - max} more lines${logFile ? ` in ${logFile}` : ''}`].join('\n');
}

export interface BuildFailure {
  /** Compiler/linker output, the user's paths relative to the project. */
  output: string;
  /** Where the whole output is kept. */
  logFile?: string;
}

/** A compile or link error in the user's sketch: `emulate.sketch-build`. */
export function sketchBuildError(f: BuildFailure): UserError {
  const notes: string[] = [];
  for (const fn of missingEntryPoints(f.output)) notes.push(`The sketch has no ${fn}() function: an Arduino sketch defines setup() and loop().`);
  if (suggestsMissingApi(f.output)) {
    notes.push(`The emulator's runtime covers a subset of the Arduino-ESP32, ESPAsyncWebServer and companion APIs; ${SUBSET_DOC} lists what it provides.`);
  }
  return new UserError('emulate.sketch-build',
    [`the sketch did not build for the emulator:`, clip(f.output, f.logFile), ...notes].join('\n'),
    'fix the error above and start the emulator again; a call the runtime lacks can be left out of the emulator build with #ifndef ESP_SSE_NATIVE … #endif');
}

/** `#include`s of headers the runtime does not provide: `emulate.sketch-unsupported`. */
export function unsupportedHeaderError(missing: readonly MissingInclude[], provided: readonly string[], f: BuildFailure): UserError {
  const headers = [...new Set(missing.map((m) => m.header))];
  const where = missing.map((m) => `${m.file}:${m.line}: #include <${m.header}>`);
  return new UserError('emulate.sketch-unsupported',
    [
      `the sketch includes ${headers.join(', ')}, which the emulator's runtime does not provide:`,
      ...where,
      `The runtime provides: ${provided.join(', ')}.`,
      `(${SUBSET_DOC} says which parts of each API it covers.)`,
    ].join('\n'),
    `the emulator builds the sketch against its own runtime, not the libraries in lib_deps; leave the include and the code that uses it out of the emulator build with #ifndef ESP_SSE_NATIVE … #endif${f.logFile ? ` (compiler output: ${f.logFile})` : ''}`);
}

/** The runtime itself did not compile: `emulate.runtime-build` (this project's flags, or a bug of esp-sse's). */
export function runtimeBuildError(f: BuildFailure): UserError {
  return new UserError('emulate.runtime-build',
    [`the emulator's runtime did not compile with this project's flags:`, clip(f.output, f.logFile)].join('\n'),
    'check the -D/-U/-std/-O flags in build_flags (they apply to the runtime too); if they are not the cause, this is a bug in esp-sse: please report it with this output');
}
