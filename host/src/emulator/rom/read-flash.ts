import { createHash } from 'node:crypto';
import { readU32le } from '../../protocol/rom-packet.js';

/**
 * The stub's READ_FLASH data phase (docs/serial-protocol.md §2.3): raw frames of
 * `packetSize` bytes, one in flight (as both stubs do in practice), each acknowledged by the host
 * with a frame holding the u32 total received; after the last ack, one frame with the MD5.
 */
export class ReadFlashStream {
  private sent = 0;
  private finished = false;

  constructor(
    private readonly data: Uint8Array,
    private readonly packetSize: number,
    private readonly send: (frame: Uint8Array) => void,
  ) {
    this.next();
  }

  get done(): boolean {
    return this.finished;
  }

  /** A frame from the host while data is flowing: an acknowledgement (anything else is ignored). */
  ack(frame: Uint8Array): void {
    const [total] = readU32le(frame, 1);
    if (frame.length !== 4 || total === undefined || total !== this.sent) return;
    this.next();
  }

  private next(): void {
    if (this.sent >= this.data.length) {
      this.send(new Uint8Array(createHash('md5').update(this.data).digest()));
      this.finished = true;
      return;
    }
    const n = Math.min(this.packetSize, this.data.length - this.sent);
    this.send(this.data.subarray(this.sent, this.sent + n));
    this.sent += n;
  }
}
