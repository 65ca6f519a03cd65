/**
 * Replays the raw requests of `fixtures/http-3.12.0` (what ESPAsyncWebServer 3.12.0 answered,
 * see its README.md) against a server and compares the replies: plain replies byte for byte,
 * event streams by their head and their event structure (ids and times differ per run, the
 * last event of a capture may be cut, the number of `time_reading` events is timing).
 * Works against anything that listens: the emulator, or a board flashed with the same sketch.
 */
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The fixture folder in this repository. */
export const fixtureDir = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'http-3.12.0');
/** The folder the captured library served (`serveStatic("/", FS, "/")`). */
export const fixtureDataDir = join(fixtureDir, 'data');

export type FixtureSet = 'sketch' | 'extras';

/** One entry of `requests.json`, with its captured reply. */
export interface FixtureEntry {
  readonly name: string;
  readonly set: FixtureSet;
  readonly what: string;
  /** The exact request bytes (Latin-1 text in the JSON). */
  readonly request: Uint8Array;
  /** An event-stream request: read for `window` seconds. */
  readonly sse: boolean;
  readonly window?: number;
  /** `sse_reset`: seconds after which a second connection calls GET /reset. */
  readonly resetAfter?: number;
  /** Read until the server closes or this many seconds passed. */
  readonly timeout?: number;
  readonly reply: Uint8Array;
}

export interface FixtureTarget {
  readonly host: string;
  readonly port: number;
}

export interface FixtureResult {
  readonly name: string;
  readonly what: string;
  /** How the reply was compared. */
  readonly compared: 'bytes' | 'event-stream';
  readonly match: boolean;
  /** Readable difference when `match` is false. */
  readonly diff: string;
  readonly expected: Uint8Array;
  readonly received: Uint8Array;
}

interface RawEntry {
  set: FixtureSet;
  what: string;
  request: string;
  sse?: boolean;
  window?: number;
  reset_after?: number;
  timeout?: number;
}

/** The fixture's entries of one set (or all), in the file's order. */
export function loadFixture(set?: FixtureSet, dir = fixtureDir): FixtureEntry[] {
  const raw = JSON.parse(readFileSync(join(dir, 'requests.json'), 'utf8')) as Record<string, RawEntry>;
  return Object.entries(raw)
    .filter(([, e]) => set === undefined || e.set === set)
    .map(([name, e]) => ({
      name,
      set: e.set,
      what: e.what,
      request: Buffer.from(e.request, 'latin1'),
      sse: e.sse === true,
      window: e.window,
      resetAfter: e.reset_after,
      timeout: e.timeout,
      reply: readFileSync(join(dir, 'replies', `${name}.bin`)),
    }));
}

export interface RunOptions {
  /** Only these entry names. */
  readonly only?: readonly string[];
  /** How long a plain request may take before the server is deemed not to close (default 10 s). */
  readonly closeTimeoutMs?: number;
  /** Plain requests run this many at a time (default 4); event streams always run one at a time. */
  readonly concurrency?: number;
}

/**
 * Sends every request of `set` and compares the replies. Plain requests first (a few at a
 * time), then the event streams one by one, so that no `/reset` of another request adds an
 * event to a stream being captured. Results are in the fixture's order.
 */
export async function runFixtureSet(target: FixtureTarget, set: FixtureSet, options: RunOptions = {}): Promise<FixtureResult[]> {
  const entries = loadFixture(set).filter((e) => !options.only || options.only.includes(e.name));
  const results = new Map<string, FixtureResult>();
  const run = async (e: FixtureEntry): Promise<void> => {
    results.set(e.name, compareReply(e, await capture(target, e, options.closeTimeoutMs ?? 10_000)));
  };
  const plain = entries.filter((e) => !e.sse);
  const width = Math.max(1, options.concurrency ?? 4);
  for (let i = 0; i < plain.length; i += width) await Promise.all(plain.slice(i, i + width).map(run));
  for (const e of entries.filter((x) => x.sse)) await run(e);
  return entries.map((e) => results.get(e.name) as FixtureResult);
}

/** Sends one entry's request on a fresh connection and returns what came back. */
export async function capture(target: FixtureTarget, entry: FixtureEntry, closeTimeoutMs = 10_000): Promise<Uint8Array> {
  const limitMs = entry.sse ? (entry.window ?? 0.5) * 1000 : entry.timeout !== undefined ? entry.timeout * 1000 : closeTimeoutMs;
  const reset =
    entry.resetAfter === undefined
      ? undefined
      : delay(entry.resetAfter * 1000).then(() => readUntilClose(target, Buffer.from('GET /reset HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n', 'latin1'), closeTimeoutMs));
  const data = await readUntilClose(target, entry.request, limitMs);
  await reset;
  return data;
}

/** Writes `request`, collects bytes until the peer closes (FIN or RST) or `limitMs` passed. */
function readUntilClose(target: FixtureTarget, request: Uint8Array, limitMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect({ host: target.host, port: target.port, noDelay: true });
    const timer = setTimeout(() => socket.destroy(), limitMs);
    let connected = false;
    socket.on('connect', () => {
      connected = true;
      socket.write(request);
    });
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('end', () => socket.end());
    socket.on('error', (e: NodeJS.ErrnoException) => {
      if (!connected && e.code !== 'ECONNRESET') reject(e);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks));
    });
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

const headEnd = (b: Uint8Array): number => Buffer.from(b).indexOf('\r\n\r\n');

/** True when the captured reply is an event stream (its head names `text/event-stream`). */
export function isEventStreamReply(reply: Uint8Array): boolean {
  const end = headEnd(reply);
  return end >= 0 && /\r\nContent-Type: text\/event-stream\r\n/i.test(`${Buffer.from(reply).subarray(0, end).toString('latin1')}\r\n`);
}

/** Compares one reply the way the fixture README says. */
export function compareReply(entry: FixtureEntry, received: Uint8Array): FixtureResult {
  const base = { name: entry.name, what: entry.what, expected: entry.reply, received };
  if (!isEventStreamReply(entry.reply)) {
    const match = Buffer.compare(Buffer.from(entry.reply), Buffer.from(received)) === 0;
    return { ...base, compared: 'bytes', match, diff: match ? '' : textDiff(latin1(entry.reply), latin1(received)) };
  }
  const want = streamShape(entry.reply);
  const got = streamShape(received);
  const match = want.join('\n') === got.join('\n');
  return { ...base, compared: 'event-stream', match, diff: match ? '' : textDiff(want.join('\n'), got.join('\n')) };
}

/**
 * An event stream as comparable lines: the head verbatim, then each complete event with its
 * `id:` number and `"time":"…"` value replaced by `N`, a run of `time_reading` events folded
 * into one `time_reading ×n` line (n not compared), and a cut-off last event dropped.
 */
export function streamShape(reply: Uint8Array): string[] {
  const text = latin1(reply);
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) return [`(no head) ${JSON.stringify(text)}`];
  const out = text.slice(0, end).split('\r\n').map((l) => JSON.stringify(l));
  out.push('--- events');
  const body = text.slice(end + 4);
  const events = body.split('\n\n');
  events.pop(); // the part after the last blank line: empty or a cut-off event
  let run = false;
  for (const ev of events) {
    const lines = ev.split('\n').map((l) => l.replace(/^id: [1-9][0-9]*$/, 'id: N').replace(/"time":"[0-9]+"/g, '"time":"N"'));
    const shown = JSON.stringify(lines.join('\\n'));
    if (lines.includes('event: time_reading')) {
      if (run && out[out.length - 1] === `time_reading ×n ${shown}`) continue;
      out.push(`time_reading ×n ${shown}`);
      run = true;
    } else {
      out.push(shown);
      run = false;
    }
  }
  return out;
}

function latin1(b: Uint8Array): string {
  return Buffer.from(b).toString('latin1');
}

/**
 * A line diff (`-` expected, `+` received, two lines of context), lines shown as JSON strings
 * so that CR, LF and binary bytes are visible. Long inputs are cut around the first difference.
 */
export function textDiff(expected: string, received: string, maxLines = 400): string {
  const a = splitKeep(expected);
  const b = splitKeep(received);
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let post = 0;
  while (post < a.length - pre && post < b.length - pre && a[a.length - 1 - post] === b[b.length - 1 - post]) post++;
  const midA = a.slice(pre, a.length - post);
  const midB = b.slice(pre, b.length - post);
  const ops = midA.length * midB.length <= maxLines * maxLines ? lcsDiff(midA, midB) : [...midA.map((l) => `- ${l}`), ...midB.map((l) => `+ ${l}`)];
  const context = a.slice(Math.max(0, pre - 2), pre).map((l) => `  ${l}`);
  const after = a.slice(a.length - post, a.length - post + 2).map((l) => `  ${l}`);
  const shown = [...context, ...ops.slice(0, maxLines), ...(ops.length > maxLines ? [`  … ${ops.length - maxLines} more`] : []), ...after];
  return [`first difference at line ${pre + 1} (expected ${expected.length} bytes, received ${received.length})`, ...shown].join('\n');
}

function splitKeep(s: string): string[] {
  return (s.match(/[^\n]*\n|[^\n]+$/g) ?? []).map((l) => JSON.stringify(l));
}

function lcsDiff(a: string[], b: string[]): string[] {
  const n = a.length;
  const m = b.length;
  const t: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      const row = t[i] as number[];
      row[j] = a[i] === b[j] ? (t[i + 1] as number[])[j + 1] as number + 1 : Math.max((t[i + 1] as number[])[j] as number, row[j + 1] as number);
    }
  }
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      out.push(`  ${a[i]}`);
      i++;
      j++;
    } else if (j < m && (i === n || ((t[i] as number[])[j + 1] as number) >= ((t[i + 1] as number[])[j] as number))) {
      out.push(`+ ${b[j++]}`);
    } else {
      out.push(`- ${a[i++]}`);
    }
  }
  return out;
}

/** One line per result, then the diffs of those that differ. */
export function formatResults(results: readonly FixtureResult[]): string {
  const lines = results.map((r) => `${r.match ? 'same  ' : 'DIFFER'} ${r.name} (${r.compared}): ${r.what}`);
  for (const r of results.filter((x) => !x.match)) lines.push('', `=== ${r.name}: ${r.what}`, r.diff);
  return lines.join('\n');
}
