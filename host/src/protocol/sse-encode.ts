/**
 * SSE event encoding as ESPAsyncWebServer's `generateEventMessage` does it (wire doc §2).
 * Field order is fixed: retry, id, event, data lines, blank line.
 */

/** Arguments of `send(message, event, id, reconnect)`; `null` stands for a C `NULL`. */
export interface SseEventArgs {
  /** `null` ⇒ no data line and no terminating blank line. */
  readonly message: string | null;
  /** `null`/undefined ⇒ no `event:` line; `''` ⇒ an `event: ` line with an empty value. */
  readonly event?: string | null;
  /** uint32; 0 ⇒ omitted. */
  readonly id?: number;
  /** Reconnect delay in ms; 0 ⇒ omitted. */
  readonly retry?: number;
}

/** Which library's splitting and line endings to reproduce. */
export type SseDialect = 'original' | 'fork';

const encoder = new TextEncoder();

/** Encodes one event to bytes. */
export function encodeSseEvent(dialect: SseDialect, args: SseEventArgs): Uint8Array {
  return encoder.encode(formatSseEvent(dialect, args));
}

/** Encodes one event to a string (UTF-8 text as the C string would hold it). */
export function formatSseEvent(dialect: SseDialect, args: SseEventArgs): string {
  const nl = dialect === 'original' ? '\r\n' : '\n';
  let out = '';
  const retry = (args.retry ?? 0) >>> 0;
  const id = (args.id ?? 0) >>> 0;
  if (retry !== 0) out += `retry: ${retry}${nl}`;
  if (id !== 0) out += `id: ${id}${nl}`;
  if (args.event !== null && args.event !== undefined) out += `event: ${args.event}${nl}`;
  if (args.message === null) return out;
  return out + (dialect === 'original' ? originalDataLines(args.message) : forkDataLines(args.message));
}

/** Position and length of the next line break at or after `from`, or undefined. */
interface Break {
  at: number;
  next: number;
}

/**
 * me-no-dev 1.2.4: `\n`, `\r`, `\r\n` and `\n\r` each end a line; the last line gets
 * `\r\n\r\n`; a message ending in a line break gets one extra `\r\n`.
 */
function originalDataLines(msg: string): string {
  let out = '';
  let start = 0;
  do {
    const br = findBreak(msg, start, true);
    if (!br) {
      out += `data: ${msg.slice(start)}\r\n\r\n`;
      start = msg.length;
    } else {
      out += `data: ${msg.slice(start, br.at)}\r\n`;
      start = br.next;
      if (start === msg.length) out += '\r\n';
    }
  } while (start < msg.length);
  return out;
}

/**
 * Fork ≥ v3.4.5: `\r\n` is one break, `\n\r` two. Reproduces its bug: when the rest of the
 * message holds no further break, the whole original message is appended as the last line.
 */
function forkDataLines(msg: string): string {
  let out = '';
  let start = 0;
  do {
    const br = findBreak(msg, start, false);
    if (!br) return `${out}data: ${msg}\n\n`;
    out += `data: ${msg.slice(start, br.at)}\n`;
    start = br.next;
  } while (start < msg.length);
  return `${out}\n`;
}

function findBreak(msg: string, from: number, pairLfCr: boolean): Break | undefined {
  const n = msg.indexOf('\n', from);
  const r = msg.indexOf('\r', from);
  if (n < 0 && r < 0) return undefined;
  if (n >= 0 && r >= 0) {
    if (r + 1 === n) return { at: r, next: n + 1 };
    if (pairLfCr && n + 1 === r) return { at: n, next: r + 1 };
    const at = Math.min(n, r);
    return { at, next: at + 1 };
  }
  const at = n >= 0 ? n : r;
  return { at, next: at + 1 };
}
