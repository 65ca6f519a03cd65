import type { MemoryTransport } from '../../transport/memory.js';
import type { Uart } from './uart.js';

/**
 * Connects the device end of an in-memory pair to the UART: bytes both ways, the host end's
 * DTR/RTS into the reset circuit and its baud rate into the mismatch check. Opens the device end
 * if needed; returns a function that detaches.
 */
export async function attachMemoryPort(uart: Uart, device: MemoryTransport): Promise<() => void> {
  if (!device.isOpen) await device.open();
  const port = uart.attach({
    deliver: (b) => void device.write(b).catch(() => {}),
    disconnect: () => void device.close(),
  });
  if (device.peer) port.setHostBaudRate(device.peer.baudRate);
  const off = [
    device.onData((b) => port.receive(b)),
    device.onPeerSignals((s) => port.setLines(s)),
    device.onPeerBaudRate((b) => port.setHostBaudRate(b)),
    device.onClose(() => port.detach()),
  ];
  return () => {
    for (const f of off) f();
    port.detach();
  };
}
