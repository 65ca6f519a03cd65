import type { Question } from 'dns-packet';
import { UserError, type WarnFn } from '../errors.js';
import { BoardCollector, type ResponseLike } from './collect.js';
import { serviceType, type DiscoveredBoard } from './board.js';
import { resolveInterface } from './interface.js';
import { openBrowseQuerier, type QueryMode } from './querier.js';
import { limitWarnings, unrefSchedule } from '../warn-limit.js';

/** Options of {@link discoverBoards}. */
export interface DiscoverOptions {
  /** How long to listen, in ms (default 3000, as ESPmDNS's own `queryService`). */
  timeoutMs?: number;
  /**
   * Interface to query on: an IPv4 address or a name. When unset the kernel's multicast route
   * decides (multicast-dns defaults), which on a LAN host means the default network card, and
   * the same questions are also asked on loopback, where a default emulator on this machine
   * answers (nothing more leaves by the network card).
   */
  interface?: string;
  /** List every `_http._tcp` device, not only esp-sse boards. */
  all?: boolean;
  /** Stop as soon as a board with this instance name (case-insensitive) is complete. */
  name?: string;
  /** Interval between repeated queries, ms (RFC 6762 §5.2: at least 1 s). */
  resendMs?: number;
  /**
   * Called for undecodable packets, socket warnings and the one-shot fallback
   * (`discover.port-5353-busy`); rate-limited per code (the first at once, then at most one per
   * 10 s ending "(and N more like it)"; what is still suppressed is reported when the browse ends).
   */
  onWarning?: WarnFn;
}

function complete(b: DiscoveredBoard): boolean {
  return b.port > 0 && b.addresses.length > 0;
}

/** What {@link browseBoards} found, and how it asked. */
export interface BrowseResult {
  boards: DiscoveredBoard[];
  /**
   * `multicast` normally; `one-shot` when UDP 5353 could not be bound and only responders that
   * answer legacy unicast queries (ESP-IDF boards, avahi) could be heard (see {@link QueryMode}).
   */
  mode: QueryMode;
}

/**
 * Browses `_http._tcp.local` over mDNS and returns the boards found within the timeout
 * (mdns.md §4): one QM query with no known answers, repeated every second, follow-up SRV/TXT/A
 * questions for incomplete instances, unsolicited announcements and goodbyes honoured. Queries
 * from UDP 5353; when another program holds 5353 without sharing it, warns once
 * (`discover.port-5353-busy`) and queries from an ephemeral port, collecting the unicast answers
 * the same way. Without `interface`, also on loopback (`openBrowseQuerier`).
 */
export async function browseBoards(options: DiscoverOptions = {}): Promise<BrowseResult> {
  const timeoutMs = options.timeoutMs ?? 3000;
  const resendMs = options.resendMs ?? 1000;
  const warn = limitWarnings(options.onWarning ?? (() => {}), { schedule: unrefSchedule });
  const iface = options.interface !== undefined ? resolveInterface(options.interface) : undefined;
  const collector = new BoardCollector(serviceType);
  const wanted = options.name?.toLowerCase();

  const pick = () =>
    collector
      .boards()
      .filter((b) => (options.all || b.espSse) && complete(b))
      .filter((b) => !wanted || b.name.toLowerCase() === wanted)
      .sort((a, b) => a.name.localeCompare(b.name));

  const socketError = (err: NodeJS.ErrnoException) =>
    new UserError('discover.socket', `cannot open the mDNS socket: ${err.message}`, 'check --interface, or that UDP port 5353 is usable', 2, { cause: err });

  // Events may arrive before the querier is returned; they are routed through these.
  let onResponse: (response: ResponseLike, source: string) => void = () => {};
  let onError: (err: NodeJS.ErrnoException) => void = () => {};
  const q = await openBrowseQuerier(iface, {
    onResponse: (response, source) => onResponse(response, source),
    onWarning: warn,
    onError: (err) => onError(err),
  }).catch((e: NodeJS.ErrnoException) => {
    warn.flush();
    throw socketError(e);
  });

  const boards = await new Promise<DiscoveredBoard[]>((resolve, reject) => {
    let done = false;
    const timers: NodeJS.Timeout[] = [];
    const finish = (err?: unknown) => {
      if (done) return;
      done = true;
      timers.forEach(clearTimeout);
      clearInterval(resend);
      void q.close().then(() => {
        warn.flush();
        if (err) reject(err);
        else resolve(pick());
      });
    };
    const send = (questions: Question[]) => {
      if (!done && questions.length > 0) q.send(questions);
    };
    onError = (err) => finish(socketError(err));
    let followUp: NodeJS.Timeout | undefined;
    onResponse = (response, source) => {
      if (done) return;
      collector.push(response, source);
      if (wanted && pick().length > 0) return finish();
      // Ask once for what is still missing, after the burst of packets settles.
      if (!followUp) {
        followUp = setTimeout(() => {
          followUp = undefined;
          send(collector.missing());
        }, 50);
        timers.push(followUp);
      }
    };
    const ask = () => send([{ name: serviceType, type: 'PTR' }]);
    const resend = setInterval(() => {
      ask();
      send(collector.missing());
    }, resendMs);
    timers.push(setTimeout(() => finish(), timeoutMs));
    ask();
  });
  return { boards, mode: q.mode };
}

/** {@link browseBoards}, returning only the boards. */
export async function discoverBoards(options: DiscoverOptions = {}): Promise<DiscoveredBoard[]> {
  return (await browseBoards(options)).boards;
}
