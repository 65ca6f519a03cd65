/** A wall clock; injected so tests are deterministic. */
export type Clock = () => Date;

const p2 = (n: number) => String(n).padStart(2, '0');

/**
 * Wall-clock stamp in local time with milliseconds: `2026-11-25 13:40:01.123` (the
 * esp-idf-monitor default `%Y-%m-%d %H:%M:%S`, plus milliseconds as PlatformIO's `time` filter).
 */
export function formatTimestamp(d: Date): string {
  const date = `${d.getFullYear()}-${p2(d.getMonth() + 1)}-${p2(d.getDate())}`;
  const time = `${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`;
  return `${date} ${time}`;
}
