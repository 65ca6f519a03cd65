/**
 * Bench helper: one emulated ESP32 in this process — flash, UART with wire timing at the set
 * baud rate, the dev-board reset circuit, ROM loader and stub — and a {@link LinkFactory} that
 * plugs the flasher into it through an in-memory serial pair (DTR/RTS and baud changes reach
 * the UART, so `--before default_reset` and the baud switch are real).
 */
import { Flash } from '../src/emulator/flash.js';
import { attachMemoryPort } from '../src/emulator/uart/memory-port.js';
import { SerialSide } from '../src/emulator/uart/serial-side.js';
import { Uart } from '../src/emulator/uart/uart.js';
import type { LinkFactory, WebSerialLike } from '../src/flasher/link.js';
import { createMemoryPair } from '../src/transport/memory.js';
import { WebSerialAdapter } from '../src/transport/webserial-adapter.js';

export interface EmulatedBoard {
  flash: Flash;
  uart: Uart;
  link: LinkFactory;
  dispose(): void;
}

export function emulatedBoard(opts: { wireTiming: boolean }): EmulatedBoard {
  const flash = new Flash();
  const uart = new Uart({ wireTiming: opts.wireTiming });
  const side = new SerialSide({ flash, uart, board: { hold() {}, bootFromFlash() {} } });
  side.powerOn('normal');
  const detach: (() => void)[] = [];
  const link: LinkFactory = {
    createTransport: async (name) => {
      const [host, device] = createMemoryPair([name, `${name}#board`]);
      detach.push(await attachMemoryPort(uart, device));
      return host;
    },
    toWebSerial: (t, info) => new WebSerialAdapter(t, info) as unknown as WebSerialLike,
  };
  return {
    flash,
    uart,
    link,
    dispose() {
      for (const d of detach.splice(0)) d();
      side.dispose();
    },
  };
}
