import makeMdns from 'multicast-dns';
import type { Question } from 'dns-packet';
import { UserError, type WarnFn } from '../errors.js';
import { BoardCollector } from './collect.js';
import { serviceType, type DiscoveredBoard } from './board.js';
import { resolveInterface } from './interface.js';

/** Options of {@link discoverBoards}. */
export interface DiscoverOptions {
  /** How long to listen, in ms (default 3000, as ESPmDNS's own `queryService`). */
  timeoutMs?: number;
  /**
   * Interface to query on: an IPv4 address or a name. When unset the kernel's multicast route
   * decides (multicast-dns defaults), which on a LAN host means the default network card.
   */
  interface?: string;
  /** List every `_http._tcp` device, not only esp-sse boards. */
  all?: boolean;
  /** Stop as soon as a board with this instance name (case-insensitive) is complete. */
  name?: string;
  /** Interval between repeated queries, ms (RFC 6762 §5.2: at least 1 s). */
  resendMs?: number;
  /** Called for undecodable packets and socket warnings. */
  onWarning?: WarnFn;
}

function complete(b: DiscoveredBoard): boolean {
  return b.port > 0 && b.addresses.length > 0;
}

/**
 * Browses `_http._tcp.local` over mDNS and returns the boards found within the timeout
 * (mdns.md §4): one QM query with no known answers, repeated every second, follow-up SRV/TXT/A
 * questions for incomplete instances, unsolicited announcements and goodbyes honoured.
 */
export async function discoverBoards(options: DiscoverOptions = {}): Promise<DiscoveredBoard[]> {
  const timeoutMs = options.timeoutMs ?? 3000;
  const resendMs = options.resendMs ?? 1000;
  const warn: WarnFn = options.onWarning ?? (() => {});
  const iface = options.interface !== undefined ? resolveInterface(options.interface) : undefined;
  // Pinned sockets must bind the wildcard or they never see the group (multicast-dns#53).
  const mdns = makeMdns(iface ? { interface: iface, bind: '0.0.0.0' } : {});
  const collector = new BoardCollector(serviceType);
  const wanted = options.name?.toLowerCase();

  const pick = () =>
    collector
      .boards()
      .filter((b) => (options.all || b.espSse) && complete(b))
      .filter((b) => !wanted || b.name.toLowerCase() === wanted)
      .sort((a, b) => a.name.localeCompare(b.name));

  return await new Promise<DiscoveredBoard[]>((resolve, reject) => {
    let done = false;
    const timers: NodeJS.Timeout[] = [];
    const finish = (err?: unknown) => {
      if (done) return;
      done = true;
      timers.forEach(clearTimeout);
      clearInterval(resend);
      mdns.destroy(() => (err ? reject(err) : resolve(pick())));
    };
    const send = (questions: Question[]) => {
      if (done || questions.length === 0) return;
      mdns.query({ questions }, (err) => {
        if (err) warn('discover.send-failed', `mDNS query not sent: ${err.message}`);
      });
    };
    mdns.on('error', (err: NodeJS.ErrnoException) => {
      finish(
        new UserError('discover.socket', `cannot open the mDNS socket: ${err.message}`, 'check --interface, or that UDP port 5353 is usable', 2, { cause: err }),
      );
    });
    mdns.on('warning', (err: Error) => warn('discover.warning', err.message));
    let followUp: NodeJS.Timeout | undefined;
    mdns.on('response', (packet, rinfo) => {
      collector.push(packet, rinfo.address);
      if (wanted && pick().length > 0) return finish();
      // Ask once for what is still missing, after the burst of packets settles.
      if (!followUp) {
        followUp = setTimeout(() => {
          followUp = undefined;
          send(collector.missing());
        }, 50);
        timers.push(followUp);
      }
    });
    const ask = () => send([{ name: serviceType, type: 'PTR' }]);
    mdns.on('ready', ask);
    const resend = setInterval(() => {
      ask();
      send(collector.missing());
    }, resendMs);
    timers.push(setTimeout(() => finish(), timeoutMs));
  });
}
