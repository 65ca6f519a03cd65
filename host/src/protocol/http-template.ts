/**
 * Template processing of ESPAsyncWebServer 3.12.0 (`send(FS, path, type, download, processor)`,
 * `send(code, type, content, processor)`): `AsyncAbstractResponse::_fillBufferAndProcessTemplates`
 * and the chunked body `_ack` writes (src/WebResponses.cpp). Facts, from that source:
 *
 * - A placeholder is the text between two `%` (`TEMPLATE_PLACEHOLDER`); the processor is called
 *   with the name and its String replaces the whole `%…%`. `%%` is one literal `%`.
 * - A name is cut to its first 32 bytes (`TEMPLATE_PARAM_NAME_LENGTH`) but the whole text up to
 *   the closing `%` is replaced; a NUL byte ends the name (Arduino String).
 * - A `%` with no later `%` is literal text.
 * - The library works on one send buffer at a time: the body is read in pieces of the TCP send
 *   space, a `%` near a piece's end looks at most 33 bytes ahead, a value that does not fit is
 *   carried into the next piece, and after a replacement scanning resumes at the start of the
 *   inserted value (a `%` in a value opens a placeholder). {@link TemplateFiller} reproduces that
 *   piece by piece; {@link parseTemplate}/{@link renderTemplate} are the same rules for a template
 *   whose output fits one piece and whose values contain no `%`.
 * - The response is chunked whatever the HTTP version (`Transfer-Encoding` is only announced to
 *   HTTP/1.1): each piece is sent as `%04x\r\n` + bytes + `\r\n`, the end as `0000\r\n\r\n`.
 *
 * Strings hold bytes as latin1 characters, as the C strings do.
 */

/** `TEMPLATE_PLACEHOLDER`. */
export const templatePlaceholder = 0x25;
/** `TEMPLATE_PARAM_NAME_LENGTH`: longer names are cut to this many bytes. */
export const templateParamNameLength = 32;
/**
 * The board's send space for a fresh connection (`tcp_sndbuf`, `CONFIG_LWIP_TCP_SND_BUF_DEFAULT`
 * on arduino-esp32 2.x and 3.x, wire doc §9).
 */
export const boardTcpSendSpace = 5744;
/** Bytes of chunk framing around each piece: 4 hex digits, CRLF, CRLF. */
export const chunkOverhead = 8;
/** The last chunk. */
export const lastChunk = new Uint8Array(Buffer.from('0000\r\n\r\n', 'latin1'));

export type TemplatePart = { readonly text: Uint8Array } | { readonly name: string };
/** The processor: a name → its replacement (latin1 string); unknown names usually give "". */
export type TemplateProcessor = (name: string) => string;

const latin1 = (b: ArrayLike<number>): string => Buffer.from(Uint8Array.from(b)).toString('latin1');
const bytesOf = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));

/** The name the library passes to the processor: at most 32 bytes, up to the first NUL. */
function placeholderName(bytes: ArrayLike<number>): string {
  const cut = Array.from(bytes).slice(0, templateParamNameLength);
  const nul = cut.indexOf(0);
  return latin1(nul < 0 ? cut : cut.slice(0, nul));
}

/**
 * Splits a template into literal text and placeholders, as one send buffer holding the whole
 * template sees it. A placeholder whose name starts with a NUL byte is kept as text (the
 * library would loop on it forever).
 */
export function parseTemplate(bytes: Uint8Array): { parts: TemplatePart[] } {
  const parts: TemplatePart[] = [];
  let text: number[] = [];
  const flush = (): void => {
    if (text.length) parts.push({ text: Uint8Array.from(text) });
    text = [];
  };
  let i = 0;
  while (i < bytes.length) {
    const open = bytes.indexOf(templatePlaceholder, i);
    if (open < 0) break;
    text.push(...bytes.subarray(i, open));
    const close = bytes.indexOf(templatePlaceholder, open + 1);
    if (close < 0) {
      i = open;
      break;
    }
    const name = placeholderName(bytes.subarray(open + 1, close));
    if (close === open + 1) {
      text.push(templatePlaceholder);
    } else if (name === '') {
      text.push(...bytes.subarray(open, close + 1));
    } else {
      flush();
      parts.push({ name });
    }
    i = close + 1;
  }
  text.push(...bytes.subarray(i));
  flush();
  return { parts };
}

/** Joins the parts with each placeholder's value (a record, or the processor). */
export function renderTemplate(parts: readonly TemplatePart[], values: Readonly<Record<string, string>> | TemplateProcessor): Uint8Array {
  const lookup = typeof values === 'function' ? values : (name: string) => values[name] ?? '';
  const pieces = parts.map((p) => ('text' in p ? p.text : bytesOf(lookup(p.name))));
  return new Uint8Array(Buffer.concat(pieces));
}

/**
 * The library's template state for one response: the body source, the bytes carried over
 * between send buffers (`_cache`), and the processor. `fill(n)` is one
 * `_fillBufferAndProcessTemplates(buffer, n)`.
 */
export class TemplateFiller {
  private cache: number[] = [];
  private offset = 0;

  constructor(
    private readonly source: Uint8Array,
    private readonly processor: TemplateProcessor,
  ) {}

  /** True once the source and the carried-over bytes are used up. */
  get done(): boolean {
    return this.cache.length === 0 && this.offset >= this.source.length;
  }

  /** One buffer of at most `capacity` processed bytes; empty at the end. */
  fill(capacity: number): Uint8Array {
    let data = this.read(capacity);
    let p = 0;
    for (;;) {
      p = data.indexOf(templatePlaceholder, p);
      if (p < 0) break;
      const close = data.indexOf(templatePlaceholder, p + 1);
      if (close === p + 1) {
        // `%%`: drop the second, top the buffer up by one byte, go on after the first.
        data.splice(close, 1);
        data.push(...this.read(1));
        p += 1;
        continue;
      }
      if (close > p) {
        const name = placeholderName(data.slice(p + 1, close));
        if (name === '') {
          p += 1; // the library spins here forever; kept as text
          continue;
        }
        data = this.replace(data, p, close, name, capacity);
        continue;
      }
      const inBuffer = data.length - p;
      if (inBuffer >= templateParamNameLength + 2) {
        p += 1;
        continue;
      }
      // A `%` near the end: look up to 33 bytes ahead for the closing one.
      const ahead = this.read(templateParamNameLength + 2 - inBuffer);
      const k = ahead.indexOf(templatePlaceholder);
      if (k < 0) {
        this.cache.unshift(...ahead);
        p += 1;
        continue;
      }
      this.cache.unshift(...ahead.slice(k + 1));
      const name = placeholderName([...data.slice(p + 1), ...ahead.slice(0, k)]);
      // An empty name (a `%%` split by the buffer end): the second `%` is gone and this one
      // is looked at again against the bytes after it.
      if (name !== '') data = this.replace(data, p, data.length - 1, name, capacity);
    }
    return Uint8Array.from(data);
  }

  /**
   * Replaces `data[start..end]` with the processor's value, within `capacity`: what no longer
   * fits is carried over (value first). When the value overflows the buffer and nothing follows
   * the placeholder, the library keeps only as many value bytes as the placeholder had and
   * carries over those past the buffer: the ones in between are lost (reproduced).
   */
  private replace(data: number[], start: number, end: number, name: string, capacity: number): number[] {
    const value = Array.from(bytesOf(this.processor(name)));
    const placeholderLength = end - start + 1;
    const copied = Math.min(value.length, capacity - start);
    const joined = [...data.slice(0, start), ...value.slice(0, copied), ...data.slice(end + 1)];
    const overflow = joined.length > capacity ? joined.slice(capacity) : [];
    this.cache.unshift(...value.slice(copied), ...overflow);
    if (joined.length > capacity) return joined.slice(0, capacity);
    if (copied < value.length) return joined.slice(0, data.length);
    if (value.length < placeholderLength) joined.push(...this.read(capacity - joined.length));
    return joined;
  }

  /** `_readDataFromCacheOrContent`: carried-over bytes first, then the source. */
  private read(n: number): number[] {
    const fromCache = this.cache.splice(0, Math.max(0, n));
    const rest = Math.max(0, n - fromCache.length);
    const fromSource = this.source.subarray(this.offset, this.offset + rest);
    this.offset += fromSource.length;
    return [...fromCache, ...fromSource];
  }
}

/** One chunk: `%04x` length, CRLF, the bytes, CRLF. */
export function encodeChunk(data: Uint8Array): Uint8Array {
  const size = data.length.toString(16).padStart(4, '0');
  return new Uint8Array(Buffer.concat([Buffer.from(`${size}\r\n`, 'latin1'), data, Buffer.from('\r\n', 'latin1')]));
}

/** How much each send buffer may hold (chunk framing excluded). */
export interface ChunkCapacities {
  /** The first buffer shares the send space with the response head. */
  readonly first: number;
  readonly rest: number;
}

/**
 * Buffer sizes for a template response on a connection with `sendSpace` bytes of TCP send
 * space (`_ack`: `space − 8`, and the head comes out of the first). Choice: every later chunk is
 * written once the previous ones are acknowledged, so it gets the whole send space again; on a
 * board an ACK that arrives while data is still in flight makes a smaller chunk (the emulator
 * cannot know the peer's ACK timing). A head that does not fit is not modelled.
 */
export function chunkCapacities(headLength: number, sendSpace = boardTcpSendSpace): ChunkCapacities {
  return { first: Math.max(0, sendSpace - headLength - chunkOverhead), rest: Math.max(1, sendSpace - chunkOverhead) };
}

/** The whole chunked body of a template response, the last chunk included. */
export function chunkTemplateBody(source: Uint8Array, processor: TemplateProcessor, capacities: ChunkCapacities): Uint8Array {
  const filler = new TemplateFiller(source, processor);
  const out: Uint8Array[] = [];
  let capacity = capacities.first;
  for (;;) {
    // `space <= 8`: nothing goes out with the head; the first chunk waits for the next turn.
    const piece = capacity > 0 ? filler.fill(capacity) : undefined;
    if (piece) {
      if (piece.length === 0) break;
      out.push(encodeChunk(piece));
    }
    capacity = capacities.rest;
  }
  out.push(lastChunk);
  return new Uint8Array(Buffer.concat(out));
}
