/**
 * The auto-reset circuit of an ESP32 dev board (two transistors between DTR/RTS and EN/IO0):
 * RTS asserted with DTR released pulls EN low (chip in reset); DTR asserted with RTS released
 * pulls IO0 low. Rule that satisfies esptool, esptool-js and PlatformIO (docs/serial-protocol.md
 * §3.4): "in reset" once (RTS=1, DTR=0) is seen; (1,1) keeps it there; when RTS then goes 1→0
 * the chip boots, into download mode if DTR is asserted at that moment, else from flash.
 */
export type BootMode = 'download' | 'normal';

export interface ResetEvents {
  /** EN went low: the chip stops. */
  onHold(): void;
  /** EN released: the chip boots in `mode`. */
  onBoot(mode: BootMode): void;
}

export class ResetCircuit {
  private dtr = false;
  private rts = false;
  private inReset = false;

  constructor(private readonly events: ResetEvents) {}

  /** Lines as the host set them (`true` = asserted). */
  setLines(lines: { dtr: boolean; rts: boolean }): void {
    const wasRts = this.rts;
    this.dtr = lines.dtr;
    this.rts = lines.rts;
    if (this.rts && !this.dtr && !this.inReset) {
      this.inReset = true;
      this.events.onHold();
    } else if (this.inReset && wasRts && !this.rts) {
      this.inReset = false;
      this.events.onBoot(this.dtr ? 'download' : 'normal');
    }
  }

  get holding(): boolean {
    return this.inReset;
  }
}
