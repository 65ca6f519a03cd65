/**
 * What the host build reads from a PlatformIO project: the env, `src_dir` and `include_dir`,
 * and the env's `build_flags` / `build_src_flags` / `build_unflags` with `${sysenv.NAME}`
 * expanded and the `PLATFORMIO_BUILD_*` variables appended, as PlatformIO does.
 */
import { readFile } from 'node:fs/promises';
import { isAbsolute, join, normalize, resolve } from 'node:path';
import { UserError } from '../../errors.js';
import { getOption, parseIni, selectEnv, splitMultiValue, type IniContext, type IniDocument } from '../../formats/platformio-ini.js';
import { parseBuildFlags, type Flag } from './flags.js';

/**
 * Stand-ins for the Wi-Fi credentials when the environment has none: the shipped sketch stops
 * its build with `#error` without them, and the emulator's Wi-Fi joins whatever it is given.
 * They only reach the build through `${sysenv.WIFI_SSID}` / `${sysenv.WIFI_PASSWORD}` in
 * build_flags; no macro is added to a project that does not ask for one.
 */
export const CREDENTIAL_STAND_INS: Readonly<Record<string, string>> = {
  WIFI_SSID: 'esp-sse-emulator',
  WIFI_PASSWORD: 'emulator',
};

export interface SketchProject {
  /** Absolute project folder. */
  projectDir: string;
  env: string;
  /** Absolute `src_dir`. */
  srcDir: string;
  /** Absolute `include_dir` (it may not exist). */
  includeDir: string;
  /** Absolute `lib_dir`: the project's private libraries, which the emulator does not build. */
  libDir: string;
  /** `build_flags` (env, its `extends`, else `[env]`) + `PLATFORMIO_BUILD_FLAGS`. */
  buildFlags: Flag[];
  /** `build_src_flags` (old name `src_build_flags`) + `PLATFORMIO_BUILD_SRC_FLAGS`. */
  sourceFlags: Flag[];
  /** `build_unflags` + `PLATFORMIO_BUILD_UNFLAGS`. */
  unflags: Flag[];
  /** Words of those options the emulator leaves out. */
  dropped: string[];
  /** Variables whose stand-in value went into the flags (e.g. `WIFI_SSID`). */
  standIns: string[];
}

function projectMissing(dir: string, why: string): UserError {
  return new UserError('emulate.project-missing', `${dir} is not a PlatformIO project: ${why}`,
    'pass --project DIR, the folder that holds platformio.ini');
}

async function readIni(projectDir: string): Promise<IniDocument> {
  const iniPath = join(projectDir, 'platformio.ini');
  let text: string;
  try {
    text = await readFile(iniPath, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw projectMissing(projectDir, 'it has no platformio.ini');
    if (code === 'EISDIR') throw projectMissing(projectDir, 'its platformio.ini is a folder');
    throw new UserError('project.unreadable', `cannot read ${iniPath}: ${(e as Error).message}`, 'check its permissions', 2, { cause: e });
  }
  return parseIni(text, iniPath);
}

function resolveDir(ctx: IniContext, dir: string): string {
  const home = ctx.vars.HOME ?? ctx.vars.USERPROFILE;
  const d = home !== undefined && (dir === '~' || dir.startsWith('~/')) ? join(home, dir.slice(1)) : dir;
  return normalize(isAbsolute(d) ? d : join(ctx.projectDir, d));
}

/** Reads the project for the host build; `environment` gives `${sysenv.X}` and `PLATFORMIO_*`. */
export async function readSketchProject(projectDir: string, env: string | undefined, environment: NodeJS.ProcessEnv): Promise<SketchProject> {
  const dir = resolve(projectDir);
  const doc = await readIni(dir);
  const standIns = Object.keys(CREDENTIAL_STAND_INS).filter((k) => !environment[k]);
  const vars: Record<string, string | undefined> = { ...environment };
  for (const k of standIns) vars[k] = CREDENTIAL_STAND_INS[k];
  const ctx: IniContext = { vars, projectDir: dir };
  const chosen = selectEnv(doc, ctx, env);
  const section = `env:${chosen}`;
  const dropped: string[] = [];
  const option = (names: string[], envVar: string): Flag[] => {
    let items: string[] = [];
    for (const name of names) {
      const raw = getOption(doc, ctx, section, name);
      if (raw === undefined) continue;
      items = splitMultiValue(raw);
      break;
    }
    const extra = environment[envVar];
    if (extra) items.push(...splitMultiValue(extra));
    const parsed = parseBuildFlags(items, names[0]);
    dropped.push(...parsed.dropped);
    return parsed.flags;
  };
  const buildFlags = option(['build_flags'], 'PLATFORMIO_BUILD_FLAGS');
  const sourceFlags = option(['build_src_flags', 'src_build_flags'], 'PLATFORMIO_BUILD_SRC_FLAGS');
  const unflags = option(['build_unflags'], 'PLATFORMIO_BUILD_UNFLAGS');
  return {
    projectDir: dir,
    env: chosen,
    srcDir: resolveDir(ctx, getOption(doc, ctx, 'platformio', 'src_dir')!),
    includeDir: resolveDir(ctx, getOption(doc, ctx, 'platformio', 'include_dir')!),
    libDir: resolveDir(ctx, getOption(doc, ctx, 'platformio', 'lib_dir')!),
    buildFlags,
    sourceFlags,
    unflags,
    dropped,
    // Reported only when the stand-in reached a macro (the project asked for the variable).
    standIns: standIns.filter((k) => [...buildFlags, ...sourceFlags].some((f) => f.kind === 'define' && f.args[0]!.includes(CREDENTIAL_STAND_INS[k]!))),
  };
}
