import { mdns } from '../contract/board.js';

/** One board found by `discover`: what its mDNS records say about it. */
export interface DiscoveredBoard {
  /** Service instance name (`esp-sse` for `esp-sse._http._tcp.local`), as it came on the wire. */
  name: string;
  /** SRV target, e.g. `esp-sse.local`. Empty until the SRV record arrived. */
  host: string;
  /** IPv4/IPv6 addresses of the host (A/AAAA, else the packet's source address). */
  addresses: string[];
  /** TCP port from the SRV record (0 when unknown). */
  port: number;
  /** TXT items as key → value (a key without `=` maps to ''). */
  txt: Record<string, string>;
  /** Firmware version from TXT `version`, if published. */
  version?: string;
  /** True when TXT `fw` marks the device as an esp-sse board. */
  espSse: boolean;
}

/** The DNS-SD service type the firmware registers, fully qualified: `_http._tcp.local`. */
export const serviceType = `${mdns.service}.local`;

/** True when the TXT items carry the esp-sse marker the firmware publishes (contract `mdns.txt.fw`). */
export function isEspSse(txt: Record<string, string>): boolean {
  return txt.fw === mdns.txt.fw;
}

/** `http://<address>:<port>/` for a board, preferring IPv4. */
export function boardUrl(board: DiscoveredBoard): string | undefined {
  const v4 = board.addresses.find((a) => !a.includes(':'));
  const addr = v4 ?? board.addresses[0];
  if (!addr || !board.port) return undefined;
  const host = addr.includes(':') ? `[${addr}]` : addr;
  return `http://${host}:${board.port}/`;
}
