/**
 * Incremental line decoder for serial output: `push(chunk) → lines[]`. Bytes are decoded as
 * UTF-8 across chunk boundaries (invalid bytes become U+FFFD, never an exception); lines end at
 * LF and a trailing CR is dropped, so CR LF (the ESP32's line end) and bare LF both work.
 */
export class LineSplitter {
  private readonly decoder = new TextDecoder('utf-8', { fatal: false });
  private partial = '';

  push(chunk: Uint8Array): string[] {
    this.partial += this.decoder.decode(chunk, { stream: true });
    const parts = this.partial.split('\n');
    this.partial = parts.pop() ?? '';
    return parts.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  }

  /** The unterminated tail so far (a prompt, `Connecting to WiFi ....`), without consuming it. */
  get pending(): string {
    return this.partial;
  }

  /** Returns and clears the unterminated tail (at idle, or at close). */
  flush(): string | undefined {
    this.partial += this.decoder.decode();
    const rest = this.partial.endsWith('\r') ? this.partial.slice(0, -1) : this.partial;
    this.partial = '';
    return rest.length > 0 ? rest : undefined;
  }
}
