/**
 * `hil --emulator`: a virtual board on free loopback ports, with its UART on an RFC 2217 port
 * so the serial-side checks go through the same client code as a board on a network serial
 * server, and its mDNS on loopback only (so the boot log carries the firmware's mDNS line).
 */
import { startEmulator, type RunningEmulator } from '../emulator/index.js';
import { attachUart, type AttachedUart } from '../emulator/uart/attach.js';
import type { ExpectedProfile } from './expected-wire.js';

export interface EmulatorTarget {
  readonly url: string;
  /** `rfc2217://127.0.0.1:<port>` of the emulator's UART. */
  readonly portName: string;
  readonly emulator: RunningEmulator;
  close(): Promise<void>;
}

export async function startEmulatorTarget(o: { profile?: ExpectedProfile; dataDir?: string; onWarning?: (code: string, message: string) => void } = {}): Promise<EmulatorTarget> {
  const emulator = await startEmulator({
    httpPort: 0,
    ...(o.profile ? { profile: o.profile } : {}),
    ...(o.dataDir ? { dataDir: o.dataDir } : {}),
    mdns: { ...(o.onWarning ? { onWarning: o.onWarning } : {}) },
  });
  let uart: AttachedUart;
  try {
    uart = await attachUart(emulator.board, { rfc2217Port: 0, ...(o.onWarning ? { warn: o.onWarning } : {}) });
  } catch (e) {
    await emulator.close();
    throw e;
  }
  return {
    url: emulator.url,
    portName: uart.portNames[0] as string,
    emulator,
    async close() {
      await uart.close();
      await emulator.close();
    },
  };
}
