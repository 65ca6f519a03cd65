import type { WarnFn } from '../../errors.js';

/**
 * Board output a host connection may leave unread in this process, on top of what the kernel's
 * socket or pipe buffers already hold for it (hundreds of KiB on loopback). A reader that stalls
 * for a moment loses nothing; one that never reads costs at most this much, and loses what the
 * board sends meanwhile, as a serial port that nobody reads does once its tty buffer is full.
 */
export const HOST_UNREAD_MAX = 64 * 1024;

/** The parts of a socket or pipe the flow helpers use. */
interface Readable {
  pause(): unknown;
  resume(): unknown;
}
interface Writable {
  readonly writableLength: number;
  readonly writable: boolean;
  write(bytes: Uint8Array): boolean;
}

/**
 * Pauses a host connection's input while any of its reasons holds (the wire is behind, the host
 * does not read our replies) and resumes it when none is left.
 */
export class ReadGate {
  private readonly reasons = new Set<string>();

  constructor(private readonly stream: Readable) {}

  hold(reason: string): void {
    if (this.reasons.has(reason)) return;
    if (this.reasons.size === 0) this.stream.pause();
    this.reasons.add(reason);
  }

  release(reason: string): void {
    if (!this.reasons.delete(reason)) return;
    if (this.reasons.size === 0) this.stream.resume();
  }

  get paused(): boolean {
    return this.reasons.size > 0;
  }
}

/**
 * Writes to a host connection unless it already has {@link HOST_UNREAD_MAX} unread: then the
 * write is dropped whole (so telnet framing stays intact) with a warning. Returns whether it was
 * written.
 */
export function writeUnlessBacklogged(out: Writable, bytes: Uint8Array, warn: WarnFn | undefined, who: string): boolean {
  if (!out.writable || bytes.length === 0) return false;
  if (out.writableLength > HOST_UNREAD_MAX) {
    warn?.('serial.client-not-reading', `${bytes.length} byte(s) of board output dropped: the ${who} has left ${out.writableLength} bytes unread`);
    return false;
  }
  out.write(bytes);
  return true;
}
