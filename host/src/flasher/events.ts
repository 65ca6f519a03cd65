/**
 * What the flasher reports while it works. The library never draws: the CLI turns these into
 * progress bars (TTY), plain lines (pipes) or nothing (`--json`).
 */
export type FlashEvent =
  | { type: 'connecting'; port: string; baud: number }
  | { type: 'connected'; port: string; chip: ChipInfo }
  | { type: 'baud-changed'; port: string; baud: number }
  /** The link failed at `from`; retrying at the lower rate `to`. */
  | { type: 'baud-fallback'; port: string; from: number; to: number; reason: string }
  | { type: 'erase'; port: string; address?: number; size?: number }
  | { type: 'image-start'; port: string; index: number; name: string; address: number; size: number }
  /** `written`/`total` count bytes on the wire (compressed when compression is on). */
  | { type: 'image-progress'; port: string; index: number; written: number; total: number }
  | { type: 'image-done'; port: string; result: ImageResult }
  | { type: 'read-progress'; port: string; read: number; total: number }
  /** `by: 'monitor'`: the esp-sse monitor that lent the port resets the board once it has it back (where its boot log is seen). */
  | { type: 'reset'; port: string; mode: string; by?: 'monitor' }
  /** An esp-sse monitor let go of the port for this command; it takes it back when the command is done with it. */
  | { type: 'port-borrowed'; port: string; lender: string }
  /** Something the user should know that does not stop the command (`handover.no-answer`). */
  | { type: 'warning'; port: string; code: string; message: string; hint?: string }
  /** A line from esptool-js (shown with --verbose). */
  | { type: 'log'; port: string; message: string };

export type FlashEventListener = (event: FlashEvent) => void;

/** Chip facts read at connect time. */
export interface ChipInfo {
  /** `ESP32-D0WD-V3 (revision 3)` */
  description: string;
  chip: string;
  revision?: number;
  features: string[];
  crystalMHz: number;
  mac: string;
  /** `4MB`, from the SPI flash ID; undefined if it could not be read. */
  flashSize?: string;
  flashId?: number;
  /** True when the flasher stub is running (else the ROM loader answers). */
  stub: boolean;
}

export interface ImageResult {
  name: string;
  address: number;
  size: number;
  /** Bytes sent on the wire (deflated when `compressed`); 0 when skipped. */
  wireBytes: number;
  compressed: boolean;
  status: 'written' | 'skipped';
  /** Milliseconds spent writing (0 when skipped). */
  ms: number;
  md5: string;
}
