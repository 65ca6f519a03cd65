/**
 * Incremental Server-Sent Events parser following the WHATWG HTML "event stream
 * interpretation" rules: lines end in CRLF, LF or CR; `field: value` with one optional space
 * stripped; `data` lines joined with LF; a blank line dispatches. Feed it the body bytes of an
 * `text/event-stream` response in any chunking.
 *
 * Memory is bounded: an event (its pending line plus the data, event type and id gathered so
 * far) longer than `maxEventLength` characters is dropped, the rest of it skipped up to the
 * blank line that ends it, and reported as an `sse.event-too-large` warning. The spec sets no
 * limit; a board cannot send anything near the default (1 MiB): ESPAsyncWebServer builds each
 * event as one String in the ESP32's heap, a few hundred KB at most.
 */
import type { WarnFn } from '../errors.js';

/** Default {@link SseParserOptions.maxEventLength}: 1 MiB of text. */
export const SSE_MAX_EVENT_LENGTH = 1 << 20;

export interface SseParserOptions {
  /** Longest event kept, in UTF-16 code units (default {@link SSE_MAX_EVENT_LENGTH}). */
  maxEventLength?: number;
  /** Told about each dropped event (`sse.event-too-large`). */
  onWarning?: WarnFn;
}

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
  private readonly max: number;
  private readonly warn: WarnFn;
  private buffer = '';
  /** Characters held for the current event: its data lines, event type and id. */
  private held = 0;
  /** Skipping the rest of an event that grew too long, up to its blank line. */
  private skipping = false;
  /** While skipping: whether the current (unseen) line has any characters. */
  private partial = false;
  /** Events dropped for being longer than the limit. */
  dropped = 0;
  private afterCr = false;
  private first = true;
  private data: string[] = [];
  private eventType = '';
  private id: string | undefined;
  private retry: number | undefined;
  private lastEventIdBuffer = '';

  constructor(options: SseParserOptions = {}) {
    this.max = options.maxEventLength ?? SSE_MAX_EVENT_LENGTH;
    this.warn = options.onWarning ?? (() => {});
  }

  /** Characters held for the event being gathered (its data, type, id and unfinished line); at most about `maxEventLength`. */
  get pending(): number {
    return this.held + this.buffer.length;
  }

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
        if (this.skipping) {
          // A blank line ends the event being skipped.
          if (!this.partial && i === start) this.skipping = false;
          this.partial = false;
        } else {
          const line = this.buffer + text.slice(start, i);
          this.buffer = '';
          this.line(line, out);
          if (this.held > this.max) this.overflow();
        }
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
    if (this.skipping) {
      this.partial ||= start < text.length;
    } else {
      this.buffer += text.slice(start);
      if (this.held + this.buffer.length > this.max) this.overflow();
    }
    return out;
  }

  /** Drops the event being gathered and skips the rest of it. */
  private overflow(): void {
    this.partial = this.buffer.length > 0;
    this.buffer = '';
    this.skipping = true;
    this.clearEvent();
    this.dropped++;
    this.warn('sse.event-too-large', `an event-stream event grew past ${this.max} characters without ending; it was dropped`,
      'the server sends events larger than any board would; check the URL');
  }

  private clearEvent(): void {
    this.data = [];
    this.eventType = '';
    this.id = undefined;
    this.retry = undefined;
    this.held = 0;
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
        this.held += value.length + 1;
        break;
      case 'event':
        this.held += value.length - this.eventType.length;
        this.eventType = value;
        break;
      case 'id':
        // An id longer than the limit would outlive the event it came with in lastEventId.
        if (!value.includes('\0') && value.length <= this.max) {
          this.held += value.length - (this.id?.length ?? 0);
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
    this.clearEvent();
  }
}
