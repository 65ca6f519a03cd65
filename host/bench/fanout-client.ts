/**
 * Worker process of the fan-out bench: opens `count` raw SSE connections to the emulator and
 * measures, per connection, the time from TCP connect to the first event (hello!) and the
 * arrival gaps of `time_reading` events inside the measurement window. Reports a compact
 * summary (gap histogram, per-client rates, first-event latencies) to the parent over IPC.
 *
 * Protocol (IPC): parent → `{ type: 'connect', host, port, count }`, then
 * `{ type: 'window-start' }` and `{ type: 'window-end' }`; worker → `{ type: 'connected' }`,
 * `{ type: 'result', … }`.
 */
import { connect, type Socket } from 'node:net';

/** Histogram bin width (ms) and range for gaps. */
export const gapBinMs = 0.1;
export const gapBins = 10_000; // 0 … 1000 ms; beyond goes into the last bin

export interface ClientResult {
  type: 'result';
  /** Per-client event rate (events/s) over the window, from first to last arrival. */
  rates: number[];
  /** Probe connections opened during the window: latency from TCP connect to the first event (hello!), ms. */
  firstEventMs: number[];
  /** Time to connect this worker's clients and get every first event (the ramp), ms. */
  rampMs: number;
  /** Histogram of gaps between consecutive readings on one connection (bin = 0.1 ms). */
  gapHistogram: number[];
  /** Connections that ended or failed before the window closed. */
  lost: number;
}

interface Conn {
  socket: Socket;
  connectedAt: number;
  firstAt?: number;
  inWindow: number;
  windowFirst?: number;
  windowLast?: number;
  last?: number;
  ended: boolean;
}

const request = (host: string, port: number) => `GET /sse HTTP/1.1\r\nHost: ${host}:${port}\r\nAccept: text/event-stream\r\n\r\n`;
const marker = Buffer.from('\n\n');

let windowOpen = false;
let rampMs = 0;
const conns: Conn[] = [];
const probes: number[] = [];
let probeTimer: NodeJS.Timeout | undefined;

/** A new client joining the busy server: connect, wait for hello!, close. */
function probe(host: string, port: number): void {
  const socket = connect({ host, port, noDelay: true });
  let at = 0;
  socket.once('connect', () => {
    at = performance.now();
    socket.write(request(host, port));
  });
  socket.on('data', (chunk: Buffer) => {
    if (at > 0 && chunk.includes(marker)) {
      probes.push(performance.now() - at);
      at = 0;
      socket.destroy();
    }
  });
  socket.on('error', () => undefined);
}
const hist = new Array<number>(gapBins).fill(0);

function onChunk(c: Conn, chunk: Buffer): void {
  const now = performance.now();
  // Events end with a blank line (LF LF in the pinned library); the head ends with CRLF CRLF.
  let events = 0;
  for (let i = chunk.indexOf(marker); i >= 0; i = chunk.indexOf(marker, i + 2)) events++;
  if (events === 0) return;
  if (c.firstAt === undefined) {
    c.firstAt = now;
    events--; // hello!
    if (events === 0) return;
  }
  if (windowOpen) {
    for (let k = 0; k < events; k++) {
      if (c.last !== undefined && c.windowFirst !== undefined) {
        const gap = k === 0 ? now - c.last : 0;
        hist[Math.min(gapBins - 1, Math.floor(gap / gapBinMs))]!++;
      }
      c.windowFirst ??= now;
      c.windowLast = now;
      c.inWindow++;
      c.last = now;
    }
  } else c.last = now;
}

function open(host: string, port: number): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, noDelay: true });
    const c: Conn = { socket, connectedAt: 0, inWindow: 0, ended: false };
    conns.push(c);
    socket.once('connect', () => {
      c.connectedAt = performance.now();
      socket.write(request(host, port));
    });
    socket.on('data', (chunk: Buffer) => {
      const first = c.firstAt === undefined;
      onChunk(c, chunk);
      if (first && c.firstAt !== undefined) resolve();
    });
    const end = () => {
      if (!c.ended) {
        c.ended = true;
        resolve();
      }
    };
    socket.on('error', end);
    socket.on('close', end);
  });
}

let target = { host: '127.0.0.1', port: 0 };
process.on('message', async (m: { type: string; host?: string; port?: number; count?: number; probeEveryMs?: number }) => {
  if (m.type === 'connect') {
    target = { host: m.host!, port: m.port! };
    // Connect in small batches so the ramp does not turn into a SYN flood against the backlog.
    const batch = 50;
    const t0 = performance.now();
    for (let i = 0; i < m.count!; i += batch) {
      await Promise.all(Array.from({ length: Math.min(batch, m.count! - i) }, () => open(m.host!, m.port!)));
    }
    rampMs = performance.now() - t0;
    process.send!({ type: 'connected', ok: conns.filter((c) => c.firstAt !== undefined && !c.ended).length });
  } else if (m.type === 'window-start') {
    windowOpen = true;
    probeTimer = setInterval(() => probe(target.host, target.port), m.probeEveryMs ?? 100);
  } else if (m.type === 'window-end') {
    windowOpen = false;
    clearInterval(probeTimer);
    const live = conns.filter((c) => c.firstAt !== undefined);
    const result: ClientResult = {
      type: 'result',
      rates: live.map((c) => (c.inWindow > 1 && c.windowLast! > c.windowFirst! ? ((c.inWindow - 1) * 1000) / (c.windowLast! - c.windowFirst!) : 0)),
      firstEventMs: probes,
      rampMs,
      gapHistogram: hist,
      lost: conns.filter((c) => c.ended).length,
    };
    process.send!(result, () => {
      for (const c of conns) c.socket.destroy();
      process.exit(0);
    });
  }
});
