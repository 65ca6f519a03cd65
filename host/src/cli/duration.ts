import { exitCodes, UserError } from '../errors.js';

/**
 * Durations on the command line, for every option that takes one (`--timeout`, `--window`,
 * `--discover-timeout`, `--boot-timeout`, …): a number with a unit, `500ms`, `15s`, `1.5s`,
 * `2m`, `1h`. A bare number is milliseconds only from 100 up: `--timeout 15` means 15 s to
 * timeout(1), curl and esptool, so it is refused with a hint to write the unit, while
 * `--timeout 1500` stays 1.5 s as it always was.
 */

/** Appended to each duration option's help. */
export const durationHelp = 'with a unit: 500ms, 15s, 2m (a bare number is milliseconds, at least 100)';

/** Below this a bare number is refused: it was more likely meant as seconds. */
export const BARE_MS_MIN = 100;

/** setTimeout's limit (2^31 - 1 ms, 24.8 days): a longer delay would fire at once. */
export const MAX_DURATION_MS = 0x7fff_ffff;

const unitMs: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Parses a duration into whole milliseconds (at least 1). Anything else is a usage error
 * (exit 2) with `code`, naming `flag` and an example with a unit.
 */
export function parseDuration(text: string, flag: string, code = 'cli.bad-duration'): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) {
    throw new UserError(code, `${flag} "${text}" is not a duration`, `write a number and a unit, e.g. ${flag} 15s, ${flag} 500ms or ${flag} 2m`, exitCodes.usage);
  }
  const n = Number(m[1]);
  if (m[2] === undefined && n < BARE_MS_MIN) {
    throw new UserError(code, `${flag} ${text}: a bare number is milliseconds, and ${text} ms is too short to be meant`,
      `write the unit: ${flag} ${m[1]}s (or ${flag} ${m[1]}ms)`, exitCodes.usage);
  }
  const ms = Math.round(n * unitMs[m[2] ?? 'ms']!);
  if (ms < 1) throw new UserError(code, `${flag} "${text}" is not a positive duration`, `e.g. ${flag} 15s`, exitCodes.usage);
  if (ms > MAX_DURATION_MS) throw new UserError(code, `${flag} "${text}" is longer than the 24-day limit`, `e.g. ${flag} 1h`, exitCodes.usage);
  return ms;
}

