/**
 * SSE writer processes (`sseWriters` / `esp-sse emulate --sse-writers N`): established event
 * streams move to child processes and the board behaves exactly as without them: the same
 * bytes, the same 32-message queue and drop rule, the same connection limit, RST at power off.
 * A writer that dies takes only its own clients, with a warning.
 */
import { readdirSync, readlinkSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { EventSourceModel } from '../src/emulator/http/event-source.js';
import type { EmulatorOptions, SseWriterKind } from '../src/emulator/index.js';
import { runConformance } from '../src/hil/conformance.js';
import { boardMaxActiveTcp, sseMaxQueuedMessages } from '../src/protocol/http-profiles.js';
import { closeAfterEach, ManualTime, openStreams, RawClient, sseGet, startTestEmulator, StreamReader, until } from './emulator-helpers.js';

const { running, clients } = closeAfterEach();

async function boot(sseWriter: SseWriterKind, options: EmulatorOptions = {}) {
  let serial = '';
  const warnings: string[] = [];
  const emu = await startTestEmulator({
    sseWriters: 2,
    sseWriter,
    ...options,
    onSerial: (b) => (serial += Buffer.from(b).toString('utf8')),
    onWarning: (code, message) => warnings.push(`${code}: ${message}`),
  });
  running.push(emu);
  return { emu, events: emu.board.sketch!.events, serial: () => serial, warnings };
}

const allInWriters = (events: EventSourceModel, n: number) => () => events.clientList().length === n && events.clientList().every((c) => c.inWriter);

describe.each(['native', 'node'] as const)('with SSE writer processes (%s)', (kind) => {
  it('the conformance suite passes (real 50 Hz loop)', async () => {
    const { emu, events } = await boot(kind, { loopTimer: undefined });
    expect(events.writerPids()).toHaveLength(2);
    // The program asked for runs: the C++ writer's executable, or Node.
    for (const pid of events.writerPids()) expect(readlinkSync(`/proc/${pid}/exe`)).toMatch(kind === 'native' ? /\/sse-writer$/ : /\/node[^/]*$/);
    const results = await runConformance({ baseUrl: emu.url, profile: 'esp32async-3.12.0' });
    expect(results.filter((r) => r.status !== 'passed').map((r) => `${r.id}: ${r.message}`)).toEqual([]);
  }, 60_000);

  it.each(['esp32async-3.12.0', 'me-no-dev-1.2.4'] as const)('a stream is byte for byte the one served without writers (%s)', async (profile) => {
    const streams: string[] = [];
    for (const sseWriters of [2, 0]) {
      const time = new ManualTime(1000);
      const { emu, events } = await boot(kind, { profile, sseWriters, timeSource: time.source, bootMillis: 4_294_967_000 });
      const hello = profile === 'me-no-dev-1.2.4' ? 'data: hello!\r\n\r\n' : 'data: hello!\n\n';
      const request = 'GET /sse HTTP/1.1\r\nAccept: text/event-stream\r\nLast-Event-ID: 9\r\n\r\n';
      const [c] = await openStreams(emu.httpPort, 1, { track: clients, request, hello });
      if (sseWriters) await until('the stream in a writer', allInWriters(events, 1));
      else expect(events.clientList()[0]!.inWriter).toBe(false);
      for (const t of [1100, 1295, 1296, 1400]) {
        time.now = t;
        emu.board.sketch!.loopOnce(); // through the 2^32 wrap
      }
      // Bytes the writer's channel escapes or encodes: quotes, backslash, controls, UTF-8.
      events.send('é ✓ "q" \\ \t \u0001 \u007f', 'text', 7);
      const reset = await RawClient.connect(emu.httpPort);
      clients.push(reset);
      reset.write('GET /reset HTTP/1.1\r\n\r\n');
      await reset.waitForText('OK');
      await c!.waitFor((text) => /event: reset\r?\ndata: [^\r\n]*\r?\n\r?\n$/.test(text), 'the whole reset event');
      streams.push(c!.text);
    }
    expect(streams[0]).toMatch(/\nid: 4294967295\r?\n/);
    expect(streams[0]).toContain(Buffer.from('data: é ✓ "q" \\ \t \u0001 \u007f', 'utf8').toString('latin1')); // the client's text is latin1
    expect(streams[0]).toBe(streams[1]);
  });

  it.each([
    ['esp32async-3.12.0', null],
    ['me-no-dev-1.2.4', 'ERROR: Too many messages queued\n'],
  ] as const)('a stalled client: 32 messages queued, later ones dropped for it alone, reported back (%s)', async (profile, overflowLine) => {
    const { emu, events, serial } = await boot(kind, { profile });
    const stalled = await StreamReader.open(emu.httpPort, sseGet);
    const reader = await StreamReader.open(emu.httpPort, sseGet);
    await until('both streams in writers', allInWriters(events, 2));
    await until('both hello!', () => stalled.events.length > 0 && reader.events.length > 0);
    const slow = events.clientList()[0]!; // the stalled one connected first
    stalled.socket.pause();
    const serialBefore = serial().length;

    // 64 KiB events: the socket buffers fill after a few MB, then the writer's queue.
    const big = 'x'.repeat(64 * 1024);
    let sent = 0;
    const dropCount = () => events.clientList().reduce((n, c) => n + c.dropped, 0);
    for (let id = 1; dropCount() < 3; id++) {
      if (id > 2000) throw new Error('the stalled client never overflowed');
      events.send(big, 'big', id);
      sent = id;
      await reader.waitForId(id); // the reading client gets every event before the next is sent
    }
    expect(slow.connected).toBe(true);

    // Reading again: once the writer's drop reports are in and the stalled client has read what
    // was queued, the two add up to what was sent; the queued events arrived intact and in order
    // (the dropped ones are those sent while its queue held 32: the last ones, or a run before
    // them when the kernel took more of its bytes meanwhile), and new events flow again.
    stalled.socket.resume();
    const bigIds = () => stalled.events.filter((e) => e.event === 'big').map((e) => Number(e.id));
    await until('queued + dropped = sent', () => bigIds().length + slow.dropped === sent);
    const dropped = slow.dropped;
    expect(dropped).toBeGreaterThanOrEqual(3);
    expect(serial().slice(serialBefore)).toBe(overflowLine === null ? '' : overflowLine.repeat(dropped));
    const next = sent + 1;
    events.send('after', 'big', next);
    await stalled.waitForId(next);
    const ids = bigIds();
    expect(ids.at(-1)).toBe(next);
    const kept = ids.slice(0, -1);
    expect(kept.length).toBe(sent - dropped);
    expect(kept.every((id, i) => id >= 1 && id <= sent && (i === 0 || id > kept[i - 1]!))).toBe(true);
    // Nothing is dropped before the queue holds 32, so the first 32 sent all arrived.
    expect(kept.slice(0, sseMaxQueuedMessages)).toEqual(Array.from({ length: sseMaxQueuedMessages }, (_, i) => i + 1));
    expect(stalled.events.filter((e) => e.event === 'big' && e.id !== String(next)).every((e) => e.data === big)).toBe(true);
    expect(events.clientList().map((c) => c.dropped).sort()).toEqual([0, dropped]);
    stalled.socket.destroy();
    reader.socket.destroy();
  });

  it('handed streams keep their TCP slots: the 17th connection waits until a stream in a writer closes', async () => {
    const { emu, events } = await boot(kind);
    const server = emu.board.sketch!.server;
    const streams = await openStreams(emu.httpPort, boardMaxActiveTcp, { track: clients });
    await until('16 streams in writers', allInWriters(events, boardMaxActiveTcp));
    expect(server.activeConnections).toBe(boardMaxActiveTcp);
    const extra = await RawClient.connect(emu.httpPort);
    clients.push(extra);
    extra.write(sseGet);
    await until('the 17th held', () => server.heldConnections === 1);
    expect(extra.data.length).toBe(0);
    streams[3]!.destroy();
    await extra.waitForText('data: hello!');
    expect(server.activeConnections).toBe(boardMaxActiveTcp);
    expect(server.heldConnections).toBe(0);
    await until('the 17th in a writer', allInWriters(events, boardMaxActiveTcp));
  });

  it('events.close() ends the streams in the writers with FIN; their clients leave the list', async () => {
    const { emu, events } = await boot(kind);
    const streams = await openStreams(emu.httpPort, 3, { track: clients });
    await until('3 streams in writers', allInWriters(events, 3));
    events.close();
    expect(await Promise.all(streams.map((s) => s.waitClose()))).toEqual(['fin', 'fin', 'fin']);
    await until('no client left', () => events.count() === 0);
    expect(events.writerPids()).toHaveLength(2); // the writers carry on for new clients
  });

  it('churn: streams that come and go (FIN, RST, half-close) while events flow leave no client, socket or writer behind', async () => {
    const time = new ManualTime(1000);
    const { emu, events } = await boot(kind, { timeSource: time.source, maxConnections: 0 });
    const fdCount = (pid: number) => readdirSync(`/proc/${pid}/fd`).length;
    const pids = events.writerPids();
    const before = pids.map(fdCount);
    const tick = () => {
      time.now += 20;
      emu.board.sketch!.loopOnce();
    };
    const steady = await openStreams(emu.httpPort, 4, { track: clients });
    for (let round = 0; round < 5; round++) {
      const batch = await openStreams(emu.httpPort, 30, { track: clients });
      await until(`round ${round}: all in writers`, allInWriters(events, 34));
      tick();
      // A third reset, a third closed, a third half-closed (FIN from the client, still reading).
      batch.forEach((c, i) => (i % 3 === 0 ? c.socket.resetAndDestroy() : i % 3 === 1 ? c.destroy() : c.socket.end()));
      tick();
      await until(`round ${round}: back to the steady streams`, () => events.count() === 4);
    }
    tick();
    const last = `{"time":"${time.now - 1000}"}`;
    await Promise.all(steady.map((c) => c.waitForText(last)));
    // Each steady stream got every reading, in order.
    for (const c of steady) {
      const readings = [...c.text.matchAll(/data: \{"time":"(\d+)"\}/g)].map((m) => Number(m[1]));
      expect(readings).toEqual(Array.from({ length: readings.length }, (_, i) => readings[0]! + 20 * i));
    }
    expect(events.writerPids()).toEqual(pids);
    await until('the writers hold only the steady sockets', () => pids.reduce((n, pid) => n + fdCount(pid), 0) === before.reduce((n, x) => n + x, 0) + 4);
  });

  it('power off resets the streams in the writers and ends the writer processes', async () => {
    const { emu, events } = await boot(kind);
    const streams = await openStreams(emu.httpPort, 3, { track: clients });
    await until('3 streams in writers', allInWriters(events, 3));
    const pids = events.writerPids();
    await emu.close();
    expect(await Promise.all(streams.map((s) => s.waitClose()))).toEqual(['reset', 'reset', 'reset']);
    for (const pid of pids) expect(() => process.kill(pid, 0), `writer ${pid} still running`).toThrow();
  });

  it('a writer that dies takes only its own streams, with a warning; the others and new ones carry on', async () => {
    const time = new ManualTime(1000);
    const { emu, events, warnings } = await boot(kind, { timeSource: time.source });
    const streams = await openStreams(emu.httpPort, 2, { track: clients });
    await until('2 streams in writers', allInWriters(events, 2));
    // Both writers hold their socket (a reading came through each) before one is killed.
    time.now = 1200;
    emu.board.sketch!.loopOnce();
    await Promise.all(streams.map((s) => s.waitForText('{"time":"200"}')));
    const [victim, survivor] = events.writerPids();
    process.kill(victim!, 'SIGKILL');
    const closes = await Promise.race(streams.map((s, i) => s.closed.then(() => i)));
    await until('one stream left', () => events.count() === 1);
    expect(warnings).toEqual([expect.stringMatching(/^emulate\.sse-writer-exit: an SSE writer process exited \(SIGKILL\); its 1 client\(s\) were disconnected$/)]);
    expect(events.writerPids()).toEqual([survivor]);

    const [late] = await openStreams(emu.httpPort, 1, { track: clients });
    await until('the new stream in the surviving writer', allInWriters(events, 2));
    time.now = 1500;
    emu.board.sketch!.loopOnce();
    const other = streams[1 - closes]!;
    await other.waitForText('{"time":"500"}');
    await late!.waitForText('{"time":"500"}');
  });
});
