import { describe, expect, it } from 'vitest';
import { DO, DONT, Option, TelnetParser, WILL, WONT } from './rfc2217.js';
import { TelnetOptions, type TelnetOptionPolicy } from './telnet-options.js';

const hex = (b: Uint8Array | undefined): string => (b ? Buffer.from(b).toString('hex') : '');

/** The policies of our two ends (emulator/uart/rfc2217-server.ts, transport/rfc2217-client.ts). */
const server: TelnetOptionPolicy = {
  local: new Set([Option.SGA, Option.BINARY, Option.COM_PORT]),
  remote: new Set([Option.SGA, Option.BINARY, Option.COM_PORT]),
};
const client: TelnetOptionPolicy = {
  local: new Set([Option.SGA, Option.COM_PORT, Option.BINARY]),
  remote: new Set([Option.SGA, Option.ECHO, Option.BINARY, Option.COM_PORT]),
};

describe('Telnet option negotiation', () => {
  it('agrees to a supported option asked for by the peer, once', () => {
    const o = new TelnetOptions(server);
    expect(hex(o.receive(DO, Option.COM_PORT).reply)).toBe('fffb2c'); // DO COM-PORT → WILL COM-PORT
    expect(o.enabled(true, Option.COM_PORT)).toBe(true);
    expect(o.receive(DO, Option.COM_PORT)).toEqual({ local: true, option: Option.COM_PORT, enabled: true }); // no answer: no loop
    expect(hex(o.receive(WILL, Option.BINARY).reply)).toBe('fffd00'); // WILL BINARY → DO BINARY
    expect(o.enabled(false, Option.BINARY)).toBe(true);
  });

  it('refuses an unsupported option every time it is asked', () => {
    const o = new TelnetOptions(server);
    expect(o.receive(DO, Option.ECHO)).toEqual({ local: true, option: Option.ECHO, enabled: false, reply: Uint8Array.of(255, WONT, 1) });
    expect(hex(o.receive(WILL, Option.ECHO).reply)).toBe('fffe01'); // WILL ECHO → DONT ECHO
    expect(hex(o.receive(DO, Option.ECHO).reply)).toBe('fffc01');
  });

  it('records the answer to its own request without answering it', () => {
    const o = new TelnetOptions(server);
    expect(hex(o.request(DO, Option.COM_PORT))).toBe('fffd2c');
    expect(o.receive(WILL, Option.COM_PORT)).toEqual({ local: false, option: Option.COM_PORT, enabled: true });
    // A second WILL is not an answer any more, but the option is on: still nothing to say.
    expect(o.receive(WILL, Option.COM_PORT).reply).toBeUndefined();
  });

  it('a refused request leaves the option off, unanswered', () => {
    const o = new TelnetOptions(client);
    o.request(WILL, Option.COM_PORT);
    expect(o.receive(DONT, Option.COM_PORT)).toEqual({ local: true, option: Option.COM_PORT, enabled: false });
  });

  it('turns an option off when the peer does, acknowledging once', () => {
    const o = new TelnetOptions(server);
    o.receive(WILL, Option.SGA);
    expect(hex(o.receive(WONT, Option.SGA).reply)).toBe('fffe03'); // WONT SGA → DONT SGA
    expect(o.enabled(false, Option.SGA)).toBe(false);
    expect(o.receive(WONT, Option.SGA).reply).toBeUndefined(); // already off
    expect(o.receive(DONT, Option.BINARY).reply).toBeUndefined(); // never on
  });

  it('our client and server settle in one round trip (the client speaks first as pyserial does)', () => {
    const c = new TelnetOptions(client);
    const s = new TelnetOptions(server);
    const fromServer = [s.request(DO, Option.COM_PORT)];
    const fromClient = [c.request(DO, Option.ECHO), c.request(WILL, Option.SGA), c.request(DO, Option.SGA), c.request(WILL, Option.COM_PORT)];
    expect(fromClient.map(hex).join('')).toBe('fffd01fffb03fffd03fffb2c');

    /** Delivers every pending verb to the other end until neither has anything to say. */
    const exchange = (wire: Uint8Array[], to: TelnetOptions): Uint8Array[] =>
      wire.flatMap((bytes) => new TelnetParser().push(bytes)).flatMap((ev) => {
        if (ev.type !== 'negotiate') throw new Error(`unexpected ${ev.type}`);
        const { reply } = to.receive(ev.verb, ev.option);
        return reply ? [reply] : [];
      });
    const serverReplies = exchange(fromClient, s);
    const clientReplies = exchange(fromServer, c);
    // The server refuses ECHO (WONT) and agrees to SGA both ways; the two COM-PORT verbs crossed on
    // the wire and each answers the other's request, so neither end says more about it.
    expect(serverReplies.map(hex)).toEqual(['fffc01', 'fffd03', 'fffb03']);
    expect(clientReplies.map(hex)).toEqual([]);
    // The server's replies answer the client's requests: nothing more to say.
    expect(exchange(serverReplies, c).map(hex)).toEqual([]);
    for (const [end, local, option] of [[c, true, Option.SGA], [c, false, Option.SGA], [c, true, Option.COM_PORT], [s, false, Option.COM_PORT], [s, true, Option.SGA]] as const) {
      expect(end.enabled(local, option)).toBe(true);
    }
    expect(c.enabled(false, Option.ECHO)).toBe(false);
  });
});
