import type { Clock } from './clock.js';

/** 8N1: start bit, 8 data bits, stop bit. */
export const BITS_PER_BYTE = 10;

/** How long `bytes` take on a wire at `baud` (ms). */
export function wireTimeMs(bytes: number, baud: number, bitsPerByte = BITS_PER_BYTE): number {
  return (bytes * bitsPerByte * 1000) / baud;
}

interface Slice {
  at: number;
  bytes: Uint8Array;
  baud: number;
  /** Who sent it (a UART client), so its bytes can be taken off the wire when it goes. */
  from: unknown;
}

/**
 * One direction of a UART wire: bytes leave in order and arrive when they would have finished
 * crossing the wire at the current baud rate, in slices of about 10 ms so a long block streams
 * rather than arriving as a lump. With timing off, bytes pass straight through.
 */
export class Wire {
  private queue: Slice[] = [];
  private head = 0;
  private bytesQueued = 0;
  private busyUntil = 0;
  private timer: unknown;

  constructor(
    private readonly clock: Clock,
    /** Receives bytes with the baud rate they were sent at (a rate change does not re-time bytes already sent). */
    private readonly deliver: (bytes: Uint8Array, baud: number) => void,
    public baud: number,
    public timing = true,
    /** Called after each delivery run, once bytes have left the wire (room for more). */
    private readonly onProgress?: () => void,
  ) {}

  send(bytes: Uint8Array, from?: unknown): void {
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
      this.queue.push({ at: t, bytes: part, baud: this.baud, from });
    }
    this.bytesQueued += bytes.length;
    this.busyUntil = t;
    this.schedule();
  }

  /** Bytes still on the wire (not delivered yet). */
  get pending(): number {
    return this.bytesQueued;
  }

  /** Drops what is still on the wire (a reset, a disconnect). */
  clear(): void {
    this.queue = [];
    this.head = 0;
    this.bytesQueued = 0;
    this.busyUntil = 0;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /**
   * Takes `from`'s bytes off the wire (its cable was unplugged); what others sent closes up
   * behind the byte now crossing, as if the dropped bytes had never been sent. Returns the
   * number of bytes dropped.
   */
  drop(from: unknown): number {
    const kept = this.queue.slice(this.head).filter((s) => s.from !== from);
    if (kept.length === this.queue.length - this.head) return 0;
    const before = this.bytesQueued;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.queue = [];
    this.head = 0;
    this.bytesQueued = 0;
    this.busyUntil = 0;
    let t = this.clock.now();
    for (const s of kept) {
      t += wireTimeMs(s.bytes.length, s.baud);
      this.queue.push({ ...s, at: t });
      this.bytesQueued += s.bytes.length;
    }
    this.busyUntil = t;
    this.schedule();
    return before - this.bytesQueued;
  }

  private schedule(): void {
    if (this.timer !== undefined || this.head >= this.queue.length) return;
    const first = this.queue[this.head]!;
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      const now = this.clock.now();
      // Deliver what is due, one call per run of bytes sent at the same rate.
      let due: Uint8Array[] = [];
      let baud = this.queue[this.head]?.baud ?? this.baud;
      while (this.head < this.queue.length && this.queue[this.head]!.at <= now + 0.001) {
        const q = this.queue[this.head++]!;
        this.bytesQueued -= q.bytes.length;
        if (q.baud !== baud && due.length > 0) {
          this.deliver(concat(due), baud);
          due = [];
        }
        baud = q.baud;
        due.push(q.bytes);
      }
      this.compact();
      if (due.length > 0) this.deliver(concat(due), baud);
      this.schedule();
      this.onProgress?.();
    }, Math.max(0, first.at - this.clock.now()));
  }

  /** Forgets delivered slices once they are the bulk of the array (amortised O(1) per slice). */
  private compact(): void {
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
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
