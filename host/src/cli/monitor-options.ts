/**
 * The monitor-session options `monitor` and `flash --monitor` share: defined once here
 * (`addSessionOptions`) and checked once (`parseSessionFlags`) before any port is touched, so a
 * bad `--until` fails `flash --monitor` before it flashes.
 */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { UserError } from '../errors.js';
import { exitCodes } from '../flasher/exit-codes.js';
import { findAddr2line } from '../monitor/toolchain.js';
import { durationHelp, parseDuration } from './duration.js';

/** The session options as commander hands them over. */
export interface SessionFlags {
  timestamps?: boolean;
  log?: string;
  elf?: string;
  addr2line?: string;
  until?: string;
  timeout?: string;
  /** `--no-reconnect` sets it false; commander defaults it to true. */
  reconnect?: boolean;
  openPortAttempts?: string;
}

/** The session options, checked. */
export interface SessionSettings {
  timestamps: boolean;
  log?: string;
  /** ELF for backtrace decoding (exists), and the addr2line to decode with (`--addr2line`, else the toolchain's when there is an ELF; undefined: none found). */
  elf?: string;
  addr2line?: string;
  until?: RegExp;
  timeoutMs?: number;
  reconnect: boolean;
  /** Opens to try before giving up; 0 = until the port appears (or quit / `--timeout`). */
  openPortAttempts: number;
}

export function parseUntil(text: string): RegExp {
  try {
    return new RegExp(text);
  } catch (e) {
    throw new UserError('monitor.bad-regex', `--until "${text}" is not a regular expression: ${(e as Error).message}`, 'quote it for the shell, e.g. --until "HTTP server started"', exitCodes.usage);
  }
}

/** Parses `--open-port-attempts`: a whole number, 0 = forever (as esp-idf-monitor). */
export function parseOpenPortAttempts(text: string | undefined): number {
  if (text === undefined) return 1;
  const n = /^\d+$/.test(text.trim()) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(n)) {
    throw new UserError('monitor.bad-open-port-attempts', `--open-port-attempts "${text}" is not a whole number`, 'use e.g. --open-port-attempts 10, or 0 to wait until the port appears', exitCodes.usage);
  }
  return n;
}

/** Checks the session flags; the addr2line is looked up only when there is an ELF to decode with. */
export function parseSessionFlags(flags: SessionFlags): SessionSettings {
  const until = flags.until !== undefined ? parseUntil(flags.until) : undefined;
  const timeoutMs = flags.timeout !== undefined ? parseDuration(flags.timeout, '--timeout', 'monitor.bad-timeout') : undefined;
  const openPortAttempts = parseOpenPortAttempts(flags.openPortAttempts);
  if (flags.elf !== undefined && !existsSync(flags.elf)) {
    throw new UserError('monitor.elf-missing', `--elf ${flags.elf} does not exist`, 'build the firmware first (pio run) or point --elf at firmware.elf', exitCodes.usage);
  }
  const addr2line = flags.addr2line ?? (flags.elf !== undefined ? findAddr2line() : undefined);
  return {
    timestamps: flags.timestamps === true,
    reconnect: flags.reconnect !== false,
    openPortAttempts,
    ...(flags.log !== undefined ? { log: flags.log } : {}),
    ...(flags.elf !== undefined ? { elf: flags.elf } : {}),
    ...(addr2line !== undefined ? { addr2line } : {}),
    ...(until ? { until } : {}),
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
  };
}

/**
 * Uses the build folder's ELF when none was named and a toolchain can decode with it (without
 * a toolchain it would only cause a warning).
 */
export function withImplicitElf(s: SessionSettings, elfDefault: string | undefined): SessionSettings {
  if (s.elf !== undefined || elfDefault === undefined || !existsSync(elfDefault)) return s;
  const addr2line = s.addr2line ?? findAddr2line();
  return addr2line === undefined ? s : { ...s, elf: elfDefault, addr2line };
}

/** The session flags given on the command line (for `flash` without `--monitor`). */
export function givenSessionFlags(flags: SessionFlags): string[] {
  const names: Array<[keyof SessionFlags, string]> = [
    ['timestamps', '--timestamps'], ['log', '--log'], ['elf', '--elf'], ['addr2line', '--addr2line'],
    ['until', '--until'], ['timeout', '--timeout'], ['openPortAttempts', '--open-port-attempts'],
  ];
  const given = names.filter(([k]) => flags[k] !== undefined).map(([, flag]) => flag);
  return flags.reconnect === false ? [...given, '--no-reconnect'] : given;
}

/**
 * Adds the session options. `flash` words them for `--monitor` (the session starts after the
 * flash, so `--timeout` counts from there).
 */
export function addSessionOptions(cmd: Command, context: 'monitor' | 'flash'): Command {
  const after = context === 'flash' ? 'with --monitor: ' : '';
  const start = context === 'flash' ? 'the monitor starts' : 'the start';
  return cmd
    .option('--timestamps', `${after}prefix each line with the wall-clock time (Ctrl+T i toggles)`)
    .option('--log <file>', `${after}also write every line, time-stamped, to FILE (Ctrl+T l toggles)`)
    .option('--elf <file>', `${after}firmware ELF for decoding panic backtraces (default: firmware.elf of the build folder, if present and a toolchain is found)`)
    .option('--addr2line <path>', `${after}addr2line to decode with (default: the ESP32 toolchain on PATH or in PlatformIO's packages)`)
    .option('--until <regex>', `${after}exit 0 as soon as a line matches`)
    .option('--timeout <duration>', `${after}give up this long after ${start}, ${durationHelp}; exit 1 (exit 3 if the port was still not open)`)
    .option('--open-port-attempts <n>', `${after}tries to open a port that is not there yet (USB re-enumeration, board not plugged in, server not listening), one every 0.5 s; 0 = until it appears (default 1); exit 3 when it never does`)
    .option('--no-reconnect', `${after}exit (code 5) when the port drops instead of waiting for it to come back`);
}
