/**
 * `--fs-type`: the filesystem a command builds or reads, defined once for every command that
 * takes it. Default: `board_build.filesystem` of the project, else spiffs.
 */
import type { Command } from 'commander';
import { FS_TYPES, parseFsType, type FsType } from '../formats/fs-type.js';

export interface FsTypeFlags {
  fsType?: string;
}

/** Adds `--fs-type <spiffs|littlefs>`; `what` says what it applies to and what the default is. */
export function addFsTypeOption(cmd: Command, what: string): Command {
  return cmd.option(`--fs-type <${FS_TYPES.join('|')}>`, what);
}

/** The flag's type, else the project's `board_build.filesystem` (spiffs when platformio.ini has none). */
export function projectFsType(flags: FsTypeFlags, project: { filesystem: string; iniPath: string; iniFound: boolean }): FsType {
  if (flags.fsType !== undefined) return parseFsType(flags.fsType, '--fs-type');
  return parseFsType(project.filesystem, 'board_build.filesystem', project.iniFound ? project.iniPath : undefined);
}
