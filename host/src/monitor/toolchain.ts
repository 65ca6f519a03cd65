import { accessSync, constants, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

/**
 * addr2line names of ESP32 toolchains, newest first: the unified `xtensa-esp-elf` (ESP-IDF 5.2+,
 * arduino-esp32 3.x) and the per-chip `xtensa-esp32-elf` (older). RISC-V chips (C3/C6/H2) use
 * `riscv32-esp-elf`.
 */
export const addr2lineNames = ['xtensa-esp-elf-addr2line', 'xtensa-esp32-elf-addr2line', 'riscv32-esp-elf-addr2line'] as const;

/** PlatformIO package folders that hold those toolchains (`<core_dir>/packages/<name>/bin`). */
export const platformioToolchainPackages = ['toolchain-xtensa-esp-elf', 'toolchain-xtensa-esp32', 'toolchain-riscv32-esp'] as const;

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Where to look, injectable for tests. */
export interface ToolchainSearch {
  env?: NodeJS.ProcessEnv;
  home?: string;
}

/** Candidate addr2line paths in search order: `PATH` first, then PlatformIO's package folder. */
export function addr2lineCandidates(search: ToolchainSearch = {}): string[] {
  const env = search.env ?? process.env;
  const exe = process.platform === 'win32' ? '.exe' : '';
  const dirs = (env.PATH ?? '').split(delimiter).filter(Boolean);
  const coreDir = env.PLATFORMIO_CORE_DIR ?? join(search.home ?? homedir(), '.platformio');
  const pkgRoot = join(coreDir, 'packages');
  let pkgs: string[] = [];
  try {
    pkgs = readdirSync(pkgRoot);
  } catch {
    pkgs = [];
  }
  // `toolchain-xtensa-esp32@8.4.0…` style folders are versioned copies of the same package.
  const pioDirs = platformioToolchainPackages.flatMap((name) =>
    pkgs.filter((p) => p === name || p.startsWith(`${name}@`)).map((p) => join(pkgRoot, p, 'bin')),
  );
  return [...dirs, ...pioDirs].flatMap((d) => addr2lineNames.map((n) => join(d, n + exe)));
}

/** The first executable ESP32 addr2line found, or undefined. */
export function findAddr2line(search: ToolchainSearch = {}): string | undefined {
  return addr2lineCandidates(search).find(executable);
}
