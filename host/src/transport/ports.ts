import { exitCodes, UserError } from '../errors.js';
import { describePortFilter, matchesPortFilter, type PortFilter } from './port-filter.js';
import { lookupAdapter, parseUsbId } from './usb-adapters.js';

/** One serial port as `esp-sse ports` reports it. */
export interface PortEntry {
  path: string;
  vendorId?: number;
  productId?: number;
  serialNumber?: string;
  manufacturer?: string;
  /** Bridge chip name when the VID:PID is a known ESP32 USB-UART adapter. */
  adapter?: string;
  /** True when the VID:PID is in {@link knownAdapters}. */
  likelyEsp32: boolean;
}

/** The shape of node-serialport's `SerialPort.list()` entries (strings, hex IDs). */
export interface RawPortInfo {
  path: string;
  manufacturer?: string | undefined;
  serialNumber?: string | undefined;
  vendorId?: string | undefined;
  productId?: string | undefined;
}

/** Pure: turns raw listings into {@link PortEntry}s, known adapters first, then by path. */
export function describePorts(raw: readonly RawPortInfo[]): PortEntry[] {
  const entries = raw.map((p): PortEntry => {
    const vendorId = parseUsbId(p.vendorId);
    const productId = parseUsbId(p.productId);
    const known = lookupAdapter(vendorId, productId);
    const e: PortEntry = { path: p.path, likelyEsp32: known !== undefined };
    if (vendorId !== undefined) e.vendorId = vendorId;
    if (productId !== undefined) e.productId = productId;
    if (p.serialNumber) e.serialNumber = p.serialNumber;
    if (p.manufacturer) e.manufacturer = p.manufacturer;
    if (known) e.adapter = known.chip;
    return e;
  });
  return entries.sort((a, b) => Number(b.likelyEsp32) - Number(a.likelyEsp32) || a.path.localeCompare(b.path));
}

/**
 * Lists the machine's serial ports through node-serialport; on Linux, when its lister fails
 * (it needs `udevadm`, missing in containers), from sysfs instead.
 */
export async function listPorts(): Promise<PortEntry[]> {
  const { SerialPort } = await import('serialport');
  try {
    return describePorts(await SerialPort.list());
  } catch (e) {
    if (process.platform !== 'linux') {
      throw new UserError('ports.list-failed', `cannot list serial ports: ${(e as Error).message}`, 'name the port with --port', exitCodes.port, { cause: e });
    }
    const { listPortsSysfs } = await import('./ports-sysfs.js');
    return describePorts(await listPortsSysfs());
  }
}

/** `10c4:ea60` */
export function formatUsbId(e: PortEntry): string {
  if (e.vendorId === undefined || e.productId === undefined) return '-';
  return `${e.vendorId.toString(16).padStart(4, '0')}:${e.productId.toString(16).padStart(4, '0')}`;
}

/**
 * Pure: picks the one known ESP32 adapter among `ports`. None → `port.none`; several →
 * `port.ambiguous` listing them, so the user can pass `--port` (or `--all`).
 */
export function chooseAutoPort(ports: readonly PortEntry[]): string {
  const known = ports.filter((p) => p.likelyEsp32);
  if (known.length === 1) return known[0]!.path;
  if (known.length === 0) {
    const others = ports.map((p) => p.path).join(', ') || 'none';
    throw new UserError(
      'port.none',
      `no ESP32 USB-UART adapter found (serial ports present: ${others})`,
      'plug the board in, or name the port: --port /dev/ttyUSB0, --port rfc2217://host:port, or ESPTOOL_PORT',
      exitCodes.port,
    );
  }
  throw new UserError(
    'port.ambiguous',
    `several ESP32 adapters found:\n    ${known.map(portLabel).join('\n    ')}`,
    'choose one with --port PATH, or flash them all with --all',
    exitCodes.port,
  );
}

/** `/dev/ttyUSB0 (CP210x 10c4:ea60 SN 0001)`, for messages. */
function portLabel(p: PortEntry): string {
  return `${p.path} (${p.adapter ?? p.manufacturer ?? '?'} ${formatUsbId(p)}${p.serialNumber ? ` SN ${p.serialNumber}` : ''})`;
}

/**
 * Pure: the ports `--port-filter` selects, known adapter or not (esptool's rule). `all`: every
 * match (at least one); otherwise exactly one. None → `port.none`, several → `port.ambiguous`,
 * each listing what is there so the filter can be fixed.
 */
export function chooseFilteredPorts(ports: readonly PortEntry[], filter: PortFilter, all: boolean): string[] {
  const matched = ports.filter((p) => matchesPortFilter(p, filter));
  const what = `--port-filter ${describePortFilter(filter)}`;
  if (matched.length === 0) {
    throw new UserError('port.none', `no serial port matches ${what} (ports present: ${ports.map(portLabel).join(', ') || 'none'})`,
      'check the VID:PID and serial numbers with esp-sse ports, or name the port with --port', exitCodes.port);
  }
  if (matched.length > 1 && !all) {
    throw new UserError('port.ambiguous', `several serial ports match ${what}:\n    ${matched.map(portLabel).join('\n    ')}`,
      'narrow it (e.g. serial=…), name the port with --port, or use all of them with --all', exitCodes.port);
  }
  return matched.map((p) => p.path);
}
