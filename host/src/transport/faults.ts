/**
 * Fault switches for reliability tests of a serial link. Deterministic: "every Nth byte" rules
 * and rates drawn from a seeded generator, so a failing test replays exactly.
 */
export interface FaultOptions {
  /** Flip bits in every Nth byte (1-based count over the stream). */
  corruptEvery?: number;
  /** Probability (0..1) that a byte is corrupted. */
  corruptRate?: number;
  /** Drop every Nth byte. */
  dropEvery?: number;
  /** Probability (0..1) that a byte is dropped. */
  dropRate?: number;
  /**
   * Cut the link once this many bytes have passed (the bytes before it are delivered, the rest
   * of that chunk is lost). One-shot: afterwards bytes flow again, so a client that reconnects
   * (a flasher's retry) gets a working link.
   */
  disconnectAfter?: number;
  /** Seed of the generator behind the rates. */
  seed?: number;
}

export interface FaultResult {
  bytes: Uint8Array;
  /** The disconnect point was reached inside this chunk. */
  disconnect: boolean;
}

/** Applies {@link FaultOptions} to a byte stream, chunk by chunk. */
export class FaultInjector {
  private count = 0;
  private state: number;
  private cut = false;

  constructor(private readonly options: FaultOptions = {}) {
    this.state = (options.seed ?? 0x2545f491) >>> 0 || 1;
  }

  get active(): boolean {
    const o = this.options;
    return !!(o.corruptEvery || o.corruptRate || o.dropEvery || o.dropRate || o.disconnectAfter !== undefined);
  }

  apply(chunk: Uint8Array): FaultResult {
    const o = this.options;
    const out: number[] = [];
    for (const b of chunk) {
      if (!this.cut && o.disconnectAfter !== undefined && this.count >= o.disconnectAfter) {
        this.cut = true;
        return { bytes: Uint8Array.from(out), disconnect: true };
      }
      this.count++;
      if ((o.dropEvery && this.count % o.dropEvery === 0) || (o.dropRate && this.random() < o.dropRate)) continue;
      if ((o.corruptEvery && this.count % o.corruptEvery === 0) || (o.corruptRate && this.random() < o.corruptRate)) {
        out.push(b ^ (1 << (this.count % 8)));
      } else {
        out.push(b);
      }
    }
    if (!this.cut && o.disconnectAfter !== undefined && this.count >= o.disconnectAfter) {
      this.cut = true;
      return { bytes: Uint8Array.from(out), disconnect: true };
    }
    return { bytes: out.length === chunk.length && !this.active ? chunk : Uint8Array.from(out), disconnect: false };
  }

  /** xorshift32 in [0, 1). */
  private random(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state / 2 ** 32;
  }
}
