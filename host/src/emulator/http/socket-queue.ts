/**
 * One event-stream client's message queue (`AsyncEventSourceClient::_messageQueue`, wire doc
 * §4) over a host socket: at most 32 messages queued; a message offered to a full queue is
 * dropped for that client only and the connection stays open.
 *
 * "Queued" on the board means not yet ACKed by the peer. The host cannot see ACKs, so a
 * message counts as queued until the host kernel has taken all of its bytes (the socket's
 * user-space buffer, `writableLength`). A client that reads keeps its queue near empty; a
 * client that stops reading fills the kernel buffers, then 32 messages later every further
 * message is dropped.
 *
 * Used in the emulator's process and in its SSE writer processes alike, so both apply the
 * same rule to the same bytes.
 */
import type { Socket } from 'node:net';
import { sseMaxQueuedMessages } from '../../protocol/http-profiles.js';

export class SocketQueue {
  /** Cumulative end offsets of messages not yet taken by the kernel. */
  private pending: number[] = [];
  private pendingHead = 0;
  private written = 0;

  constructor(private readonly socket: Socket) {}

  /** Messages counted against the 32-entry queue. */
  get length(): number {
    this.settle();
    return this.pending.length - this.pendingHead;
  }

  /** Writes one encoded message; false (dropped, nothing written) when 32 are already queued. */
  offer(bytes: Uint8Array): boolean {
    if (this.length >= sseMaxQueuedMessages) return false;
    this.socket.write(bytes);
    this.written += bytes.length;
    this.pending.push(this.written);
    return true;
  }

  private settle(): void {
    const flushed = this.written - this.socket.writableLength;
    while (this.pendingHead < this.pending.length && (this.pending[this.pendingHead] as number) <= flushed) this.pendingHead++;
    if (this.pendingHead === this.pending.length) {
      this.pending = [];
      this.pendingHead = 0;
    }
  }
}
