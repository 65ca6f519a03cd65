import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { DEFAULT_TABLE } from '../formats/partition-builtin.js';
import type { PartitionEntry } from '../formats/partition-types.js';
import { parseIni, readPlatformioSettings } from '../formats/platformio-ini.js';
import { resolvePartitionTable } from './partition-table.js';

/** PlatformIO's esp32dev board: 4 MB flash (`board_upload.flash_size` overrides). */
export const DEFAULT_FLASH_SIZE = 0x400000;

/**
 * The project settings every command starts from: `platformio.ini` of `projectDir` for one
 * environment, or PlatformIO's defaults when there is no `platformio.ini`. Flags and
 * environment variables are applied by the commands on top (flag > env var > ini > default;
 * docs/architecture.md §7).
 */
export interface ProjectSettings {
  /** Absolute project folder. */
  projectDir: string;
  iniPath: string;
  /** Whether `platformio.ini` exists; when false every value below is a default. */
  iniFound: boolean;
  /** The selected `[env:NAME]`, when the ini has one. */
  env?: string;
  /** Absolute `data_dir` (default `<project>/data`). */
  dataDir: string;
  /** Absolute build output of the env: `<build_dir>/<env>` (default `.pio/build/<env>`). */
  buildDir: string;
  /** `board_build.filesystem` (default spiffs). */
  filesystem: string;
  /** `board_build.partitions` (default the Arduino core's `default.csv`). */
  partitions: string;
  /** `board_upload.flash_size` in bytes (default 4 MB). */
  flashSize: number;
  /** `upload_port` / `upload_speed` of the env, as written. */
  upload: { uploadPort?: string; uploadSpeed?: string };
  /** `monitor_speed` as written. */
  monitorSpeed?: string;
  /** The partition table `partitions` names, read and validated against `flashSize`. */
  partitionTable(): Promise<PartitionEntry[]>;
}

/**
 * Reads `platformio.ini` in `projectDir` (default the current folder) for `env` (default:
 * `default_envs`, else the first env). A missing file gives PlatformIO's defaults, unless an
 * env was asked for (`project.no-ini`). `vars` are the environment variables
 * (`${sysenv.X}`, `PLATFORMIO_*_DIR`).
 */
export async function loadProjectSettings(projectDir = '.', env?: string, vars: Readonly<Record<string, string | undefined>> = process.env): Promise<ProjectSettings> {
  const dir = resolve(projectDir);
  const iniPath = join(dir, 'platformio.ini');
  let text: string | undefined;
  try {
    text = await readFile(iniPath, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') {
      throw new UserError('project.unreadable', `cannot read ${iniPath}: ${(e as Error).message}`, 'check its permissions', 2, { cause: e });
    }
  }
  const make = (s: Omit<ProjectSettings, 'partitionTable' | 'projectDir' | 'iniPath'>): ProjectSettings => ({
    projectDir: dir,
    iniPath,
    ...s,
    partitionTable: async () => (await resolvePartitionTable(s.partitions, dir, s.flashSize)).entries,
  });
  if (text === undefined) {
    if (env !== undefined) {
      throw new UserError('project.no-ini', `--env ${env} was given but ${iniPath} does not exist`, 'run in the PlatformIO project folder or pass --project DIR');
    }
    const workspace = vars.PLATFORMIO_WORKSPACE_DIR ? resolve(dir, vars.PLATFORMIO_WORKSPACE_DIR) : join(dir, '.pio');
    return make({
      iniFound: false,
      dataDir: vars.PLATFORMIO_DATA_DIR ? resolve(dir, vars.PLATFORMIO_DATA_DIR) : join(dir, 'data'),
      buildDir: vars.PLATFORMIO_BUILD_DIR ? resolve(dir, vars.PLATFORMIO_BUILD_DIR) : join(workspace, 'build'),
      filesystem: 'spiffs',
      partitions: DEFAULT_TABLE,
      flashSize: DEFAULT_FLASH_SIZE,
      upload: {},
    });
  }
  const ini = readPlatformioSettings(parseIni(text, iniPath), { vars, projectDir: dir }, env);
  return make({
    iniFound: true,
    env: ini.env,
    dataDir: ini.dataDir,
    buildDir: join(ini.buildRoot, ini.env),
    filesystem: ini.filesystem,
    partitions: ini.partitions ?? DEFAULT_TABLE,
    flashSize: ini.flashSize ?? DEFAULT_FLASH_SIZE,
    upload: {
      ...(ini.uploadPort !== undefined ? { uploadPort: ini.uploadPort } : {}),
      ...(ini.uploadSpeed !== undefined ? { uploadSpeed: ini.uploadSpeed } : {}),
    },
    ...(ini.monitorSpeed !== undefined ? { monitorSpeed: ini.monitorSpeed } : {}),
  });
}
