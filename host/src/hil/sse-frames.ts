/**
 * Splits an event-stream body into raw events, each the exact text of its lines with their
 * own line endings and the terminating blank line, so a check can compare bytes (CRLF vs LF)
 * and not only meaning. Line ends are CRLF, LF or CR as in the WHATWG rules; a CR at the end
 * of a chunk waits for the next chunk to decide between CR and CRLF.
 */
export class RawEventSplitter {
  private pending = '';
  private lines: string[] = [];

  /** Feeds body text (latin1 or UTF-8 decoded by the caller); returns the events it completed. */
  push(text: string): string[] {
    this.pending += text;
    const out: string[] = [];
    for (;;) {
      const m = /\r\n|\n|\r/.exec(this.pending);
      if (!m) break;
      const end = m.index + m[0].length;
      if (m[0] === '\r' && end === this.pending.length) break; // maybe the first half of CRLF
      const line = this.pending.slice(0, end);
      this.pending = this.pending.slice(end);
      this.lines.push(line);
      if (m.index === 0) {
        out.push(this.lines.join(''));
        this.lines = [];
      }
    }
    return out;
  }
}

/** The fields of one raw event (`field: value`, one optional space stripped). */
export interface RawEventFields {
  readonly event?: string;
  readonly id?: string;
  readonly retry?: string;
  readonly data: string[];
}

/** Reads the fields of a raw event (enough to classify it; bytes are compared separately). */
export function eventFields(raw: string): RawEventFields {
  const out: { event?: string; id?: string; retry?: string; data: string[] } = { data: [] };
  for (const line of raw.split(/\r\n|\n|\r/)) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const name = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (name === 'data') out.data.push(value);
    else if (name === 'event' || name === 'id' || name === 'retry') out[name] = value;
  }
  return out;
}
