import { UserError } from '../errors.js';
import { exitCodes } from '../errors.js';
import { parsePortFilters } from '../transport/port-filter.js';
import { chooseAutoPort, chooseFilteredPorts, type PortEntry } from '../transport/ports.js';
import { parseBaud } from './options.js';

/** Where the port and baud may come from, highest precedence first (docs/architecture.md §7). */
export interface TargetSources {
  flags: { port?: string[]; all?: boolean; baud?: string; portFilter?: string[] };
  env: Record<string, string | undefined>;
  /** `upload_port` / `upload_speed` of the selected platformio.ini env. */
  ini: { uploadPort?: string; uploadSpeed?: string };
  listPorts: () => Promise<PortEntry[]>;
}

export interface Targets {
  ports: string[];
  baud: number;
  /** Where the port came from, for messages: `--port`, `--port-filter`, `ESPTOOL_PORT`, `platformio.ini`, `auto`, `--all`. */
  portSource: string;
}

/** PlatformIO's esp32dev `upload_speed` default; esptool's is 115200. */
export const DEFAULT_BAUD = 460800;

/**
 * Port: `--port` (repeatable) > `--port-filter` (the one matching port; with `--all`, every
 * one) > `--all` > `ESPTOOL_PORT` > `upload_port` > the only known adapter.
 * Baud: `--baud` > `ESPTOOL_BAUD` > `upload_speed` > 460800.
 */
export async function resolveTargets(src: TargetSources, opts: { multi: boolean }): Promise<Targets> {
  const baud = src.flags.baud !== undefined ? parseBaud(src.flags.baud, '--baud')
    : src.env.ESPTOOL_BAUD ? parseBaud(src.env.ESPTOOL_BAUD, 'ESPTOOL_BAUD')
      : src.ini.uploadSpeed ? parseBaud(src.ini.uploadSpeed, 'upload_speed in platformio.ini')
        : DEFAULT_BAUD;
  const flagPorts = src.flags.port ?? [];
  if (flagPorts.length > 1 && !opts.multi) {
    throw new UserError('port.one-only', 'this command works on one board; --port was given more than once', 'pass a single --port', exitCodes.usage);
  }
  if (flagPorts.length > 0 && src.flags.all) {
    throw new UserError('port.all-and-port', '--all and --port cannot be combined', 'use one or the other', exitCodes.usage);
  }
  const filters = src.flags.portFilter ?? [];
  if (flagPorts.length > 0 && filters.length > 0) {
    throw new UserError('port.filter-and-port', '--port-filter and --port cannot be combined', '--port-filter chooses among the connected ports; drop it when naming the port', exitCodes.usage);
  }
  if (flagPorts.length > 0) return { ports: [...new Set(flagPorts)], baud, portSource: '--port' };
  if (filters.length > 0) {
    const filter = parsePortFilters(filters);
    const all = src.flags.all === true && opts.multi;
    return { ports: chooseFilteredPorts(await src.listPorts(), filter, all), baud, portSource: all ? '--all --port-filter' : '--port-filter' };
  }
  if (src.flags.all) {
    const known = (await src.listPorts()).filter((p) => p.likelyEsp32).map((p) => p.path);
    if (known.length === 0) {
      throw new UserError('port.none', 'no ESP32 USB-UART adapter found for --all', 'plug the boards in and check esp-sse ports', exitCodes.port);
    }
    return { ports: known, baud, portSource: '--all' };
  }
  if (src.env.ESPTOOL_PORT) return { ports: [src.env.ESPTOOL_PORT], baud, portSource: 'ESPTOOL_PORT' };
  if (src.ini.uploadPort) return { ports: [src.ini.uploadPort], baud, portSource: 'platformio.ini' };
  return { ports: [chooseAutoPort(await src.listPorts())], baud, portSource: 'auto' };
}
