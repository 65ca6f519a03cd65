/**
 * Issue 14, the HTTP port: a peer that sends an endless request line, an endless run of tiny
 * headers, or connects and then never sends nor closes (16 of them, the board's connection
 * limit) cannot crash, wedge or bloat the emulator. Each test asserts that the emulator still
 * serves others (an event stream keeps receiving events, a page is answered), that its RSS grew
 * by less than 64 MB and which warnings it printed.
 *
 * The board's times are shortened (receive timeout, lwIP's FIN_WAIT_2 and zero-window timers) so
 * the tests do not wait 20 s or 455 s; the compiled-sketch test keeps the real 3 s receive timeout.
 */
import { readFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../src/emulator/index.js';
import { lwipTcpTimers } from '../src/emulator/http/tcp-server.js';
import type { HttpServerTuning } from '../src/emulator/http/web-server.js';
import { boardHttpLimits } from '../src/protocol/http-request.js';
import { boardMaxActiveTcp, type ProfileId } from '../src/protocol/http-profiles.js';
import { flood, SilentPeer } from './abuse-peers.js';
import { closeAfterEach, RawClient, sseGet, StreamReader, until, waitTimeoutMs, type CloseKind } from './emulator-helpers.js';

const { running, clients } = closeAfterEach();
/** Sockets of silent peers and event streams, closed after each test. */
const sockets: Socket[] = [];
afterEach(() => {
  for (const s of sockets.splice(0)) s.destroy();
});
const MB = 1024 * 1024;

interface Warning {
  readonly code: string;
  readonly message: string;
}

async function boot(options: EmulatorOptions & { http?: HttpServerTuning } = {}): Promise<{ emu: RunningEmulator; warnings: Warning[] }> {
  const warnings: Warning[] = [];
  const { http, ...rest } = options;
  const emu = await startEmulator({
    host: '127.0.0.1',
    httpPort: 0,
    app: 'model',
    onWarning: (code, message) => warnings.push({ code, message }),
    ...rest,
    board: { ...(http ? { http } : {}), ...rest.board },
  });
  running.push(emu);
  return { emu, warnings };
}

/** The peak RSS of this process (and of the compiled app, when there is one) while `run` runs. */
async function peakRssGrowth(emu: RunningEmulator, run: () => Promise<void>): Promise<number> {
  const pid = (emu.board.sketch as { pid?: number } | undefined)?.pid;
  const rss = (): number => process.memoryUsage().rss + (pid ? appRss(pid) : 0);
  const base = rss();
  let peak = base;
  const sampler = setInterval(() => (peak = Math.max(peak, rss())), 10);
  try {
    await run();
  } finally {
    clearInterval(sampler);
  }
  return Math.max(peak, rss()) - base;
}

function appRss(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** An event-stream client that counts events; `events()` is how many arrived so far. */
async function eventStream(port: number): Promise<{ reader: StreamReader; events: () => number; more: (n: number) => Promise<void> }> {
  const reader = await StreamReader.open(port, sseGet);
  sockets.push(reader.socket);
  await reader.waitForEvent((m) => m.data === 'hello!', 'hello!');
  const events = (): number => reader.events.length;
  const more = async (n: number): Promise<void> => {
    const from = events();
    await until(`${n} more events`, () => events() >= from + n);
  };
  return { reader, events, more };
}

/** The page is still served (1.2.4 never closes after a response: read one response instead). */
async function pageServed(port: number): Promise<string> {
  const c = await RawClient.connect(port);
  clients.push(c);
  c.write('GET / HTTP/1.1\r\n\r\n');
  return c.response();
}

const profilesUnderTest: ProfileId[] = ['esp32async-3.12.0', 'me-no-dev-1.2.4'];

it('the board\'s numbers: 64 KiB line, 128 KiB head, 1024 headers, 64 KiB body; lwIP 500 ms tick, 20 s FIN_WAIT_2, 455 s zero window', () => {
  expect(boardHttpLimits).toEqual({ maxLineBytes: 65536, maxHeadBytes: 131072, maxHeaders: 1024, maxKeptBody: 65536 });
  expect(lwipTcpTimers).toEqual({ slowTickMs: 500, finWait2Ms: 20_000, zeroWindowMs: 455_000 });
  // tcp_persist_backoff in slow ticks; TCP_MAXRTX (12) probes, the last slot repeating.
  const backoff = [3, 6, 12, 24, 48, 96, 120];
  const ticks = Array.from({ length: 12 }, (_, i) => backoff[Math.min(i, backoff.length - 1)]!).reduce((a, b) => a + b, 0);
  expect((ticks + 1) * lwipTcpTimers.slowTickMs).toBe(lwipTcpTimers.zeroWindowMs);
});

describe.each(profilesUnderTest)('%s: request heads over the board\'s limits', (profile) => {
  const hello = profile === 'me-no-dev-1.2.4' ? 'data: hello!\r\n\r\n' : 'data: hello!\n\n';

  it('an endless request line (64 MiB in 64 KiB chunks) is reset past 64 KiB; others are served', async () => {
    const { emu, warnings } = await boot({ profile });
    const sse = await eventStream(emu.httpPort);
    let result: { sent: number; close: CloseKind } | undefined;
    const growth = await peakRssGrowth(emu, async () => {
      result = await flood(emu.httpPort, 'GET /', Buffer.alloc(64 * 1024, 0x61), 64 * MB);
    });
    expect(result?.close).toBe('reset');
    expect(result!.sent).toBeLessThan(64 * MB);
    await sse.more(5);
    expect(await pageServed(emu.httpPort)).toMatch(/^HTTP\/1.1 200 OK\r\n/);
    expect(growth).toBeLessThan(64 * MB);
    expect(warnings.filter((w) => w.code === 'emulate.http-limit').map((w) => w.message)).toEqual([
      expect.stringContaining(`request line longer than ${boardHttpLimits.maxLineBytes} bytes; connection reset (RST)`),
    ]);
  });

  it('an endless run of tiny headers is reset past 1024 headers; others are served', async () => {
    const { emu, warnings } = await boot({ profile });
    const sse = await eventStream(emu.httpPort);
    let result: { sent: number; close: CloseKind } | undefined;
    const growth = await peakRssGrowth(emu, async () => {
      result = await flood(emu.httpPort, 'GET / HTTP/1.1\r\n', Buffer.from('a:b\r\n'.repeat(4096)), 64 * MB);
    });
    expect(result?.close).toBe('reset');
    await sse.more(5);
    expect(await pageServed(emu.httpPort)).toMatch(/^HTTP\/1.1 200 OK\r\n/);
    expect(growth).toBeLessThan(64 * MB);
    expect(warnings.filter((w) => w.code === 'emulate.http-limit').map((w) => w.message)).toEqual([
      expect.stringContaining(`more headers than ${boardHttpLimits.maxHeaders}; connection reset (RST)`),
    ]);
  });

  it('16 silent clients hold every slot only until lwIP\'s FIN_WAIT_2 timer frees them; the 17th is served', async () => {
    const http: HttpServerTuning = { rxTimeoutMs: 300, tcp: { slowTickMs: 50, finWait2Ms: 1000 } };
    const { emu, warnings } = await boot({ profile, http });
    const server = emu.board.sketch!.server;
    const silent = await Promise.all(Array.from({ length: boardMaxActiveTcp }, () => SilentPeer.open(emu.httpPort, (socket) => sockets.push(socket))));
    await until('16 slots taken', () => server.activeConnections === boardMaxActiveTcp);
    const start = Date.now();
    const page = await RawClient.connect(emu.httpPort);
    clients.push(page);
    page.write('GET / HTTP/1.1\r\n\r\n');
    const stream = await RawClient.connect(emu.httpPort);
    clients.push(stream);
    stream.write(sseGet);
    await until('both held', () => server.heldConnections === 2);

    // The receive timeout sends FIN to each silent peer; they keep their side open.
    await until('FIN to every silent peer', () => silent.every((p) => p.finAt !== undefined));
    expect(page.data.length).toBe(0);
    expect(server.activeConnections).toBe(boardMaxActiveTcp);

    expect(await page.response()).toMatch(/^HTTP\/1.1 200 OK\r\n/);
    const waited = Date.now() - start;
    expect(waited).toBeGreaterThanOrEqual(800);
    expect(waited).toBeLessThan(waitTimeoutMs);
    await stream.waitForText(hello);
    await until('silent slots freed', () => server.activeConnections <= 2);
    expect(warnings.some((w) => w.code === 'emulate.http-dropped' && w.message.includes('FIN_WAIT_2'))).toBe(true);

    // The board forgot them: whatever a dropped peer sends now is answered with RST (which the
    // peer, having read its EOF, learns from its next write).
    const late = silent[0]!;
    const poke = setInterval(() => late.socket.write('GET / HTTP/1.1\r\n\r\n'), 20);
    await late.closed.finally(() => clearInterval(poke));
    expect(late.kind).toBe('reset');
  });
});

describe('a client that stops reading its event stream', () => {
  it('holds its slot only until lwIP\'s zero-window limit drops it; memory stays bounded', async () => {
    const http: HttpServerTuning = { tcp: { slowTickMs: 50, zeroWindowMs: 500 } };
    const { emu, warnings } = await boot({ maxConnections: 1, loopTimer: false, http });
    const sketch = emu.board.sketch!;
    const stalled = await RawClient.connect(emu.httpPort);
    clients.push(stalled);
    stalled.write(sseGet);
    await stalled.waitForText('data: hello!\n\n');
    stalled.socket.pause(); // reads nothing more: the kernel buffers fill, then the socket's queue
    const big = 'x'.repeat(256 * 1024);
    const growth = await peakRssGrowth(emu, async () => {
      while (sketch.events.clientList()[0]?.queued === 0) {
        sketch.events.send(big, 'big');
        await new Promise((r) => setTimeout(r, 2));
      }
      const waiting = await RawClient.connect(emu.httpPort);
      clients.push(waiting);
      waiting.write('GET / HTTP/1.1\r\n\r\n');
      await until('held', () => sketch.server.heldConnections === 1);
      // Still sending: the queue rule drops what does not fit; the slot frees once lwIP gives up.
      const feeding = setInterval(() => sketch.events.send(big, 'big'), 20);
      try {
        expect(await waiting.response()).toMatch(/^HTTP\/1.1 200 OK\r\n/);
      } finally {
        clearInterval(feeding);
      }
    });
    expect(growth).toBeLessThan(64 * MB);
    expect(sketch.events.count()).toBe(0);
    expect(warnings.some((w) => w.code === 'emulate.http-dropped' && w.message.includes('zero-window'))).toBe(true);
  });
});

describe('the compiled sketch (default app), with the real 3 s receive timeout', () => {
  it('survives all three rows of the issue while its event stream keeps flowing', async () => {
    const http: HttpServerTuning = { tcp: { slowTickMs: 100, finWait2Ms: 1500 } };
    const { emu, warnings } = await boot({ app: 'sketch', http });
    const server = emu.board.sketch!.server;
    const sse = await eventStream(emu.httpPort);
    const growth = await peakRssGrowth(emu, async () => {
      const line = await flood(emu.httpPort, 'GET /', Buffer.alloc(64 * 1024, 0x61), 64 * MB);
      expect(line.close).toBe('reset');
      await sse.more(5);
      const headers = await flood(emu.httpPort, 'GET / HTTP/1.1\r\n', Buffer.from('a:b\r\n'.repeat(4096)), 64 * MB);
      expect(headers.close).toBe('reset');
      await sse.more(5);

      // The stream holds one slot; 15 silent peers take the others, then the 17th client waits.
      const silent = await Promise.all(Array.from({ length: boardMaxActiveTcp - 1 }, () => SilentPeer.open(emu.httpPort, (socket) => sockets.push(socket))));
        await until('16 slots taken', () => server.activeConnections === boardMaxActiveTcp);
      const start = Date.now();
      const page = await RawClient.connect(emu.httpPort);
      clients.push(page);
      page.write('GET / HTTP/1.1\r\n\r\n');
      await sse.more(25); // half a second of events while every slot is taken
      expect(await page.response()).toMatch(/^HTTP\/1.1 200 OK\r\n/);
      const waited = Date.now() - start;
      // setRxTimeout(3) sends FIN at 3 s; the silent peers' last bytes are older than 1.5 s by then.
      expect(waited).toBeGreaterThanOrEqual(2500);
      expect(waited).toBeLessThan(3000 + 1500 + 3000);
      expect(silent.every((p) => p.finAt !== undefined)).toBe(true);
      await sse.more(25);
    });
    expect(growth).toBeLessThan(64 * MB);
    const codes = warnings.map((w) => w.code);
    expect(codes.filter((c) => c === 'emulate.http-limit').length).toBeGreaterThanOrEqual(1);
    expect(codes).toContain('emulate.http-dropped');
  }, 60_000);
});
