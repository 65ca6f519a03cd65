import { createSocket } from 'node:dgram';
import { randomInt } from 'node:crypto';
import makeMdns from 'multicast-dns';
import packet, { type Question } from 'dns-packet';
import type { WarnFn } from '../errors.js';
import type { ResponseLike } from './collect.js';
import { defaultMulticastInterface } from './interface.js';

/** The mDNS group and port (RFC 6762 §3). */
export const mdnsGroup = { address: '224.0.0.251', port: 5353 } as const;

/**
 * How `discover` asked (mdns.md §4 step 1):
 * - `multicast`: from UDP 5353 (shared with other responders through SO_REUSEADDR), joined to
 *   the group, so every responder's multicast answers and announcements are heard;
 * - `one-shot`: from an ephemeral port, because 5353 could not be bound. Only responders that
 *   answer such "legacy unicast" queries by unicast (RFC 6762 §6.7) are heard: ESP-IDF's mdns
 *   (so ESPmDNS boards and the emulator) and avahi do; bonjour-service does not.
 */
export type QueryMode = 'multicast' | 'one-shot';

/** What a querier reports. */
export interface QuerierEvents {
  /** A decoded mDNS response and the address it came from. */
  onResponse(response: ResponseLike, source: string): void;
  onWarning: WarnFn;
  /** The socket failed after it was open (the browse ends with a user error). */
  onError(err: NodeJS.ErrnoException): void;
}

/** An open mDNS query socket. */
export interface Querier {
  readonly mode: QueryMode;
  /** Sends one query with these questions to 224.0.0.251:5353. */
  send(questions: Question[]): void;
  close(): Promise<void>;
}

/** Bind errors that mean "5353 is held by someone who does not share it" (multicast-dns reports only these as `error`). */
const busy = (err: NodeJS.ErrnoException) => err.code === 'EADDRINUSE' || err.code === 'EACCES';

/**
 * Opens the shared 5353 socket; when 5353 cannot be bound (EADDRINUSE, EACCES) warns once with
 * `discover.port-5353-busy` and opens a one-shot socket instead. Any other failure rejects.
 * `iface` is the IPv4 address of the interface to query on (undefined: the kernel's choice).
 */
export async function openQuerier(iface: string | undefined, events: QuerierEvents): Promise<Querier> {
  try {
    return await openShared(iface, events);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (!busy(err)) throw err;
    events.onWarning(
      'discover.port-5353-busy',
      `UDP port 5353 cannot be bound (${err.code}: another program holds it without sharing it); querying from an ephemeral port instead`,
      'answers now come only from responders that reply to one-shot (legacy unicast) queries: ESP-IDF/ESPmDNS boards and avahi, not bonjour-based ones. Stop the program holding 5353 (`ss -ulpn sport = :5353` names it) to hear every responder',
    );
    return await openOneShot(iface, events);
  }
}

/** multicast-dns on 0.0.0.0:5353 with SO_REUSEADDR, joined on `iface`. Rejects with the bind error. */
function openShared(iface: string | undefined, events: QuerierEvents): Promise<Querier> {
  // Pinned sockets must bind the wildcard or they never see the group (multicast-dns#53).
  const mdns = makeMdns(iface ? { interface: iface, bind: '0.0.0.0' } : {});
  return new Promise((resolve, reject) => {
    let open = false;
    let failed = false;
    // multicast-dns emits a failed bind twice (from the bind callback and the socket's error
    // event); only the first one counts.
    mdns.on('error', (err: NodeJS.ErrnoException) => {
      if (open) return events.onError(err);
      if (failed) return;
      failed = true;
      mdns.destroy(() => reject(err));
    });
    mdns.on('warning', (err: Error) => events.onWarning('discover.warning', err.message));
    mdns.on('response', (response, rinfo) => events.onResponse(response, rinfo.address));
    mdns.once('ready', () => {
      if (failed) return;
      open = true;
      resolve({
        mode: 'multicast',
        send(questions) {
          mdns.query({ questions }, (err: Error | null) => {
            if (err) events.onWarning('discover.send-failed', `mDNS query not sent: ${err.message}`);
          });
        },
        close: () => new Promise<void>((res) => mdns.destroy(() => res())),
      });
    });
  });
}

/**
 * A one-shot querier (RFC 6762 §5.1): a UDP socket on an ephemeral port that sends queries to
 * 224.0.0.251:5353 on `iface` and reads the unicast answers sent back to it. It joins no group:
 * multicast answers go to port 5353, which this socket does not hold.
 */
async function openOneShot(iface: string | undefined, events: QuerierEvents): Promise<Querier> {
  const socket = createSocket({ type: 'udp4' });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, '0.0.0.0', () => {
      socket.off('error', reject);
      resolve();
    });
  });
  socket.on('error', (err) => events.onWarning('discover.warning', err.message));
  socket.setMulticastTTL(255);
  socket.setMulticastLoopback(true);
  try {
    socket.setMulticastInterface(iface ?? defaultMulticastInterface());
  } catch (e) {
    events.onWarning('discover.warning', (e as Error).message);
  }
  socket.on('message', (message, rinfo) => {
    let decoded: packet.Packet;
    try {
      decoded = packet.decode(message);
    } catch (e) {
      events.onWarning('discover.warning', `undecodable packet from ${rinfo.address}:${rinfo.port}: ${(e as Error).message}`);
      return;
    }
    if (decoded.type === 'response') events.onResponse(decoded, rinfo.address);
  });
  // A conventional DNS id, as legacy resolvers send; ESP-IDF echoes it, nothing here checks it.
  const id = randomInt(1, 0x10000);
  let closed = false;
  return {
    mode: 'one-shot',
    send(questions) {
      if (closed) return;
      const bytes = packet.encode({ type: 'query', id, questions });
      socket.send(bytes, mdnsGroup.port, mdnsGroup.address, (err) => {
        if (err) events.onWarning('discover.send-failed', `mDNS query not sent: ${err.message}`);
      });
    },
    close: () =>
      new Promise<void>((res) => {
        if (closed) return res();
        closed = true;
        socket.close(() => res());
      }),
  };
}

/** The loopback interface's address, where this machine's `esp-sse emulate` answers by default. */
export const loopbackInterface = '127.0.0.1';

/**
 * The querier a browse uses: {@link openQuerier} on `iface`; when no interface was named and the
 * kernel's multicast route leads to a network card (so the query would never reach loopback),
 * a second one pinned to loopback, so that an emulator answering on loopback only (a default
 * `esp-sse emulate` on this machine) hears the same questions. Both report to `events`; the
 * loopback one sends nothing out of any other interface, and its failures are warnings only.
 */
export async function openBrowseQuerier(iface: string | undefined, events: QuerierEvents): Promise<Querier> {
  const main = await openQuerier(iface, events);
  if (iface !== undefined || defaultMulticastInterface() === loopbackInterface) return main;
  let lo: Querier;
  try {
    lo = await openQuerier(loopbackInterface, {
      onResponse: events.onResponse,
      // The main querier has already said that 5353 is busy.
      onWarning: (code, message, hint) => {
        if (code !== 'discover.port-5353-busy') events.onWarning(code, message, hint);
      },
      onError: (err) => events.onWarning('discover.warning', `the loopback mDNS socket failed: ${err.message}`),
    });
  } catch (e) {
    events.onWarning('discover.warning', `cannot also query on loopback: ${(e as Error).message}`);
    return main;
  }
  return {
    mode: main.mode,
    send(questions) {
      main.send(questions);
      lo.send(questions);
    },
    close: async () => {
      await Promise.all([main.close(), lo.close()]);
    },
  };
}
