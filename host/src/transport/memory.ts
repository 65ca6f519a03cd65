import { TransportBase } from './base.js';
import type { ControlSignals } from './types.js';

/** What the other end of a memory pair can observe besides bytes: the control lines and baud. */
export interface LineObserver {
  /** Called with both lines whenever the peer changes either. */
  onPeerSignals(listener: (signals: Required<ControlSignals>) => void): () => void;
  /** Called when the peer changes its baud rate. */
  onPeerBaudRate(listener: (baud: number) => void): () => void;
}

/**
 * One end of an in-memory serial link. Bytes written on one end arrive (asynchronously, in order)
 * at the other once both are open; DTR/RTS and baud changes are reported to the peer's
 * observers, which is how the emulator's UART sees a host's reset sequence in tests.
 * Like a USB cable: the host end closing its port leaves the device end open (bytes sent meanwhile
 * are lost, as on a real UART nobody listens to), the device end closing drops the host end
 * (its close listeners get an error), as an unplugged board would.
 */
export class MemoryTransport extends TransportBase implements LineObserver {
  peer?: MemoryTransport;
  /** Whether closing this end drops the peer (a board being unplugged) or not (a host closing its port). */
  dropsPeerOnClose = true;
  private signalObservers = new Set<(s: Required<ControlSignals>) => void>();
  private baudObservers = new Set<(b: number) => void>();

  constructor(readonly name: string, baudRate = 115200) {
    super(baudRate);
  }

  onPeerSignals(listener: (signals: Required<ControlSignals>) => void): () => void {
    this.signalObservers.add(listener);
    return () => this.signalObservers.delete(listener);
  }

  onPeerBaudRate(listener: (baud: number) => void): () => void {
    this.baudObservers.add(listener);
    return () => this.baudObservers.delete(listener);
  }

  protected async doOpen(): Promise<void> {}

  protected async doWrite(data: Uint8Array): Promise<void> {
    const peer = this.peer;
    const copy = data.slice();
    queueMicrotask(() => peer?.receiveFromPeer(copy));
  }

  protected async doClose(): Promise<void> {
    const peer = this.peer;
    if (this.dropsPeerOnClose) queueMicrotask(() => peer?.peerClosed());
  }

  protected async doSetSignals(all: Required<ControlSignals>): Promise<void> {
    const peer = this.peer;
    if (peer) for (const l of [...peer.signalObservers]) l({ ...all });
  }

  protected async doSetBaudRate(baud: number): Promise<void> {
    const peer = this.peer;
    if (peer) for (const l of [...peer.baudObservers]) l(baud);
  }

  private receiveFromPeer(data: Uint8Array): void {
    this.deliver(data);
  }

  private peerClosed(): void {
    this.dropped(new Error(`${this.peer?.name ?? 'peer'} closed`));
  }
}

/** Two connected ends: `[host, device]` by convention. */
export function createMemoryPair(names: [string, string] = ['memory://host', 'memory://device'], baudRate = 115200): [MemoryTransport, MemoryTransport] {
  const a = new MemoryTransport(names[0], baudRate);
  const b = new MemoryTransport(names[1], baudRate);
  a.peer = b;
  b.peer = a;
  a.dropsPeerOnClose = false;
  return [a, b];
}
