/**
 * What a compiled sketch tells the board about mDNS (`MDNS.begin()`, `addService`,
 * `addServiceTxt`): the host name and TXT items it sets, handed to the board's responder once a
 * burst of such calls has settled, so the responder starts (or restarts) with every record in
 * one announcement. Only `_http._tcp` is advertised; another service is a warning.
 */
import { text, type Frame } from '../../protocol/sketch-link.js';
import type { SketchMdns } from '../mdns/board-mdns.js';

/** Quiet time after the sketch's last MDNS call before the responder (re)starts with its records. */
const mdnsSettleMs = 50;

export class SketchMdnsCalls {
  private hostname: string | undefined;
  private txt: Record<string, string> = {};
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    /** Starts (or restarts) the board's responder; absent = not advertised. */
    private readonly start: ((sketch: SketchMdns) => Promise<string | undefined>) | undefined,
    private readonly warnOnce: (code: string, message: string) => void,
  ) {}

  /**
   * `MDNS.begin(hostname)`. A socket the host cannot open is a host warning, later, as the
   * board's MDNS.begin() does not fail for want of a network.
   */
  begin(hostname: string): void {
    this.hostname = hostname;
    this.txt = {};
    this.announceSoon();
  }

  /** An `mdns` frame: `addService` (a = 1) or `addServiceTxt` (a = 2). */
  service(f: Frame): void {
    const service = text(f.s1).replace(/^_/, '');
    const proto = text(f.s2).replace(/^_/, '');
    if (service !== 'http' || proto !== 'tcp') {
      this.warnOnce('emulate.mdns-service', `the sketch adds mDNS service _${service}._${proto}; the emulator advertises only _http._tcp`);
      return;
    }
    if (f.a === 2) this.txt[text(f.s3)] = text(f.s4);
    this.announceSoon();
  }

  /** The sketch is stopping: nothing more is announced. */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** (Re)starts the responder with what the sketch set, once a burst of MDNS calls is over. */
  private announceSoon(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (!this.stopped && this.hostname !== undefined) void this.start?.({ hostname: this.hostname, txt: { ...this.txt } });
    }, mdnsSettleMs);
  }
}
