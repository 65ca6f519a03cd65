/**
 * esptool's `--port-filter TYPE=VALUE` (esptool v4.8+/v5): narrows the ports an automatic
 * choice considers. A port must match every TYPE given and, for each TYPE, at least one of
 * its VALUEs: `vid`/`pid` are USB IDs (0x hex or decimal), `name` and `serial` match when the
 * port's path / USB serial number contains the text. Pure; {@link PortEntry} comes from the lister.
 */
import { exitCodes, UserError } from '../errors.js';
import type { PortEntry } from './ports.js';

export interface PortFilter {
  readonly vid: readonly number[];
  readonly pid: readonly number[];
  readonly name: readonly string[];
  readonly serial: readonly string[];
}

const types = ['vid', 'pid', 'name', 'serial'] as const;
type FilterType = (typeof types)[number];
const hint = 'use TYPE=VALUE with TYPE vid, pid, name or serial, e.g. --port-filter vid=0x10c4 --port-filter serial=0001';

function parseUsbIdValue(text: string, spec: string): number {
  const n = /^0x[0-9a-f]+$/i.test(text) ? parseInt(text, 16) : /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(n) || n < 0 || n > 0xffff) {
    throw new UserError('port.bad-filter', `--port-filter ${spec}: "${text}" is not a USB ID (0x0000–0xffff)`, hint, exitCodes.usage);
  }
  return n;
}

/** Parses the repeated `--port-filter` values; a malformed one is a `port.bad-filter` usage error. */
export function parsePortFilters(specs: readonly string[]): PortFilter {
  const f: Record<FilterType, Array<number | string>> = { vid: [], pid: [], name: [], serial: [] };
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    const type = spec.slice(0, eq).trim().toLowerCase() as FilterType;
    const value = spec.slice(eq + 1).trim();
    if (eq < 0 || !types.includes(type)) throw new UserError('port.bad-filter', `--port-filter "${spec}": expected TYPE=VALUE`, hint, exitCodes.usage);
    if (value === '') throw new UserError('port.bad-filter', `--port-filter "${spec}": the value is empty`, hint, exitCodes.usage);
    f[type].push(type === 'vid' || type === 'pid' ? parseUsbIdValue(value, spec) : value);
  }
  return f as unknown as PortFilter;
}

export function matchesPortFilter(port: PortEntry, f: PortFilter): boolean {
  const any = <T>(values: readonly T[], test: (v: T) => boolean) => values.length === 0 || values.some(test);
  return any(f.vid, (v) => port.vendorId === v)
    && any(f.pid, (v) => port.productId === v)
    && any(f.name, (v) => port.path.includes(v))
    && any(f.serial, (v) => port.serialNumber?.includes(v) === true);
}

/** `vid=0x10c4 serial=0001`, for messages. */
export function describePortFilter(f: PortFilter): string {
  const hex = (n: number) => `0x${n.toString(16).padStart(4, '0')}`;
  return [
    ...f.vid.map((v) => `vid=${hex(v)}`),
    ...f.pid.map((v) => `pid=${hex(v)}`),
    ...f.name.map((v) => `name=${v}`),
    ...f.serial.map((v) => `serial=${v}`),
  ].join(' ');
}
