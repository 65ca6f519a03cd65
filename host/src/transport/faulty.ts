import { TransportBase } from './base.js';
import { FaultInjector, type FaultOptions } from './faults.js';
import type { ByteTransport, ControlSignals } from './types.js';

/**
 * Wraps a transport and injects faults into the bytes it receives and/or sends (corruption,
 * drops, a disconnect after N bytes). A disconnect closes the inner transport and reports a
 * dropped link to this transport's close listeners.
 */
export class FaultyTransport extends TransportBase {
  readonly name: string;
  private readonly rx: FaultInjector;
  private readonly tx: FaultInjector;
  private unsubscribe: (() => void)[] = [];

  constructor(private readonly inner: ByteTransport, faults: { receive?: FaultOptions; send?: FaultOptions }) {
    super(inner.baudRate);
    this.name = inner.name;
    this.rx = new FaultInjector(faults.receive);
    this.tx = new FaultInjector(faults.send);
  }

  protected async doOpen(): Promise<void> {
    await this.inner.setBaudRate(this.baudRate);
    await this.inner.open();
    this.unsubscribe = [
      this.inner.onData((d) => {
        const r = this.rx.apply(d);
        this.deliver(r.bytes);
        if (r.disconnect) void this.cut();
      }),
      this.inner.onClose((e) => this.dropped(e ?? new Error(`${this.name} closed`))),
    ];
  }

  protected async doWrite(data: Uint8Array): Promise<void> {
    const r = this.tx.apply(data);
    if (r.bytes.length > 0) await this.inner.write(r.bytes);
    if (r.disconnect) await this.cut();
  }

  protected async doClose(): Promise<void> {
    for (const u of this.unsubscribe.splice(0)) u();
    await this.inner.close();
  }

  protected async doSetSignals(_all: Required<ControlSignals>, changed: ControlSignals): Promise<void> {
    await this.inner.setSignals(changed);
  }

  protected async doSetBaudRate(baud: number): Promise<void> {
    await this.inner.setBaudRate(baud);
  }

  private async cut(): Promise<void> {
    for (const u of this.unsubscribe.splice(0)) u();
    this.dropped(new Error(`fault injection: link cut after ${this.name} passed the configured byte count`));
    await this.inner.close();
  }
}
