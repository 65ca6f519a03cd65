import { describe, expect, it } from 'vitest';
import { ResetCircuit } from './reset-circuit.js';

/** Feeds (dtr, rts) steps to a circuit; returns what the chip did. */
function run(steps: [dtr: 0 | 1, rts: 0 | 1][]): string[] {
  const events: string[] = [];
  const c = new ResetCircuit({ onHold: () => events.push('hold'), onBoot: (m) => events.push(m) });
  for (const [dtr, rts] of steps) c.setLines({ dtr: dtr === 1, rts: rts === 1 });
  return events;
}

describe('dev-board auto-reset circuit (docs/serial-protocol.md §3.4)', () => {
  it('esptool-js ClassicReset (both lines per call) enters download mode', () => {
    expect(run([[0, 1], [1, 0], [0, 0]])).toEqual(['hold', 'download']);
  });

  it('esptool.py ClassicReset (one line at a time, passing through DTR=RTS=1) enters download mode', () => {
    // DTR=0; RTS=1; DTR=0 (dummy re-write); DTR=1; RTS=0; DTR=0
    expect(run([[0, 0], [0, 1], [0, 1], [1, 1], [1, 0], [0, 0]])).toEqual(['hold', 'download']);
  });

  it('esptool.py UnixTightReset enters download mode', () => {
    expect(run([[0, 0], [1, 1], [0, 1], [1, 0], [0, 0], [0, 0]])).toEqual(['hold', 'download']);
  });

  it('an EN pulse with IO0 released (esptool hard_reset, PlatformIO after upload) boots the app', () => {
    expect(run([[0, 1], [0, 0]])).toEqual(['hold', 'normal']);
  });

  it('esptool-js 0.7.0 HardReset after ClassicReset (DTR left asserted) does not reset, as on a real board', () => {
    // After ClassicReset: (0,0). HardReset: setRTS(false) → (·,0) then the cached DTR=1 re-written → (1,0).
    expect(run([[0, 1], [1, 0], [0, 0], [0, 0], [1, 0]])).toEqual(['hold', 'download']);
  });

  it('a terminal opening the port (pyserial/PlatformIO monitor asserts DTR then RTS) does not reset', () => {
    expect(run([[1, 0], [1, 1], [0, 0]])).toEqual([]);
  });

  it('holds while RTS stays asserted and boots only on its release', () => {
    expect(run([[0, 1], [0, 1], [1, 1], [1, 1]])).toEqual(['hold']);
  });
});
