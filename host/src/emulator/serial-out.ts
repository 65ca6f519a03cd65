/**
 * The board's UART0 transmit side: everything the firmware (and the ROM, the bootloader,
 * `ets_printf`) prints goes through one `SerialOut`. Listeners get the bytes in order; the
 * CLI echoes them to stdout, the emulated UART forwards them to a serial client.
 */
export type SerialListener = (data: Uint8Array) => void;

const encoder = new TextEncoder();

export class SerialOut {
  private readonly listeners = new Set<SerialListener>();

  /** `Serial.print`: text is sent as UTF-8, bytes as they are. */
  print(data: string | Uint8Array): void {
    const bytes = typeof data === 'string' ? encoder.encode(data) : data;
    if (bytes.length === 0) return;
    for (const listener of [...this.listeners]) listener(bytes);
  }

  /** `Serial.println`: Arduino ends lines with CR LF. */
  println(data: string | Uint8Array = ''): void {
    this.print(data);
    this.print('\r\n');
  }

  /** Registers a listener; returns a function that removes it. */
  onData(listener: SerialListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
