/**
 * SLIP framing as the ESP32 ROM loader, the stub flasher, esptool and esptool-js use it
 * (RFC 1055 delimiters and escapes; see docs/serial-protocol.md §1.1).
 * Every frame carries its own leading and trailing 0xC0.
 */
export const SLIP_END = 0xc0;
export const SLIP_ESC = 0xdb;
export const SLIP_ESC_END = 0xdc;
export const SLIP_ESC_ESC = 0xdd;

/**
 * The longest decoded frame the chip side takes: esp-flasher-stub's receive buffer
 * (`FRAME_BUFFER_SIZE` = 8-byte packet header + 0x4000 + 0xFF, "esptool max data payload"). The
 * largest frame any client sends is a FLASH_DATA/FLASH_DEFL_DATA block at the stub's block size
 * (esptool `ESP32StubLoader.FLASH_WRITE_SIZE` 0x4000, esptool-js the same, also in ROM mode):
 * 8 + 16 + 0x4000 = 16408 bytes. The legacy stub's buffers are `MAX_WRITE_BLOCK + 64`.
 */
export const SLIP_MAX_FRAME = 8 + 0x4000 + 0xff;

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

/**
 * What the decoder reports besides frames: bytes outside frames, broken escapes, and a frame
 * that outgrew the limit (`bytes` is then its first 8 bytes, the packet header; the rest of the
 * frame is dropped up to its closing `C0` without further reports).
 */
export interface SlipNoise {
  kind: 'outside-frame' | 'bad-escape' | 'frame-too-long';
  bytes: Uint8Array;
}

export interface SlipDecoderOptions {
  /** Longest decoded frame kept (default {@link SLIP_MAX_FRAME}). */
  maxFrame?: number;
}

/**
 * Incremental, lenient SLIP decoder (the chip side of the link): bytes between frames are
 * reported as noise and skipped, an empty frame (`C0 C0`) is taken as a frame boundary, a bad
 * escape keeps the byte and is reported, a frame longer than `maxFrame` is reported once and
 * dropped up to its end. `push(chunk)` returns the frames completed by it. What it keeps between
 * pushes is one partial frame of at most `maxFrame` bytes ({@link buffered}).
 */
export class SlipDecoder {
  readonly maxFrame: number;
  private inFrame = false;
  private escaping = false;
  private dropping = false;
  private buf = new Uint8Array(64);
  private len = 0;

  constructor(
    private readonly onNoise?: (noise: SlipNoise) => void,
    options: SlipDecoderOptions = {},
  ) {
    this.maxFrame = Math.max(1, options.maxFrame ?? SLIP_MAX_FRAME);
  }

  /** Bytes of a partial frame held until its end arrives (never more than `maxFrame`). */
  get buffered(): number {
    return this.len;
  }

  push(chunk: Uint8Array): Uint8Array[] {
    const frames: Uint8Array[] = [];
    let i = 0;
    while (i < chunk.length) {
      if (!this.inFrame) {
        const start = chunk.indexOf(SLIP_END, i);
        const end = start < 0 ? chunk.length : start;
        if (end > i) this.onNoise?.({ kind: 'outside-frame', bytes: chunk.slice(i, end) });
        if (start < 0) break;
        this.inFrame = true;
        this.len = 0;
        i = start + 1;
        continue;
      }
      if (this.dropping) {
        const end = chunk.indexOf(SLIP_END, i);
        if (end < 0) break;
        this.dropping = false;
        this.escaping = false;
        this.inFrame = false;
        this.len = 0;
        i = end + 1;
        continue;
      }
      const b = chunk[i++]!;
      if (this.escaping) {
        this.escaping = false;
        if (b === SLIP_ESC_END) this.put(SLIP_END);
        else if (b === SLIP_ESC_ESC) this.put(SLIP_ESC);
        else {
          this.onNoise?.({ kind: 'bad-escape', bytes: Uint8Array.of(SLIP_ESC, b) });
          if (b === SLIP_END) i--; // the delimiter still ends the frame
          else this.put(b);
        }
      } else if (b === SLIP_ESC) {
        this.escaping = true;
      } else if (b === SLIP_END) {
        if (this.len === 0) continue; // C0 C0: the second delimiter opens the next frame
        frames.push(this.buf.slice(0, this.len));
        this.len = 0;
        this.inFrame = false;
      } else {
        this.put(b);
      }
    }
    return frames;
  }

  /** Drops a partial frame (after a reset or a baud change). */
  reset(): void {
    this.inFrame = false;
    this.escaping = false;
    this.dropping = false;
    this.len = 0;
  }

  private put(b: number): void {
    if (this.len === this.maxFrame) {
      this.onNoise?.({ kind: 'frame-too-long', bytes: this.buf.slice(0, Math.min(8, this.len)) });
      this.dropping = true;
      this.escaping = false;
      this.len = 0;
      return;
    }
    if (this.len === this.buf.length) {
      const grown = new Uint8Array(Math.min(this.maxFrame, this.buf.length * 2));
      grown.set(this.buf);
      this.buf = grown;
    }
    this.buf[this.len++] = b;
  }
}
