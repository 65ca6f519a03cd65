import makeMdns from 'multicast-dns';
import type { WarnFn } from '../../errors.js';
import { UserError } from '../../errors.js';
import { limitWarnings, unrefSchedule } from '../../warn-limit.js';
import { isLoopbackIPv4 } from './address.js';
import { answerQuery, announcement, replyPacket } from './responder.js';
import type { MdnsIdentity } from './records.js';

/** Options of {@link startMdnsAdvertiser}. */
export interface AdvertiserOptions {
  identity: MdnsIdentity;
  /**
   * IPv4 address of the interface to advertise on; defaults to `identity.address`. The socket
   * joins the group and sends only there, so a loopback emulator never reaches the network. On
   * loopback (127.0.0.0/8) it also answers only queries from loopback addresses: its socket hears
   * the group on every interface where something on the machine joined it, and a unicast answer
   * to a querier on the network would leave by that network's interface.
   */
  interfaceAddress?: string;
  /** Socket warnings and undecodable packets, rate-limited per code (see `limitWarnings`). */
  onWarning?: WarnFn;
  /** Random source for the 25–100 ms shared-answer delay (injectable for tests). */
  random?: () => number;
  /**
   * Delay before the first announcement: ESP-IDF probes three times 250 ms apart before it
   * announces (RFC 6762 §8.1), so a board is announced about 750 ms after `MDNS.begin()`.
   */
  announceDelayMs?: number;
}

/** A running advertiser; `close()` sends the goodbye (TTL 0) and closes the socket. */
export interface MdnsAdvertiser {
  readonly identity: MdnsIdentity;
  /** `goodbye: false` closes without the TTL-0 goodbye, as a board that loses power does. */
  close(opts?: { goodbye?: boolean }): Promise<void>;
}

/**
 * Answers mDNS queries for the emulator the way ESPmDNS does on the board (mdns.md §2, §5):
 * A/SRV/TXT/PTR with ESP-IDF TTLs, answers after a 25–100 ms delay, unicast replies to one-shot
 * (legacy unicast) queriers at their source address and port, an announcement at start and 1 s
 * later, a goodbye on close.
 */
export async function startMdnsAdvertiser(options: AdvertiserOptions): Promise<MdnsAdvertiser> {
  const { identity } = options;
  const iface = options.interfaceAddress ?? identity.address;
  // One line per bad packet would let any peer flood the console: rate-limited per code.
  const warn = limitWarnings(options.onWarning ?? (() => {}), { schedule: unrefSchedule });
  const random = options.random ?? Math.random;
  const mdns = makeMdns({ interface: iface, bind: '0.0.0.0' });
  const loopbackOnly = isLoopbackIPv4(iface);
  const timers = new Set<NodeJS.Timeout>();
  let closed = false;
  // ESP-IDF answers nothing for a service until probing is over and it has announced.
  let announced = false;

  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };
  const announce = (goodbye = false) =>
    new Promise<void>((resolve) => mdns.respond(announcement(identity, goodbye), () => resolve()));

  let ready = false;
  let failed = false;
  await new Promise<void>((resolve, reject) => {
    mdns.once('ready', () => {
      if (failed) return;
      ready = true;
      resolve();
    });
    // One listener for the socket's whole life: multicast-dns emits a failed bind twice (from
    // the bind callback and from the socket's error event), and an error with no listener
    // would end the process.
    mdns.on('error', (err: Error) => {
      if (ready) return warn('emulate.mdns-error', err.message);
      if (failed) return;
      failed = true;
      mdns.destroy(() =>
        reject(new UserError('emulate.mdns-socket', `cannot open the mDNS socket on ${iface}: ${err.message}`, 'run without --mdns, or serve HTTP on an interface that has multicast')),
      );
    });
  });
  mdns.on('warning', (err: Error) => warn('emulate.mdns-warning', err.message));
  mdns.on('query', (query, rinfo) => {
    if (closed || !announced) return;
    if (loopbackOnly && !isLoopbackIPv4(rinfo.address)) return;
    const reply = answerQuery(query, identity, rinfo.port);
    if (!reply) return;
    const packet = replyPacket(reply);
    // One-shot (legacy unicast) queriers and QU questions are answered at their source address and port.
    const send = () => {
      if (closed) return;
      if (reply.unicast) mdns.respond(packet, { port: rinfo.port, address: rinfo.address });
      else mdns.respond(packet);
    };
    // ESP-IDF delays every answer but those to probes by 25–100 ms, in 25 ms steps.
    if (reply.delayed) later(25 * (1 + Math.floor(random() * 4)), send);
    else send();
  });

  later(options.announceDelayMs ?? 750, () => {
    if (closed) return;
    announced = true;
    void announce();
    later(1000, () => {
      if (!closed) void announce();
    });
  });

  return {
    identity,
    async close(opts: { goodbye?: boolean } = {}) {
      if (closed) return;
      closed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      if (opts.goodbye !== false && announced) await announce(true);
      await new Promise<void>((resolve) => mdns.destroy(() => resolve()));
      warn.flush();
    },
  };
}
