/**
 * Hex view of the raw byte stream, 16 bytes a row, as PlatformIO's `hexlify` filter lays it out:
 * `00000010 | 48 65 6c 6c 6f 0d 0a …  | Hello..`. Rows are emitted when full; `flush()` emits a
 * short last row. Offsets count every byte since the view started.
 */
export class HexDumper {
  private offset = 0;
  private row: number[] = [];

  push(chunk: Uint8Array): string[] {
    const rows: string[] = [];
    for (const b of chunk) {
      this.row.push(b);
      if (this.row.length === 16) rows.push(this.take());
    }
    return rows;
  }

  flush(): string | undefined {
    return this.row.length > 0 ? this.take() : undefined;
  }

  private take(): string {
    const bytes = this.row;
    this.row = [];
    const hex = bytes.map((b) => b.toString(16).padStart(2, '0')).join(' ').padEnd(47);
    const ascii = bytes.map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    const line = `${this.offset.toString(16).padStart(8, '0')} | ${hex} | ${ascii}`;
    this.offset += bytes.length;
    return line;
  }
}
