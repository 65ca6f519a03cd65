/**
 * The monitor-session options `monitor` and `flash --monitor` share: declared once here
 * (`addSessionOptions`, all that --help loads) and checked once (monitor-session-flags.ts)
 * before any port is touched, so a bad `--until` fails `flash --monitor` before it flashes.
 */
import type { Command } from 'commander';
import { durationHelp } from './duration.js';

/** `monitor_speed`'s default in PlatformIO, and the firmware's `Serial.begin` rate. */
export const DEFAULT_MONITOR_BAUD = 115200;

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
