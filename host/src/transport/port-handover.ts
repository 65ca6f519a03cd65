/**
 * Port handover, the pure part: a running `esp-sse monitor` lends its port to an esp-sse
 * flasher command (flash, uploadfs, erase, info, read-flash) and takes it back when that ends,
 * instead of the flasher failing with `port.busy` (docs/architecture.md §9).
 *
 * The monitor listens on a Unix domain socket whose path is derived from the port
 * ({@link handoverKey} → {@link handoverSocketPath}) in a per-user folder
 * ({@link handoverDir}). Messages are JSON lines ({@link encodeHandover}, {@link HandoverLines}):
 *
 * ```
 * flasher → monitor  {"v":1,"type":"release","pid":4321,"client":"esp-sse flash"}
 * monitor → flasher  {"v":1,"type":"released","pid":1234,"holder":"esp-sse monitor"}   port closed
 *                    {"v":1,"type":"refused","reason":"…"}                              port kept
 * flasher → monitor  {"v":1,"type":"done","reset":true}       flasher closed the port; reset it
 *                    (or the connection just closes: the flasher ended or died; no reset)
 * ```
 *
 * The socket I/O is in `port-handover-server.ts` (monitor) and `port-handover-client.ts`
 * (flasher). Windows (named pipes) is not covered: there {@link handoverDir} is undefined.
 */
import { createHash } from 'node:crypto';
import { isAbsolute, join, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { parsePortName } from './open-port.js';

/** Protocol version carried in every message as `v`. */
export const HANDOVER_VERSION = 1;

/** Limits and waits of the protocol, in one place. */
export const handoverLimits = {
  /**
   * How long a flasher waits for a monitor to connect and answer `release` (closing a port
   * takes milliseconds; this only has to cover a loaded machine). After it the flasher goes on
   * and meets `port.busy` if the monitor still holds the port.
   */
  answerMs: 5000,
  /** A line longer than this is bad bytes, not a message. */
  maxLineBytes: 4096,
  /** `sun_path` holds 108 bytes on Linux, 104 on macOS and the BSDs, NUL included. */
  maxSocketPathBytes: { linux: 107, other: 103 },
} as const;

/** What a flasher asks: who it is, so the monitor can say so. */
export interface LoanRequest {
  /** `esp-sse flash`. */
  client: string;
  pid: number;
}

/** How the port came back: `finished` when the flasher said `done` (else it ended or died). */
export interface LoanReturn {
  finished: boolean;
  /** The flasher left its `--after hard_reset` to the monitor, which resets the board once it holds the port again. */
  reset: boolean;
}

export type HandoverMessage =
  | ({ type: 'release' } & LoanRequest)
  | { type: 'released'; pid: number; holder: string }
  | { type: 'refused'; reason: string }
  | { type: 'done'; reset: boolean };

/**
 * Lends the port: resolves once the port is closed (`undefined`), or with the reason it is
 * not lent. `back` resolves when the borrower is done with it.
 */
export type LendHandler = (request: LoanRequest, back: Promise<LoanReturn>) => Promise<string | undefined>;

/** Where loan requests come from (the monitor's socket server; a fake in tests). */
export interface LoanSource {
  /** Registers the one handler; returns a function that removes it. */
  onRequest(handler: LendHandler): () => void;
}

/**
 * What identifies a port for the handover: for a device path its canonical path (`realpath`,
 * so `/dev/serial/by-id/…` and `/dev/ttyUSB0` agree; the path as given, made absolute, when it
 * does not exist); for `socket://` and `rfc2217://` the scheme, host and port (options dropped).
 * Those are not exclusive on this machine, but the servers behind them (esptool's and
 * pyserial's RFC 2217 servers, ser2net) serve one client at a time. Throws the port name's
 * `UserError` for a name that is not a port.
 */
export function handoverKey(name: string, realpath: (path: string) => string): string {
  const spec = parsePortName(name);
  if (spec.kind !== 'device') {
    const host = spec.host.includes(':') ? `[${spec.host}]` : spec.host.toLowerCase();
    return `${spec.kind}://${host}:${spec.port}`;
  }
  try {
    return realpath(spec.path);
  } catch {
    return resolve(spec.path);
  }
}

/**
 * The per-user folder the sockets live in: `$XDG_RUNTIME_DIR/esp-sse` (the XDG spec's place
 * for sockets: private to the user, removed at logout), else `<tmpdir>/esp-sse-<uid>`. A
 * relative `XDG_RUNTIME_DIR` is ignored, as the spec says. Undefined where there are no Unix
 * sockets with user ids (Windows).
 */
export function handoverDir(o: { env: { XDG_RUNTIME_DIR?: string | undefined }; uid: number | undefined; tmpdir: string }): string | undefined {
  if (o.uid === undefined) return undefined;
  const xdg = o.env.XDG_RUNTIME_DIR;
  if (xdg !== undefined && xdg !== '' && isAbsolute(xdg)) return join(xdg, 'esp-sse');
  return join(o.tmpdir, `esp-sse-${o.uid}`);
}

/**
 * The socket for a port key in `dir`: a readable part (`ttyUSB0`, `rfc2217-127.0.0.1-4000`)
 * and 16 hex digits of the key's SHA-256, so different paths with the same last part differ.
 * Throws `handover.path-too-long` when the result does not fit a Unix socket address.
 */
export function handoverSocketPath(dir: string, key: string, maxBytes: number = handoverLimits.maxSocketPathBytes.other): string {
  const hash = createHash('sha256').update(key).digest('hex').slice(0, 16);
  const last = key.replace('://', '-').split('/').pop() ?? '';
  const readable = last.replace(/[^A-Za-z0-9._]+/g, '-').replace(/^[-.]+|-+$/g, '').slice(0, 40);
  const path = join(dir, `${readable ? `${readable}-` : ''}${hash}.sock`);
  if (Buffer.byteLength(path) > maxBytes) {
    throw new UserError('handover.path-too-long', `the handover socket path ${path} is longer than a Unix socket address allows (${maxBytes} bytes)`,
      'set XDG_RUNTIME_DIR (or TMPDIR) to a shorter folder, e.g. /tmp');
  }
  return path;
}

/** One message as a line. */
export function encodeHandover(m: HandoverMessage): string {
  return `${JSON.stringify({ v: HANDOVER_VERSION, ...m })}\n`;
}

/** A line that is not a message of this protocol: what is wrong with it. */
export interface HandoverProblem {
  problem: string;
}

const isText = (v: unknown, max = 200): v is string => typeof v === 'string' && v.length > 0 && v.length <= max;
const isPid = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) > 0;

/** Decodes one line (without its newline). */
export function decodeHandover(line: string): HandoverMessage | HandoverProblem {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { problem: `not JSON: ${JSON.stringify(line.slice(0, 60))}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { problem: 'not a JSON object' };
  const m = value as Record<string, unknown>;
  if (m.v !== HANDOVER_VERSION) return { problem: `protocol version ${JSON.stringify(m.v)}, expected ${HANDOVER_VERSION}` };
  switch (m.type) {
    case 'release':
      return isText(m.client) && isPid(m.pid) ? { type: 'release', client: m.client, pid: m.pid } : { problem: 'release needs client (text) and pid (a positive integer)' };
    case 'released':
      return isText(m.holder) && isPid(m.pid) ? { type: 'released', holder: m.holder, pid: m.pid } : { problem: 'released needs holder (text) and pid (a positive integer)' };
    case 'refused':
      return isText(m.reason, 500) ? { type: 'refused', reason: m.reason } : { problem: 'refused needs a reason (text)' };
    case 'done':
      return typeof m.reset === 'boolean' ? { type: 'done', reset: m.reset } : { problem: 'done needs reset (true or false)' };
    default:
      return { problem: `unknown message type ${JSON.stringify(m.type)}` };
  }
}

export const isHandoverProblem = (r: HandoverMessage | HandoverProblem): r is HandoverProblem => 'problem' in r;

/**
 * Splits a byte stream into messages: `push(chunk)` returns the messages and problems of the
 * lines it completed. A line past {@link handoverLimits.maxLineBytes} is a problem; the
 * rest of it up to the next newline is skipped.
 */
export class HandoverLines {
  private partial = '';
  private skipping = false;
  private readonly decoder = new TextDecoder();

  push(chunk: Uint8Array): Array<HandoverMessage | HandoverProblem> {
    const out: Array<HandoverMessage | HandoverProblem> = [];
    const parts = (this.partial + this.decoder.decode(chunk, { stream: true })).split('\n');
    this.partial = parts.pop() ?? '';
    for (const raw of parts) {
      if (this.skipping) {
        this.skipping = false;
        continue;
      }
      const line = raw.replace(/\r$/, '');
      if (line.trim() === '') continue;
      out.push(line.length > handoverLimits.maxLineBytes ? { problem: `a line of ${line.length} bytes` } : decodeHandover(line));
    }
    if (this.partial.length > handoverLimits.maxLineBytes) {
      if (!this.skipping) out.push({ problem: `a line longer than ${handoverLimits.maxLineBytes} bytes` });
      this.skipping = true;
      this.partial = '';
    }
    return out;
  }
}
