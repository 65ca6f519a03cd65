import type { Clock } from './clock.js';

/** 8N1: start bit, 8 data bits, stop bit. */
export const BITS_PER_BYTE = 10;

/** How long `bytes` take on a wire at `baud` (ms). */
export function wireTimeMs(bytes: number, baud: number, bitsPerByte = BITS_PER_BYTE): number {
  return (bytes * bitsPerByte * 1000) / baud;
}

/**
 * One direction of a UART wire: bytes leave in order and arrive when they would have finished
 * crossing the wire at the current baud rate, in slices of about 10 ms so a long block streams
 * rather than arriving as a lump. With timing off, bytes pass straight through.
 */
export class Wire {
  private queue: { at: number; bytes: Uint8Array; baud: number }[] = [];
  private busyUntil = 0;
  private timer: unknown;

  constructor(
    private readonly clock: Clock,
    /** Receives bytes with the baud rate they were sent at (a rate change does not re-time bytes already sent). */
    private readonly deliver: (bytes: Uint8Array, baud: number) => void,
    public baud: number,
    public timing = true,
  ) {}

  send(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    if (!this.timing) {
      this.deliver(bytes, this.baud);
      return;
    }
    const slice = Math.max(1, Math.ceil(this.baud / BITS_PER_BYTE / 100));
    let t = Math.max(this.clock.now(), this.busyUntil);
    for (let i = 0; i < bytes.length; i += slice) {
      const part = bytes.subarray(i, i + slice);
      t += wireTimeMs(part.length, this.baud);
      this.queue.push({ at: t, bytes: part, baud: this.baud });
    }
    this.busyUntil = t;
    this.schedule();
  }

  /** Bytes still on the wire (not delivered yet). */
  get pending(): number {
    return this.queue.reduce((n, q) => n + q.bytes.length, 0);
  }

  /** Drops what is still on the wire (a reset, a disconnect). */
  clear(): void {
    this.queue = [];
    this.busyUntil = 0;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    if (this.timer !== undefined || this.queue.length === 0) return;
    const head = this.queue[0];
    if (!head) return;
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      const now = this.clock.now();
      // Deliver what is due, one call per run of bytes sent at the same rate.
      let due: Uint8Array[] = [];
      let baud = this.queue[0]?.baud ?? this.baud;
      while (this.queue[0] && this.queue[0].at <= now + 0.001) {
        const q = this.queue.shift()!;
        if (q.baud !== baud && due.length > 0) {
          this.deliver(concat(due), baud);
          due = [];
        }
        baud = q.baud;
        due.push(q.bytes);
      }
      if (due.length > 0) this.deliver(concat(due), baud);
      this.schedule();
    }, Math.max(0, head.at - this.clock.now()));
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
