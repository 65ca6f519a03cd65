/**
 * Telnet option negotiation (RFC 854/855, the loop rules of RFC 1143 in brief) for one
 * connection, as both ends of RFC 2217 use it: the emulator's server (emulator/uart/) and the
 * `rfc2217://` client (transport/). Pure: it decides the bytes to answer; the caller sends them.
 */
import { DO, DONT, WILL, WONT, negotiate } from './rfc2217.js';

/** Which options one end agrees to. */
export interface TelnetOptionPolicy {
  /** Options this end performs itself when asked (`DO x` is answered `WILL x`). */
  readonly local: ReadonlySet<number>;
  /** Options this end lets the peer perform (`WILL x` is answered `DO x`). */
  readonly remote: ReadonlySet<number>;
}

/** What one received WILL/WONT/DO/DONT did. */
export interface NegotiationResult {
  /** `true` for DO/DONT (about an option this end performs), `false` for WILL/WONT (the peer's). */
  readonly local: boolean;
  readonly option: number;
  /** Whether the option is on after the verb. */
  readonly enabled: boolean;
  /** The verb to send back, when one is due; nothing when the state did not change (no loops). */
  readonly reply?: Uint8Array;
}

/**
 * The option state of one connection. A verb answering our own request is only recorded; a
 * request from the peer is agreed to for options in the policy and refused otherwise; a verb that
 * changes nothing is not answered, so two ends never echo each other forever.
 */
export class TelnetOptions {
  /** Options on, keyed `we:<opt>` (we perform it) / `they:<opt>` (the peer does). */
  private readonly agreed = new Set<string>();
  /** Options we asked about that the peer has not answered yet (their answer needs no reply). */
  private readonly requested = new Set<string>();

  constructor(private readonly policy: TelnetOptionPolicy) {}

  /** Asks the peer: WILL/WONT about an option we perform, DO/DONT about one it performs. Returns the bytes to send. */
  request(verb: number, option: number): Uint8Array {
    this.requested.add(`${verb === WILL || verb === WONT ? 'we' : 'they'}:${option}`);
    return negotiate(verb, option);
  }

  /** Whether the option is on: `local` for one we perform, else one the peer performs. */
  enabled(local: boolean, option: number): boolean {
    return this.agreed.has(`${local ? 'we' : 'they'}:${option}`);
  }

  /** Takes one WILL/WONT/DO/DONT from the peer. */
  receive(verb: number, option: number): NegotiationResult {
    const local = verb === DO || verb === DONT;
    const key = `${local ? 'we' : 'they'}:${option}`;
    const supported = (local ? this.policy.local : this.policy.remote).has(option);
    const wantsOn = verb === DO || verb === WILL;
    const wasRequested = this.requested.delete(key);
    const on = this.agreed.has(key);
    let reply: Uint8Array | undefined;
    if (wantsOn && supported) {
      if (!on) {
        this.agreed.add(key);
        if (!wasRequested) reply = negotiate(local ? WILL : DO, option);
      }
    } else if (wantsOn) {
      reply = negotiate(local ? WONT : DONT, option);
    } else if (on) {
      this.agreed.delete(key);
      if (!wasRequested) reply = negotiate(local ? WONT : DONT, option);
    }
    return { local, option, enabled: this.agreed.has(key), ...(reply ? { reply } : {}) };
  }
}
