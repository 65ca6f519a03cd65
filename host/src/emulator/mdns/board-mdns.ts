import { mdns as contract, serial as serialContract } from '../../contract/board.js';
import type { WarnFn } from '../../errors.js';
import { advertisedAddress, isLoopbackIPv4 } from './address.js';
import { startMdnsAdvertiser, type MdnsAdvertiser } from './advertiser.js';

/** mDNS settings of the emulator (`esp-sse emulate --mdns`, `startEmulator({ mdns })`). */
export interface EmulatorMdnsOptions {
  /** Host name without `.local`; default the firmware's (contract `mdns.hostname`, `esp-sse`). */
  hostname?: string;
  /** Service instance name; ESPmDNS defaults it to the host name. */
  instance?: string;
  /** Delay before the first announcement (ESP-IDF probes for about 750 ms first). */
  announceDelayMs?: number;
  onWarning?: WarnFn;
}

/** What a sketch asked for: `MDNS.begin(hostname)` and the TXT items of its `_http._tcp` service. */
export interface SketchMdns {
  readonly hostname: string;
  readonly txt: Readonly<Record<string, string>>;
}

/** What the board needs: a `startMdns` hook for `setup()` and a power-off that says goodbye. */
export interface BoardMdns {
  /**
   * `MDNS.begin()` + `addService` + TXT; resolves with the host name, or undefined when the
   * socket failed. Without `sketch`, the shipped firmware's identity, and a failure prints the
   * firmware's error line (the TypeScript model); with it (a compiled sketch, which prints its
   * own lines), that identity and nothing printed. Called again, it replaces the advertiser.
   */
  start(sketch?: SketchMdns): Promise<string | undefined>;
  /** Sends the goodbye (TTL 0) and closes the socket; idempotent. */
  close(): Promise<void>;
}

const bare = (host: string): string => host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');

/** True for a loopback host: 127.0.0.0/8, ::1, `localhost`. */
export function isLoopbackHost(host: string): boolean {
  const h = bare(host);
  return h === 'localhost' || h === '::1' || isLoopbackIPv4(h);
}

/**
 * Whether the emulator advertises when nothing asks either way: yes, except for HTTP on `::1`
 * (A records are IPv4, and 127.0.0.1 would not reach a server on ::1). On an IPv4 loopback host
 * it answers on loopback only (mdns.md §3.1), elsewhere on the interface HTTP is served on.
 */
export function mdnsByDefault(host: string): boolean {
  return bare(host) !== '::1';
}

/**
 * The emulator's mDNS, with the firmware's lifecycle: every boot runs `MDNS.begin()` again (a
 * reset drops the old responder without a goodbye, as a rebooting board does), and power-off
 * sends the goodbye. The advertiser answers on the interface HTTP is served on, so the A record
 * is that address and nothing goes out of any other interface (on a loopback host: loopback
 * only). A socket that cannot be opened is what `MDNS.begin()` failing is on the board: the
 * sketch prints its error line and serves HTTP anyway; on loopback it is the host's problem,
 * not the board's: one `emulate.mdns-loopback` warning, and the sketch goes on as on the board.
 */
export function createBoardMdns(o: {
  host: string;
  port: () => number;
  print: (text: string) => void;
  options?: EmulatorMdnsOptions;
  /** The emulator's warnings, used when `options.onWarning` is not given. */
  warn?: WarnFn;
}): BoardMdns {
  const opts = o.options ?? {};
  const warn: WarnFn = opts.onWarning ?? o.warn ?? (() => {});
  // HTTP on IPv4 loopback: the responder answers on loopback only (::1 has no A record to publish).
  const loopback = isLoopbackHost(o.host) && bare(o.host) !== '::1';
  let loopbackWarned = false;
  // --mdns-name wins over the sketch's MDNS.begin() name, which wins over the firmware's.
  const nameFor = (sketch?: SketchMdns): string => opts.hostname ?? sketch?.hostname ?? contract.hostname;
  let current: MdnsAdvertiser | undefined;
  let closed = false;
  return {
    async start(sketch) {
      const previous = current;
      current = undefined;
      await previous?.close({ goodbye: false });
      if (closed) return undefined;
      try {
        const address = advertisedAddress(o.host);
        current = await startMdnsAdvertiser({
          identity: {
            hostname: nameFor(sketch),
            ...(opts.instance ? { instance: opts.instance } : {}),
            address,
            port: o.port,
            txt: sketch ? { ...sketch.txt } : contract.txt,
          },
          interfaceAddress: address,
          ...(opts.announceDelayMs !== undefined ? { announceDelayMs: opts.announceDelayMs } : {}),
          onWarning: warn,
        });
      } catch (e) {
        if (loopback) {
          // A board's MDNS.begin() does not fail for want of this machine's loopback: the
          // sketch goes on as on the board; only discover on this machine misses it.
          if (!loopbackWarned) {
            loopbackWarned = true;
            warn('emulate.mdns-loopback', `the emulator does not answer mDNS on loopback: ${(e as Error).message}`,
              'if another program holds UDP 5353 without sharing it (`ss -ulpn sport = :5353` names it), stop it; or pass --no-mdns');
          }
          return nameFor(sketch);
        }
        warn('emulate.mdns-socket', (e as Error).message);
        if (!sketch) o.print(`${serialContract.lines.mdnsError}\r\n`);
        return undefined;
      }
      return nameFor(sketch);
    },
    async close() {
      closed = true;
      const last = current;
      current = undefined;
      await last?.close();
    },
  };
}
