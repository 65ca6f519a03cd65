/**
 * Text helpers that reproduce the C/Arduino functions ESPAsyncWebServer relies on:
 * `String::trim`, its `urlDecode`, newlib `atoi` and `strtoul` on a 32-bit `long`.
 * Strings here hold bytes as latin1 characters (one char per byte), as the C strings do.
 */
import type { WireProfile } from './http-profiles.js';

const INT32_MAX = 2147483647;
const INT32_MIN = -2147483648;
const UINT32_MAX = 4294967295;

/** C `isspace`: space, \t, \n, \v, \f, \r. */
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/** Arduino `String::trim()`: strips `isspace` characters at both ends. */
export function trimArduino(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isSpace(s.charCodeAt(a))) a++;
  while (b > a && isSpace(s.charCodeAt(b - 1))) b--;
  return s.slice(a, b);
}

/**
 * The library's `urlDecode`: `%` followed by at least two characters is replaced by the
 * `strtol(…, 16)` value of those two (invalid digits stop the number, so `%zz` gives NUL);
 * `+` becomes a space.
 */
export function decodeUrl(s: string): string {
  if (!s.includes('%') && !s.includes('+')) return s;
  let out = '';
  let i = 0;
  while (i < s.length) {
    const c = s[i++] as string;
    if (c === '%' && i + 1 < s.length) {
      let v = 0;
      for (const h of s.slice(i, i + 2)) {
        const d = Number.parseInt(h, 16);
        if (Number.isNaN(d)) break;
        v = v * 16 + d;
      }
      i += 2;
      out += String.fromCharCode(v);
    } else {
      out += c === '+' ? ' ' : c;
    }
  }
  return out;
}

/** Leading whitespace, an optional sign and decimal digits, as strtol/strtoul scan them. */
function scanDecimal(s: string): { negative: boolean; digits: string } {
  let i = 0;
  while (i < s.length && isSpace(s.charCodeAt(i))) i++;
  let negative = false;
  if (s[i] === '+' || s[i] === '-') negative = s[i++] === '-';
  const m = /^[0-9]*/.exec(s.slice(i));
  return { negative, digits: m ? m[0] : '' };
}

/** newlib `atoi` = `(int)strtol(s, NULL, 10)` with a 32-bit long: clamps to the int32 range. */
export function cAtoi(s: string): number {
  const { negative, digits } = scanDecimal(s);
  if (digits === '') return 0;
  const v = BigInt(digits) * (negative ? -1n : 1n);
  if (v > BigInt(INT32_MAX)) return INT32_MAX;
  if (v < BigInt(INT32_MIN)) return INT32_MIN;
  return Number(v);
}

/** `strtoul(s, NULL, 10)` with a 32-bit unsigned long: overflow → ULONG_MAX; `-n` → 2^32 − n. */
export function cStrtoul(s: string): number {
  const { negative, digits } = scanDecimal(s);
  if (digits === '') return 0;
  const v = BigInt(digits);
  if (v > BigInt(UINT32_MAX)) return UINT32_MAX;
  return negative ? Number((-v) & BigInt(UINT32_MAX)) : Number(v);
}

/**
 * `client->lastId()` for a Last-Event-ID header value (already extracted the profile's way):
 * 1.2.4 stores `atoi(value)` in a uint32_t; fork 3.12.0 uses `strtoul` (wire doc §3).
 */
export function parseLastEventId(profile: WireProfile, value: string): number {
  return profile.lastEventId === 'atoi' ? cAtoi(value) >>> 0 : cStrtoul(value);
}
