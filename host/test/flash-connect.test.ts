import { SerialPort } from 'serialport';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../src/emulator/index.js';
import { infoBoards } from '../src/flasher/jobs.js';
import type { LinkFactory, WebSerialLike } from '../src/flasher/link.js';
import { createTransport } from '../src/transport/open-port.js';
import type { ControlSignals } from '../src/transport/types.js';
import { PassThroughCable } from './pass-through-cable.js';
import { WebSerialAdapter } from '../src/transport/webserial-adapter.js';
import { cliTimeoutMs, runCli, startBoard, type EmulatedBoard } from './flash-helpers.js';

/** Connection failures a user can act on: a port held by another program, a board whose IO0 is not wired to DTR. */
const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

/** A board without the IO0 transistor: RTS still pulses EN, DTR never reaches IO0. */
class NoBootLineCable extends PassThroughCable {
  override setSignals(s: ControlSignals) { return this.inner.setSignals({ ...s, ...(s.dtr !== undefined ? { dtr: false } : {}) }); }
}

describe('connecting', () => {
  it('a port another program holds: port.busy, exit 3, with the fix', async () => {
    const b: EmulatedBoard = await startBoard({ pty: true });
    cleanup.push(() => b.close());
    const holder = new SerialPort({ path: b.port, baudRate: 115200, autoOpen: false });
    await new Promise<void>((resolve, reject) => holder.open((e) => (e ? reject(e) : resolve())));
    cleanup.push(() => new Promise<void>((resolve) => holder.close(() => resolve())));
    const r = await runCli(['info', '--port', b.port, '--before', 'no_reset']);
    expect(r.stderr).toMatch(/error\[port\.busy\]: serial port .* is busy\n  hint: another program holds the port: close serial monitors/);
    expect(r.code).toBe(3);
  }, cliTimeoutMs);

  it('a board that boots normally instead of into download mode: connect.wrong-boot-mode with its boot mode and "hold BOOT"', async () => {
    const emu: RunningEmulator = await startEmulator({ httpPort: 0, uart: { rfc2217Port: 0 } });
    cleanup.push(() => emu.close());
    const link: LinkFactory = {
      createTransport: (name) => new NoBootLineCable(createTransport(name)),
      toWebSerial: (t, info) => new WebSerialAdapter(t, info) as unknown as WebSerialLike,
    };
    const [out] = await infoBoards({ ports: [emu.uart!.portNames[0]!], baud: 115200, before: 'default_reset', after: 'no_reset', link, connectAttempts: 2 });
    expect(out!.ok).toBe(false);
    if (out!.ok) return;
    expect(out!.error.code).toBe('connect.wrong-boot-mode');
    expect(out!.error.exitCode).toBe(4);
    expect(out!.error.message).toMatch(/booted normally \(boot mode 0x13\) instead of entering download mode/);
    expect(out!.error.hint).toMatch(/hold BOOT \(GPIO0\), press and release EN/);
  }, cliTimeoutMs);
});
