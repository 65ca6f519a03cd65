/**
 * Incremental Server-Sent Events parser following the WHATWG HTML "event stream
 * interpretation" rules: lines end in CRLF, LF or CR; `field: value` with one optional space
 * stripped; `data` lines joined with LF; a blank line dispatches. Feed it the body bytes of an
 * `text/event-stream` response in any chunking.
 */

/** One dispatched event. */
export interface SseMessage {
  /** `event:` value, or `message` when absent. */
  readonly event: string;
  readonly data: string;
  /** The last-event-ID buffer at dispatch (persists across events, as in browsers). */
  readonly lastEventId: string;
  /** The `id:` field of this very event, if it had one. */
  readonly id?: string;
  /** The `retry:` value if this event set one. */
  readonly retry?: number;
}

export class SseParser {
  private readonly decoder = new TextDecoder('utf-8');
  private buffer = '';
  private afterCr = false;
  private first = true;
  private data: string[] = [];
  private eventType = '';
  private id: string | undefined;
  private retry: number | undefined;
  private lastEventIdBuffer = '';

  /** Feeds bytes (or already-decoded text); returns the events completed by them. */
  push(chunk: Uint8Array | string): SseMessage[] {
    let text = typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    if (this.first && text.length > 0) {
      this.first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    const out: SseMessage[] = [];
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 && this.afterCr && i === start && this.buffer === '') {
        // The LF of a CRLF split across the previous line end.
        this.afterCr = false;
        start = i + 1;
        continue;
      }
      this.afterCr = false;
      if (c === 10 || c === 13) {
        const line = this.buffer + text.slice(start, i);
        this.buffer = '';
        this.line(line, out);
        if (c === 13) {
          if (i + 1 < text.length) {
            if (text.charCodeAt(i + 1) === 10) i++;
          } else {
            this.afterCr = true;
          }
        }
        start = i + 1;
      }
    }
    this.buffer += text.slice(start);
    return out;
  }

  private line(line: string, out: SseMessage[]): void {
    if (line === '') {
      this.dispatch(out);
      return;
    }
    if (line.charCodeAt(0) === 58 /* ':' comment */) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    switch (field) {
      case 'data':
        this.data.push(value);
        break;
      case 'event':
        this.eventType = value;
        break;
      case 'id':
        if (!value.includes('\0')) {
          this.id = value;
          this.lastEventIdBuffer = value;
        }
        break;
      case 'retry':
        if (/^[0-9]+$/.test(value)) this.retry = Number(value);
        break;
      default:
        break;
    }
  }

  private dispatch(out: SseMessage[]): void {
    const hadData = this.data.length > 0;
    if (hadData) {
      const msg: { -readonly [K in keyof SseMessage]: SseMessage[K] } = {
        event: this.eventType === '' ? 'message' : this.eventType,
        data: this.data.join('\n'),
        lastEventId: this.lastEventIdBuffer,
      };
      if (this.id !== undefined) msg.id = this.id;
      if (this.retry !== undefined) msg.retry = this.retry;
      out.push(msg);
    }
    this.data = [];
    this.eventType = '';
    this.id = undefined;
    this.retry = undefined;
  }
}
