/** Bytes in each of an ESP32 UART's hardware FIFOs, receive and transmit (ESP32 TRM, UART chapter). */
export const UART_FIFO_BYTES = 128;

/**
 * UART0's receive FIFO in front of a consumer that stops reading while it transmits: the ROM
 * loader and the stub answer a command by pushing the reply into the 128-byte TX FIFO and read
 * nothing until it has gone in. So while more than a FIFO's worth of the reply is still waiting
 * to leave, received bytes wait in the 128-byte RX FIFO and the rest are lost (an overrun). This
 * is what bounds the replies a host can make the chip queue (8 SYNC replies per SYNC, 76 bytes
 * per READ_FLASH_SLOW): a client that never waits for answers loses commands, as on a board.
 */
export class RxFifo {
  private held: Uint8Array[] = [];
  private heldBytes = 0;

  constructor(
    private readonly consume: (bytes: Uint8Array) => void,
    /** True while the consumer is still transmitting (not reading). */
    private readonly busy: () => boolean,
    private readonly onOverrun: (lostBytes: number) => void,
  ) {}

  /** Bytes that came off the wire. */
  push(bytes: Uint8Array): void {
    if (this.heldBytes === 0 && !this.busy()) {
      this.consume(bytes);
      return;
    }
    const room = UART_FIFO_BYTES - this.heldBytes;
    const kept = bytes.subarray(0, Math.max(0, room));
    if (kept.length > 0) {
      this.held.push(kept.slice());
      this.heldBytes += kept.length;
    }
    if (kept.length < bytes.length) this.onOverrun(bytes.length - kept.length);
  }

  /** The consumer may have room again (its transmit backlog shrank): hand it what waits. */
  poll(): void {
    if (this.heldBytes === 0 || this.busy()) return;
    const all = new Uint8Array(this.heldBytes);
    let o = 0;
    for (const h of this.held) {
      all.set(h, o);
      o += h.length;
    }
    this.clear();
    this.consume(all);
  }

  /** Bytes waiting (never more than {@link UART_FIFO_BYTES}). */
  get buffered(): number {
    return this.heldBytes;
  }

  /** A reset empties the FIFO. */
  clear(): void {
    this.held = [];
    this.heldBytes = 0;
  }
}
