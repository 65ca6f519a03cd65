import { opName } from '../../protocol/rom-opcodes.js';

/**
 * `--trace`: one line per SLIP frame in both directions with the time since the previous line,
 * as esptool's `--trace` prints them (`TRACE +0.012 …`), with the opcode decoded where there is one.
 */
export class FrameTracer {
  private last?: number;

  constructor(
    private readonly print: (line: string) => void,
    private readonly now: () => number = () => performance.now(),
    /** Bytes of each frame shown in hex before eliding. */
    private readonly maxBytes = 48,
  ) {}

  frame(direction: 'in' | 'out', payload: Uint8Array): void {
    const t = this.now();
    const delta = this.last === undefined ? 0 : (t - this.last) / 1000;
    this.last = t;
    this.print(`TRACE +${delta.toFixed(3)} ${formatFrame(direction, payload, this.maxBytes)}`);
  }
}

/** `host→chip SYNC (44 bytes) 00082400…` / `chip→host SYNC reply (12 bytes) …` / raw data frames. */
export function formatFrame(direction: 'in' | 'out', payload: Uint8Array, maxBytes = 48): string {
  const arrow = direction === 'in' ? 'host→chip' : 'chip→host';
  const expected = direction === 'in' ? 0 : 1;
  let what = 'data';
  if (payload.length >= 8 && payload[0] === expected) {
    what = `${opName(payload[1] ?? 0)}${direction === 'out' ? ' reply' : ''}`;
  } else if (direction === 'out' && payload.length === 4 && new TextDecoder().decode(payload) === 'OHAI') {
    what = 'OHAI';
  }
  const shown = Buffer.from(payload.subarray(0, maxBytes)).toString('hex');
  const more = payload.length > maxBytes ? `… (+${payload.length - maxBytes})` : '';
  return `${arrow} ${what} (${payload.length} bytes) ${shown}${more}`;
}
