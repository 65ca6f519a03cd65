/**
 * Checks the monitor-session options (monitor-options.ts declares them): `--until`, `--timeout`,
 * `--open-port-attempts`, `--elf`, and finds the addr2line to decode backtraces with.
 */
import { existsSync } from 'node:fs';
import { exitCodes, UserError } from '../errors.js';
import { findAddr2line } from '../monitor/toolchain.js';
import { parseDuration } from './duration.js';
import type { SessionFlags, SessionSettings } from './monitor-options.js';

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

