/**
 * The sketch link: the framed protocol between the virtual board (Node) and the sketch's app
 * process (the user's C++ built against `firmware/runtime/`). The board owns every byte on
 * HTTP, SSE, UART and mDNS; the app owns the sketch's logic. The app says what the sketch did
 * (registered a route, answered a request, printed, sent an event); the board says what
 * happened outside (a request came in, a client connected, bytes arrived on the UART).
 * Described in docs/sketch-link.md; the C++ side is `firmware/runtime/src/link.cpp`.
 *
 * Pure: `encodeFrame` and the incremental `FrameDecoder`, over Uint8Array.
 *
 * A frame is `u32 length | u8 type | u32 id | fields…`, little-endian; `length` counts every
 * byte after itself. Fields are `u32` (4 bytes), `bytes` (u32 length + bytes; strings are
 * their UTF-8 or Latin-1 bytes, never NUL-terminated) and `list` (u32 count + that many
 * `bytes`). Each type has a fixed field list ({@link schemas}). `id` pairs a call with its
 * reply (replies carry the call's id); events use 0. Ids are per direction.
 */

/** Bumped when a schema changes; the app sends it in HELLO and the board refuses another. */
export const linkAbi = 2;

/** The largest frame either side accepts (a request body or a file read fits well inside). */
export const maxFrameBytes = 16 * 1024 * 1024;

export type FieldKind = 'u32' | 'bytes' | 'list';

/** Frame types. 1–63: app → board. 64–127: board → app. */
export const T = {
  // --- app → board -------------------------------------------------------------------------
  /** First frame: abi, the app's pid. */
  hello: 1,
  /** `Serial.write`/`print`: bytes for UART0. */
  serialTx: 2,
  /** A call the board answers with `reply` (same id): see {@link CallOp}. */
  call: 3,
  /** A route or handler registration, or a change to one: see {@link RouteOp}. */
  route: 4,
  /** `request->send(...)`: a response descriptor for request `reqId`. */
  response: 5,
  /** `events.send(...)` (client 0) or `client->send(...)`. */
  sseSend: 6,
  /** The dispatch `id` (a request, a connect) returned on the async_tcp thread. */
  done: 7,
  /** `ESP.restart()`. */
  restart: 8,
  /** The app crashed: what the board prints as its panic (reason, fault address, detail). */
  panic: 9,
  /** A host-side diagnostic the board cannot print (code, message, hint). */
  warn: 10,
  /** Reply to a board `template` call: the processor's values, in order. */
  appReply: 11,
  /** `client->close()` or `events.close()`. */
  sseClose: 12,
  /** mDNS: `MDNS.addService` / `addServiceTxt`. */
  mdns: 13,

  // --- board → app -------------------------------------------------------------------------
  /** Reply to an app `call`. */
  reply: 64,
  /** A request for one of the app's handlers. */
  request: 65,
  /** An event-stream client connected: run `onConnect`. */
  sseConnect: 66,
  /** An event-stream client went away: run `onDisconnect`. */
  sseDisconnect: 67,
  /** Bytes typed into UART0 (`Serial.read`). */
  serialRx: 68,
  /** Run a template response's processor for each placeholder name, reply with `appReply`. */
  template: 69,
} as const;
export type FrameType = (typeof T)[keyof typeof T];

/** What a `call` asks (its first field). */
export const CallOp = {
  /** `server.begin()`: port → ok, error text. */
  serverBegin: 1,
  /** `MDNS.begin(hostname)` → ok. */
  mdnsBegin: 2,
  /** `FS.begin(formatOnFail, …, label)`: b = formatOnFail, s1 = label → ok (mounted), b = the esp_err_t. */
  fsBegin: 3,
  /** Read a whole file: path → kind (0 none, 1 file, 2 directory), bytes. */
  fsRead: 4,
  /** List a directory: path → names (full paths) and their sizes (as decimal text). */
  fsList: 5,
  /** `totalBytes()`/`usedBytes()` → total, used. */
  fsInfo: 6,
  /** `events.count()` for source `a` → count. */
  sseCount: 7,
  /** A write the runtime does not support yet: path → refused (kind 0) with a message. */
  fsWrite: 8,
  /** `LittleFS.format()`: s1 = label → ok, b = the esp_err_t. */
  fsFormat: 9,
} as const;

/**
 * Which file system a file call (field c), a `serveStatic` route (field c) or a file response
 * (bits 8–15 of d, {@link responseVolumeShift}) means. 0 is SPIFFS, so frames that leave the
 * field 0 mean what they meant before LittleFS.
 */
export const Volume = {
  spiffs: 0,
  littlefs: 1,
} as const;
export type VolumeId = (typeof Volume)[keyof typeof Volume];

/** Where a file response's volume sits in its flags (d). */
export const responseVolumeShift = 8;

/** What a `route` frame does (its first field). */
export const RouteOp = {
  /** `server.on(uri, methods, fn[, upload, body])`: handler, methods, uri, flags. */
  on: 1,
  /** `server.serveStatic(uri, fs, path[, cache])`: handler, uri, path, cache control. */
  serveStatic: 2,
  /** `server.addHandler(&events)`: handler (= source id), url. */
  events: 3,
  /** `server.onNotFound(fn)`: handler. */
  notFound: 4,
  /** `DefaultHeaders::Instance().addHeader(name, value)`. */
  defaultHeader: 5,
  /** `setDefaultFile(name)` on static handler `a`. */
  defaultFile: 6,
  /** `setCacheControl(value)` on static handler `a`. */
  cacheControl: 7,
} as const;

/** `response` kinds. */
export const ResponseKind = {
  /** `send(code, type, content)` / `beginResponse` + `addHeader` + `send`, `redirect`. */
  basic: 1,
  /** `send(fs, path, type, download)`. */
  file: 2,
  /** `send(fs, path, type, download, processor)`: placeholders filled by a `template` call. */
  fileTemplate: 3,
  /** `send(code, type, content, processor)`. */
  textTemplate: 4,
} as const;

/**
 * Generic field lists. Every frame of a type carries these fields in this order; unused ones
 * are 0 or empty. `a`–`d` are numbers, `s1`–`s4` byte strings, `l1` a list.
 *
 * - hello: a = abi, b = pid
 * - serialTx: s1 = bytes
 * - call: a = CallOp, b = number arg, c = volume (file calls), s1/s2 = text args
 * - reply (to call): a = ok/kind/count, b = second number, s1 = bytes/text, l1 = list
 * - route: a = RouteOp, b = handler id, c = methods/flags (`on`) or volume (`serveStatic`), s1 = uri, s2 = path/value, s3 = cache control,
 *   d = `on` flags: 1 has a body handler, 2 has an upload handler, 4 has a request handler (without
 *   one, `canHandle` refuses every request, so the route never matches)
 * - response: a = ResponseKind, b = request id, c = status, d = flags (1 download; 2 the response
 *   adds `Connection` when sent, after its own headers, as AsyncAbstractResponse kinds such as
 *   AsyncResponseStream do; basic responses add it at construction; bits 8–15 the file kinds'
 *   volume), s1 = content type,
 *   s2 = content (basic/textTemplate) or path (file kinds), l1 = extra headers as name, value pairs
 * - sseSend: a = source id, b = client id (0 = all), c = event id, d = retry,
 *   s1 = message, s2 = event, s3 = which are not NULL: contains `m` (message) and/or `e` (event)
 * - done: (the frame id is the dispatch id)
 * - restart: none
 * - panic: a = fault address, b = program counter, s1 = reason (`LoadProhibited`, `abort`, `assert`,
 *   `task_wdt` when a web callback held async_tcp for 5 s), s2 = detail,
 *   s3 = the thread that crashed (`loopTask`, `async_tcp`)
 * - warn: s1 = code, s2 = message, s3 = hint
 * - appReply: l1 = values
 * - sseClose: a = source id, b = client id (0 = all)
 * - mdns: a = 1 service / 2 txt, b = port, s1 = service, s2 = proto, s3 = key, s4 = value
 * - request: a = handler id, b = method bit, c = version (0/1), d = remote port,
 *   s1 = method, s2 = url (decoded path), s3 = query, s4 = body, l1 = headers as name, value pairs
 *   followed by "", then params as name, value, flags ("" / "p" post / "f" file) triples,
 *   then "", then remote address
 * - sseConnect: a = source id, b = client id, c = lastId
 * - sseDisconnect: a = source id, b = client id
 * - serialRx: s1 = bytes
 * - template: a = request id, l1 = placeholder names in order
 */
export interface Frame {
  readonly type: number;
  readonly id: number;
  readonly a: number;
  readonly b: number;
  readonly c: number;
  readonly d: number;
  readonly s1: Uint8Array;
  readonly s2: Uint8Array;
  readonly s3: Uint8Array;
  readonly s4: Uint8Array;
  readonly l1: readonly Uint8Array[];
}

/** The wire layout every frame shares: four numbers, four byte strings, one list. */
export const frameFields: ReadonlyArray<readonly [keyof Frame, FieldKind]> = [
  ['a', 'u32'], ['b', 'u32'], ['c', 'u32'], ['d', 'u32'],
  ['s1', 'bytes'], ['s2', 'bytes'], ['s3', 'bytes'], ['s4', 'bytes'],
  ['l1', 'list'],
];

const empty = new Uint8Array(0);
const utf8 = new TextEncoder();

/** A frame with defaults for the fields not given; strings are encoded as UTF-8. */
export function frame(
  type: number,
  id: number,
  f: Partial<Record<'a' | 'b' | 'c' | 'd', number>> & Partial<Record<'s1' | 's2' | 's3' | 's4', Uint8Array | string>> & { l1?: ReadonlyArray<Uint8Array | string> } = {},
): Frame {
  const bytes = (v: Uint8Array | string | undefined): Uint8Array => (v === undefined ? empty : typeof v === 'string' ? utf8.encode(v) : v);
  return {
    type,
    id,
    a: f.a ?? 0,
    b: f.b ?? 0,
    c: f.c ?? 0,
    d: f.d ?? 0,
    s1: bytes(f.s1),
    s2: bytes(f.s2),
    s3: bytes(f.s3),
    s4: bytes(f.s4),
    l1: (f.l1 ?? []).map(bytes),
  };
}

/** Encodes one frame. Throws RangeError for a frame over {@link maxFrameBytes}. */
export function encodeFrame(f: Frame): Uint8Array {
  let size = 4 + 1 + 4 + 16 + 4 * 4 + f.s1.length + f.s2.length + f.s3.length + f.s4.length + 4;
  for (const item of f.l1) size += 4 + item.length;
  if (size - 4 > maxFrameBytes) throw new RangeError(`sketch-link frame of ${size - 4} bytes is over the ${maxFrameBytes}-byte limit`);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let at = 0;
  const u32 = (n: number): void => {
    view.setUint32(at, n >>> 0, true);
    at += 4;
  };
  const bytes = (b: Uint8Array): void => {
    u32(b.length);
    out.set(b, at);
    at += b.length;
  };
  u32(size - 4);
  out[at++] = f.type;
  u32(f.id);
  u32(f.a);
  u32(f.b);
  u32(f.c);
  u32(f.d);
  bytes(f.s1);
  bytes(f.s2);
  bytes(f.s3);
  bytes(f.s4);
  u32(f.l1.length);
  for (const item of f.l1) bytes(item);
  return out;
}

/** What the decoder found wrong; the stream cannot be trusted after it (the board ends the app). */
export interface LinkProblem {
  readonly problem: string;
}

/**
 * Incremental decoder: push bytes as they arrive, get whole frames. A frame whose length is
 * over {@link maxFrameBytes} or whose fields overrun it is a problem, and the decoder stops.
 */
export class FrameDecoder {
  private chunks: Uint8Array[] = [];
  private buffered = 0;
  private broken = false;

  push(chunk: Uint8Array): Array<Frame | LinkProblem> {
    const out: Array<Frame | LinkProblem> = [];
    if (this.broken || chunk.length === 0) return out;
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    while (this.buffered >= 4) {
      const head = this.peek(4);
      const length = new DataView(head.buffer, head.byteOffset, 4).getUint32(0, true);
      if (length > maxFrameBytes || length < 1 + 4 + 16 + 16 + 4) {
        this.broken = true;
        out.push({ problem: `frame length ${length} is outside 41..${maxFrameBytes}` });
        return out;
      }
      if (this.buffered < 4 + length) break;
      const body = this.take(4 + length).subarray(4);
      const decoded = decodeBody(body);
      if ('problem' in decoded) {
        this.broken = true;
        out.push(decoded);
        return out;
      }
      out.push(decoded);
    }
    return out;
  }

  private peek(n: number): Uint8Array {
    if (this.chunks[0]!.length >= n) return this.chunks[0]!;
    this.chunks = [concat(this.chunks, this.buffered)];
    return this.chunks[0]!;
  }

  private take(n: number): Uint8Array {
    const all = this.chunks.length === 1 ? this.chunks[0]! : concat(this.chunks, this.buffered);
    const taken = all.subarray(0, n);
    const rest = all.subarray(n);
    this.chunks = rest.length ? [rest] : [];
    this.buffered = rest.length;
    return taken;
  }
}

function concat(chunks: readonly Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function decodeBody(body: Uint8Array): Frame | LinkProblem {
  const view = new DataView(body.buffer, body.byteOffset, body.length);
  let at = 0;
  const need = (n: number): boolean => at + n <= body.length;
  const u32 = (): number | undefined => {
    if (!need(4)) return undefined;
    const v = view.getUint32(at, true);
    at += 4;
    return v;
  };
  const bytes = (): Uint8Array | undefined => {
    const n = u32();
    if (n === undefined || !need(n)) return undefined;
    // A copy as a plain Uint8Array (the input may be a Node Buffer, whose slice() is a view).
    const b = new Uint8Array(n);
    b.set(body.subarray(at, at + n));
    at += n;
    return b;
  };
  const type = body[at++]!;
  const id = u32();
  const a = u32();
  const b = u32();
  const c = u32();
  const d = u32();
  const s1 = bytes();
  const s2 = bytes();
  const s3 = bytes();
  const s4 = bytes();
  const count = u32();
  if (id === undefined || a === undefined || b === undefined || c === undefined || d === undefined || !s1 || !s2 || !s3 || !s4 || count === undefined) {
    return { problem: `frame type ${type}: its fields overrun its length` };
  }
  if (count > body.length - at) return { problem: `frame type ${type}: a list of ${count} items cannot fit` };
  const l1: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const item = bytes();
    if (!item) return { problem: `frame type ${type}: list item ${i} overruns the frame` };
    l1.push(item);
  }
  if (at !== body.length) return { problem: `frame type ${type}: ${body.length - at} bytes after its last field` };
  return { type, id, a, b, c, d, s1, s2, s3, s4, l1 };
}

/** UTF-8 text of a byte field. */
export function text(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.length).toString('utf8');
}

/** Latin-1 text of a byte field (HTTP heads are bytes the board keeps as they came). */
export function latin1(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.length).toString('latin1');
}
