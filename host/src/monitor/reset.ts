import type { ByteTransport, ControlSignals } from '../transport/types.js';

/** One step of a reset sequence: set lines, or wait. */
export type ResetStep = { set: ControlSignals } | { waitMs: number };

/**
 * Reset sequences as data (docs/serial-protocol.md §3.4; esptool `reset.py`). On the usual
 * auto-reset circuit RTS asserted pulls EN low, DTR asserted pulls GPIO0 low.
 */
export const resetSequences = {
  /** esptool `HardReset`: EN low for 100 ms, then run the app. */
  hard: [{ set: { dtr: false, rts: true } }, { waitMs: 100 }, { set: { rts: false } }],
  /** esptool `ClassicReset` (50 ms): EN low, then release EN while GPIO0 is held low → download mode. */
  bootloader: [
    { set: { dtr: false, rts: true } },
    { waitMs: 100 },
    { set: { dtr: true, rts: false } },
    { waitMs: 50 },
    { set: { dtr: false } },
  ],
} as const satisfies Record<string, readonly ResetStep[]>;

export type Sleep = (ms: number) => Promise<void>;
export const realSleep: Sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Plays a sequence on a transport. */
export async function playReset(t: ByteTransport, steps: readonly ResetStep[], sleep: Sleep = realSleep): Promise<void> {
  for (const s of steps) {
    if ('set' in s) await t.setSignals(s.set);
    else await sleep(s.waitMs);
  }
}
