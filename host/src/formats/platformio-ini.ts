/**
 * A pure reader for the parts of `platformio.ini` esp-sse uses. It follows PlatformIO's
 * `platformio/project/config.py`: Python `configparser` syntax (sections, `=`/`:` delimiters,
 * lower-cased keys, indented continuation lines, full-line `;`/`#` comments and inline ones
 * after whitespace), option lookup through the env section, its `extends` chain and the common
 * `[env]` section, and `${section.option}` / `${sysenv.NAME}` / `${this.option}` interpolation.
 * No file I/O: callers pass the text, the project folder and the environment variables.
 */
import { isAbsolute, join, normalize } from 'node:path';
import { UserError } from '../errors.js';

/** Sections in file order; each maps lower-cased option names to raw (uninterpolated) values. */
export interface IniDocument {
  sections: Map<string, Map<string, string>>;
  /** Where the text came from, for messages. */
  source: string;
}

function iniError(source: string, line: number | undefined, message: string, hint = 'fix platformio.ini (syntax: https://docs.platformio.org/page/projectconf.html)'): UserError {
  return new UserError('ini.bad-syntax', `${source}${line === undefined ? '' : `:${line}`}: ${message}`, hint);
}

function stripInlineComment(text: string): string {
  const m = /\s[;#]/.exec(text);
  return m ? text.slice(0, m.index) : text;
}

/**
 * Parses INI text like Python's `ConfigParser(inline_comment_prefixes=("#", ";"))` (strict:
 * duplicate sections or options are errors). Continuation values are joined with `\n`.
 */
export function parseIni(text: string, source = 'platformio.ini'): IniDocument {
  const sections = new Map<string, Map<string, string>>();
  let current: Map<string, string> | undefined;
  let currentName = '';
  let lastKey: string | undefined;
  let lastIndent = 0;
  text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/).forEach((raw, i) => {
    const lineNo = i + 1;
    const trimmed = raw.trim();
    if (trimmed.startsWith(';') || trimmed.startsWith('#')) return;
    // A blank line does not end a value in configparser (empty_lines_in_values); trailing
    // blank lines are dropped, so skipping them is equivalent for every value read here.
    if (trimmed === '') return;
    const indent = raw.length - raw.trimStart().length;
    const value = stripInlineComment(raw).trim();
    if (current && lastKey !== undefined && indent > lastIndent) {
      if (value === '') return;
      const prev = current.get(lastKey)!;
      current.set(lastKey, prev === '' ? `\n${value}` : `${prev}\n${value}`);
      return;
    }
    const section = /^\[([^\]]+)\]/.exec(trimmed);
    if (section) {
      currentName = section[1]!.trim();
      if (sections.has(currentName)) throw iniError(source, lineNo, `section [${currentName}] appears twice`, 'merge the two sections into one');
      current = new Map();
      sections.set(currentName, current);
      lastKey = undefined;
      return;
    }
    if (!current) throw iniError(source, lineNo, `'${trimmed}' comes before any [section]`);
    // The first '=' or ':' splits name and value (found by a scan: a backtracking regex is
    // quadratic on a long line without one).
    const delim = value.search(/[=:]/);
    const name = delim < 0 ? '' : value.slice(0, delim).trimEnd();
    if (name === '') throw iniError(source, lineNo, `'${trimmed}' is not 'name = value'`);
    const key = name.toLowerCase();
    if (current.has(key)) throw iniError(source, lineNo, `option '${key}' appears twice in [${currentName}]`, 'keep one of them (use a multi-line value for lists)');
    current.set(key, value.slice(delim + 1).trimStart());
    lastKey = key;
    lastIndent = indent;
  });
  return { sections, source };
}

/**
 * Splits a multi-value option the way PlatformIO does (`parse_multi_values`): by newlines when
 * the value has any, else by ", " (comma and space); `;`/`#` comment items dropped.
 */
export function splitMultiValue(value: string): string[] {
  return value.split(value.includes('\n') ? '\n' : ', ')
    .map((s) => s.replace(/\s+;.*$/, '').trim())
    .filter((s) => s !== '' && !s.startsWith(';') && !s.startsWith('#'));
}

/** The `[env:NAME]` names in file order. */
export function envNames(doc: IniDocument): string[] {
  return [...doc.sections.keys()].filter((s) => s.startsWith('env:')).map((s) => s.slice(4));
}

/**
 * The sections searched for an option of `section`, in PlatformIO's order (`walk_options`):
 * the section itself, then the sections its `extends` names, depth first in the order named,
 * then, for `env:` sections, the common `[env]` section. A section is visited once.
 */
export function lookupOrder(doc: IniDocument, section: string): string[] {
  const queue = section.startsWith('env:') ? ['env', section] : [section];
  const done: string[] = [];
  while (queue.length > 0) {
    const s = queue.pop()!;
    if (done.includes(s)) continue;
    done.push(s);
    const ext = doc.sections.get(s)?.get('extends');
    if (ext !== undefined) queue.push(...splitMultiValue(ext).reverse());
  }
  return done.filter((s) => doc.sections.has(s));
}

/** Variables interpolation can see besides the file: environment variables and built-in defaults. */
export interface IniContext {
  /** `${sysenv.NAME}`; also the `PLATFORMIO_*_DIR`, `PLATFORMIO_DEFAULT_ENVS` and `PLATFORMIO_UPLOAD_PORT` overrides. */
  vars: Readonly<Record<string, string | undefined>>;
  /** Absolute project folder: relative directory options are resolved against it. */
  projectDir: string;
}

/** `[platformio]` options with their built-in default and overriding environment variable. */
const platformioDirs: Readonly<Record<string, { envVar: string; fallback: string }>> = {
  workspace_dir: { envVar: 'PLATFORMIO_WORKSPACE_DIR', fallback: '.pio' },
  build_dir: { envVar: 'PLATFORMIO_BUILD_DIR', fallback: '${platformio.workspace_dir}/build' },
  data_dir: { envVar: 'PLATFORMIO_DATA_DIR', fallback: 'data' },
  src_dir: { envVar: 'PLATFORMIO_SRC_DIR', fallback: 'src' },
  include_dir: { envVar: 'PLATFORMIO_INCLUDE_DIR', fallback: 'include' },
  lib_dir: { envVar: 'PLATFORMIO_LIB_DIR', fallback: 'lib' },
  test_dir: { envVar: 'PLATFORMIO_TEST_DIR', fallback: 'test' },
  libdeps_dir: { envVar: 'PLATFORMIO_LIBDEPS_DIR', fallback: '${platformio.workspace_dir}/libdeps' },
};

const MAX_DEPTH = 20;

/**
 * Bounds on interpolation, whatever the file says: at most this many `${...}` references
 * replaced for one option (a chain of options each naming the next ten times would otherwise
 * take 10^20 steps), and no value longer than this many characters once interpolated (each
 * doubling the next would otherwise fill the memory; a value already longer in the file may not
 * grow). Real projects use a handful of references
 * and values of a few hundred characters.
 */
export const INTERPOLATION_LIMITS = { references: 10_000, length: 1 << 16 } as const;

interface Budget {
  references: number;
}

/**
 * The interpolated value of `option` as seen from `section`, or undefined when no section in
 * its lookup order sets it. `[platformio]` directory options fall back to PlatformIO's
 * defaults; the `PLATFORMIO_*` variables of the options that have one win over the file, as
 * in PlatformIO (`getraw`: `option_meta.sysenvvar`). Circular references and interpolation
 * past {@link INTERPOLATION_LIMITS} are `ini.bad-syntax` errors.
 */
export function getOption(doc: IniDocument, ctx: IniContext, section: string, option: string, depth = 0): string | undefined {
  return optionValue(doc, ctx, section, option, depth, { references: INTERPOLATION_LIMITS.references });
}

function optionValue(doc: IniDocument, ctx: IniContext, section: string, option: string, depth: number, budget: Budget): string | undefined {
  if (depth > MAX_DEPTH) {
    throw iniError(doc.source, undefined, `\${${section}.${option}} refers to itself (interpolation deeper than ${MAX_DEPTH})`, 'remove the circular ${...} reference');
  }
  const key = option.toLowerCase();
  let raw: string | undefined;
  if (section === 'platformio') {
    const dir = Object.hasOwn(platformioDirs, key) ? platformioDirs[key] : undefined;
    if (dir && ctx.vars[dir.envVar]) return ctx.vars[dir.envVar];
    if (key === 'default_envs' && ctx.vars.PLATFORMIO_DEFAULT_ENVS) return ctx.vars.PLATFORMIO_DEFAULT_ENVS;
    raw = doc.sections.get('platformio')?.get(key) ?? dir?.fallback;
  } else if (section.startsWith('env:') && key === 'upload_port' && ctx.vars.PLATFORMIO_UPLOAD_PORT) {
    return ctx.vars.PLATFORMIO_UPLOAD_PORT;
  } else {
    for (const s of lookupOrder(doc, section)) {
      raw = doc.sections.get(s)!.get(key);
      if (raw !== undefined) break;
    }
  }
  return raw === undefined ? undefined : interpolateIn(doc, ctx, section, raw, depth + 1, budget);
}

/** Replaces `${section.option}`, `${sysenv.NAME}`, `${this.option}` and `${this.__env__}`. */
export function interpolate(doc: IniDocument, ctx: IniContext, section: string, value: string, depth = 0): string {
  return interpolateIn(doc, ctx, section, value, depth, { references: INTERPOLATION_LIMITS.references });
}

/**
 * What `/\$\{(?:([^.}()]+)\.)?([^}]+)\}/g` replaces, found by a linear scan: `${` up to the
 * next `}`; a `section.` prefix when the first of `.`, `(`, `)` inside is a `.` after at least
 * one character and something follows it; `${}` and references without a section stay as
 * they are.
 */
function interpolateIn(doc: IniDocument, ctx: IniContext, section: string, value: string, depth: number, budget: Budget): string {
  let out = '';
  let from = 0;
  // A value written that long in the file is the file's size; only growth is limited.
  const limit = Math.max(INTERPOLATION_LIMITS.length, value.length);
  const append = (text: string) => {
    out += text;
    if (out.length > limit) {
      throw iniError(doc.source, undefined, `an option of [${section}] grows past ${INTERPOLATION_LIMITS.length} characters when its \${...} references are replaced`, 'simplify the ${...} references');
    }
  };
  for (;;) {
    const open = value.indexOf('${', from);
    const close = open < 0 ? -1 : value.indexOf('}', open + 2);
    if (close < 0) break;
    append(value.slice(from, open));
    from = close + 1;
    const whole = value.slice(open, close + 1);
    const inner = value.slice(open + 2, close);
    const special = inner.search(/[.()]/);
    if (special < 1 || inner[special] !== '.' || special === inner.length - 1) {
      append(whole);
      continue;
    }
    if (--budget.references < 0) {
      throw iniError(doc.source, undefined, `an option of [${section}] needs more than ${INTERPOLATION_LIMITS.references} \${...} replacements`, 'simplify the ${...} references');
    }
    append(reference(doc, ctx, section, inner.slice(0, special), inner.slice(special + 1), depth, budget));
  }
  append(value.slice(from));
  return out;
}

/** The value of one `${sec.opt}` reference. */
function reference(doc: IniDocument, ctx: IniContext, section: string, sec: string, opt: string, depth: number, budget: Budget): string {
  if (sec === 'sysenv') return (Object.hasOwn(ctx.vars, opt) ? ctx.vars[opt] : undefined) ?? '';
  if (sec === 'this') {
    if (opt === '__env__') return section.startsWith('env:') ? section.slice(4) : '';
    return optionValue(doc, ctx, section, opt, depth, budget) ?? '';
  }
  const v = optionValue(doc, ctx, sec, opt, depth, budget);
  if (v === undefined) {
    throw iniError(doc.source, undefined, `\${${sec}.${opt}} (used in [${section}]) names an option that is not set`, `set ${opt} in [${sec}] or fix the reference`);
  }
  return v;
}

/** What esp-sse reads from `platformio.ini` for one environment (directories absolute). */
export interface PlatformioSettings {
  /** The selected environment (`[env:NAME]`). */
  env: string;
  /** All environments in file order. */
  envs: string[];
  dataDir: string;
  /** `build_dir` (default `.pio/build`); an env's output is `<buildRoot>/<env>`. */
  buildRoot: string;
  /** `board_build.partitions` (else `board_build.arduino.partitions`) as written: a built-in table name or a project-relative path. */
  partitions?: string;
  /** `board_build.filesystem`, lower-cased (PlatformIO's default: spiffs). */
  filesystem: string;
  uploadPort?: string;
  uploadSpeed?: string;
  monitorSpeed?: string;
  /** `board_upload.flash_size` (e.g. `4MB`) in bytes, when set. */
  flashSize?: number;
  board?: string;
}

/** A directory option as PlatformIO resolves it: `~` is the home folder, relative paths are under the project. */
function resolveDir(ctx: IniContext, dir: string): string {
  const home = ctx.vars.HOME ?? ctx.vars.USERPROFILE;
  const d = home !== undefined && (dir === '~' || dir.startsWith('~/')) ? join(home, dir.slice(1)) : dir;
  return normalize(isAbsolute(d) ? d : join(ctx.projectDir, d));
}

/** Parses PlatformIO's flash size notation: `4MB`, `16MB`, `512KB`, or a plain byte count. */
export function parseFlashSize(text: string): number | undefined {
  const m = /^\s*(\d+)\s*(MB|M|KB|K|B)?\s*$/i.exec(text);
  if (!m) return undefined;
  const unit = (m[2] ?? 'B').toUpperCase();
  return Number(m[1]) * (unit.startsWith('M') ? 0x100000 : unit.startsWith('K') ? 0x400 : 1);
}

/**
 * The environment to use: `requested` (`--env`), else the first of `default_envs`, else the
 * first `[env:...]`. Unknown names are an `ini.unknown-env` error listing the ones there are.
 */
export function selectEnv(doc: IniDocument, ctx: IniContext, requested?: string): string {
  const envs = envNames(doc);
  const pick = requested ?? splitMultiValue(getOption(doc, ctx, 'platformio', 'default_envs') ?? '')[0] ?? envs[0];
  if (pick === undefined) {
    throw new UserError('ini.no-env', `${doc.source} has no [env:NAME] section`, 'add an environment, e.g. [env:esp32dev] with board = esp32dev');
  }
  if (!envs.includes(pick)) {
    const from = requested !== undefined ? '--env' : 'default_envs';
    throw new UserError('ini.unknown-env', `${from} names environment '${pick}', but ${doc.source} has ${envs.length ? envs.map((e) => `'${e}'`).join(', ') : 'no environments'}`,
      envs.length ? `use one of: ${envs.join(', ')}` : 'add an [env:NAME] section');
  }
  return pick;
}

/** Reads the settings of one environment (`--env`, else `default_envs`, else the first). */
export function readPlatformioSettings(doc: IniDocument, ctx: IniContext, requestedEnv?: string): PlatformioSettings {
  const env = selectEnv(doc, ctx, requestedEnv);
  const section = `env:${env}`;
  const opt = (name: string): string | undefined => {
    const v = getOption(doc, ctx, section, name)?.trim();
    return v === undefined || v === '' ? undefined : v;
  };
  const flashText = opt('board_upload.flash_size');
  let flashSize: number | undefined;
  if (flashText !== undefined) {
    flashSize = parseFlashSize(flashText);
    if (flashSize === undefined) {
      throw new UserError('ini.bad-value', `board_upload.flash_size = ${flashText} in [${section}] is not a size`, 'write it like 4MB or 16MB');
    }
  }
  const s: PlatformioSettings = {
    env,
    envs: envNames(doc),
    dataDir: resolveDir(ctx, getOption(doc, ctx, 'platformio', 'data_dir')!),
    buildRoot: resolveDir(ctx, getOption(doc, ctx, 'platformio', 'build_dir')!),
    filesystem: (opt('board_build.filesystem') ?? 'spiffs').toLowerCase(),
  };
  const set = <K extends keyof PlatformioSettings>(k: K, v: PlatformioSettings[K] | undefined) => { if (v !== undefined) s[k] = v; };
  // platform-espressif32's arduino.py: build.partitions wins over build.arduino.partitions.
  set('partitions', opt('board_build.partitions') ?? opt('board_build.arduino.partitions'));
  set('uploadPort', opt('upload_port'));
  set('uploadSpeed', opt('upload_speed'));
  set('monitorSpeed', opt('monitor_speed'));
  set('flashSize', flashSize);
  set('board', opt('board'));
  return s;
}
