/**
 * SLIP framing as the ESP32 ROM loader, the stub flasher, esptool and esptool-js use it
 * (RFC 1055 delimiters and escapes; see docs/esp32-serial-protocol.md §1.1).
 * Every frame carries its own leading and trailing 0xC0.
 */
export const SLIP_END = 0xc0;
export const SLIP_ESC = 0xdb;
export const SLIP_ESC_END = 0xdc;
export const SLIP_ESC_ESC = 0xdd;

/** Encodes one frame: `C0`, payload with C0→DB DC and DB→DB DD, `C0`. */
export function slipEncode(payload: Uint8Array): Uint8Array {
  let extra = 0;
  for (const b of payload) if (b === SLIP_END || b === SLIP_ESC) extra++;
  const out = new Uint8Array(payload.length + extra + 2);
  let j = 0;
  out[j++] = SLIP_END;
  for (const b of payload) {
    if (b === SLIP_END) {
      out[j++] = SLIP_ESC;
      out[j++] = SLIP_ESC_END;
    } else if (b === SLIP_ESC) {
      out[j++] = SLIP_ESC;
      out[j++] = SLIP_ESC_ESC;
    } else {
      out[j++] = b;
    }
  }
  out[j] = SLIP_END;
  return out;
}

/** What the decoder reports besides frames: bytes outside frames and broken escapes. */
export interface SlipNoise {
  kind: 'outside-frame' | 'bad-escape';
  bytes: Uint8Array;
}

/**
 * Incremental, lenient SLIP decoder (the chip side of the link): bytes between frames are
 * reported as noise and skipped, an empty frame (`C0 C0`) is taken as a frame boundary, a bad
 * escape keeps the byte and is reported. `push(chunk)` returns the frames completed by it.
 */
export class SlipDecoder {
  private inFrame = false;
  private escaping = false;
  private buf: number[] = [];
  private junk: number[] = [];

  constructor(private readonly onNoise?: (noise: SlipNoise) => void) {}

  push(chunk: Uint8Array): Uint8Array[] {
    const frames: Uint8Array[] = [];
    for (const b of chunk) {
      if (!this.inFrame) {
        if (b === SLIP_END) {
          this.flushJunk();
          this.inFrame = true;
          this.buf = [];
        } else {
          this.junk.push(b);
        }
        continue;
      }
      if (this.escaping) {
        this.escaping = false;
        if (b === SLIP_ESC_END) this.buf.push(SLIP_END);
        else if (b === SLIP_ESC_ESC) this.buf.push(SLIP_ESC);
        else {
          this.onNoise?.({ kind: 'bad-escape', bytes: Uint8Array.of(SLIP_ESC, b) });
          this.buf.push(b);
        }
      } else if (b === SLIP_ESC) {
        this.escaping = true;
      } else if (b === SLIP_END) {
        if (this.buf.length === 0) continue; // C0 C0: the second delimiter opens the next frame
        frames.push(Uint8Array.from(this.buf));
        this.buf = [];
        this.inFrame = false;
      } else {
        this.buf.push(b);
      }
    }
    this.flushJunk();
    return frames;
  }

  /** Drops a partial frame (after a reset or a baud change). */
  reset(): void {
    this.inFrame = false;
    this.escaping = false;
    this.buf = [];
    this.junk = [];
  }

  private flushJunk(): void {
    if (this.junk.length === 0) return;
    const bytes = Uint8Array.from(this.junk);
    this.junk = [];
    this.onNoise?.({ kind: 'outside-frame', bytes });
  }
}
