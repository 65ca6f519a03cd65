/**
 * The event source's behaviour over real sockets: Last-Event-ID and the Serial reconnect line,
 * millis() wrapping at 2^32, and the 32-message per-client queue with its drop rule
 * (wire doc §2, §3, §4, §7).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../src/emulator/index.js';
import { sseMaxQueuedMessages } from '../src/protocol/http-profiles.js';
import { ManualTime, RawClient, startTestEmulator, StreamReader } from './emulator-helpers.js';

const sseGet = (extra = '') => `GET /sse HTTP/1.1\r\nAccept: text/event-stream\r\n${extra}\r\n`;

let running: RunningEmulator[] = [];
afterEach(async () => {
  for (const e of running) await e.close();
  running = [];
});

async function boot(options: Parameters<typeof startTestEmulator>[0] = {}) {
  let serial = '';
  const emu = await startTestEmulator({ ...options, onSerial: (b) => (serial += Buffer.from(b).toString('utf8')) });
  running.push(emu);
  return { emu, serial: () => serial };
}

describe('Last-Event-ID → lastId() → the Serial reconnect line (§3)', () => {
  const cases: Array<[string, string | null]> = [
    ['Last-Event-ID: 12345', '12345'],
    ['last-event-id: 4294967295', '4294967295'],
    ['Last-Event-ID:\t 77x', '77'], // fork skips spaces and tabs; strtoul stops at junk
    ['Last-Event-ID: -1', '4294967295'],
    ['Last-Event-ID: 99999999999', '4294967295'],
    ['Last-Event-ID: abc', null], // 0 ⇒ nothing printed
    ['Last-Event-ID: 0', null],
    ['X-Other: 5', null],
  ];
  it.each(cases)('fork: %s', async (header, printed) => {
    const { emu, serial } = await boot();
    const before = serial().length;
    const c = await RawClient.connect(emu.httpPort);
    c.write(sseGet(`${header}\r\n`));
    await c.waitForText('data: hello!\n\n');
    const out = serial().slice(before);
    expect(out).toBe(printed === null ? '' : `Client reconnected! Last message ID that it got is: ${printed}\n`);
    c.destroy();
  });

  it('1.2.4: atoi, so 3000000000 clamps to 2147483647 and -5 is 4294967291', async () => {
    const { emu, serial } = await boot({ profile: 'me-no-dev-1.2.4' });
    for (const [value, printed] of [['3000000000', '2147483647'], ['-5', '4294967291']]) {
      const c = await RawClient.connect(emu.httpPort);
      c.write(`GET /sse HTTP/1.1\r\nLast-Event-ID: ${value}\r\n\r\n`);
      await c.waitForText('data: hello!\r\n\r\n');
      expect(serial()).toContain(`Client reconnected! Last message ID that it got is: ${printed}\n`);
      c.destroy();
    }
  });
});

describe('millis() is a wrapping uint32 (§7)', () => {
  it('ids and payloads run through 4294967295 → 0 (no id line) → 1', async () => {
    const time = new ManualTime(0);
    const { emu } = await boot({ timeSource: time.source, bootMillis: 2 ** 32 - 100 });
    const c = await RawClient.connect(emu.httpPort);
    c.write(sseGet());
    await c.waitForText('retry: 10000\nid: 4294967196\ndata: hello!\n\n');
    for (const t of [99, 100, 101]) {
      time.now = t;
      emu.board.sketch!.loopOnce();
    }
    const expected =
      'id: 4294967295\nevent: time_reading\ndata: {"time":"4294967295"}\n\n' +
      'event: time_reading\ndata: {"time":"0"}\n\n' +
      'id: 1\nevent: time_reading\ndata: {"time":"1"}\n\n';
    await c.waitForText(expected);
    expect(c.text.endsWith(expected)).toBe(true);
    c.destroy();
  });

  it('a reset restarts the count from --boot-millis', async () => {
    const time = new ManualTime(1000);
    const { emu } = await boot({ timeSource: time.source, bootMillis: 500 });
    time.now = 1300;
    expect(emu.board.clock.millis()).toBe(800);
    await emu.board.reset();
    time.now = 1310;
    expect(emu.board.clock.millis()).toBe(510);
  });
});

describe.each([
  ['esp32async-3.12.0', null],
  ['me-no-dev-1.2.4', 'ERROR: Too many messages queued\n'],
] as const)('the 32-message queue, %s (§4)', (profile, overflowLine) => {
  it('a client that stops reading keeps 32 messages queued, later ones are dropped for it alone; it stays connected', async () => {
    const { emu, serial } = await boot({ profile });
    const request = (lastId: number) =>
      `GET /sse HTTP/1.1\r\nAccept: text/event-stream\r\nLast-Event-ID: ${lastId}\r\n\r\n`;
    const stalled = await StreamReader.open(emu.httpPort, request(111));
    const reader = await StreamReader.open(emu.httpPort, request(222));
    const events = emu.board.sketch!.events;
    const byLastId = (id: number) => {
      // Wait for onConnect to have run for both (hello received).
      const c = events.clientList().find((x) => x.lastId === id);
      if (!c) throw new Error(`client ${id} not connected`);
      return c;
    };
    await new Promise<void>((resolve) => {
      const check = () => (stalled.events.length > 0 && reader.events.length > 0 ? resolve() : setImmediate(check));
      check();
    });
    const slow = byLastId(111);
    const fast = byLastId(222);
    stalled.socket.pause();
    const serialBefore = serial().length;

    // 64 KiB events: the host's socket buffers fill after a few MB, then the queue.
    const big = 'x'.repeat(64 * 1024);
    const accepted: number[] = [];
    const dropped: number[] = [];
    for (let id = 1; dropped.length < 3; id++) {
      if (id > 2000) throw new Error('the stalled client never overflowed');
      const r = events.send(big, 'big', id);
      expect(r.sent + r.dropped).toBe(2);
      (r.dropped === 1 ? dropped : accepted).push(id);
      // Dropped only when 32 are queued; never more than 32 queued.
      if (r.dropped === 1) expect(slow.queued).toBe(sseMaxQueuedMessages);
      else expect(slow.queued).toBeLessThanOrEqual(sseMaxQueuedMessages);
      // The reading client gets every event before the next one is sent.
      await reader.waitForId(id);
    }
    expect(slow.dropped).toBe(3);
    expect(fast.dropped).toBe(0);
    expect(accepted.length).toBeGreaterThanOrEqual(sseMaxQueuedMessages);
    expect(slow.connected).toBe(true);
    const printed = serial().slice(serialBefore);
    expect(printed).toBe(overflowLine === null ? '' : overflowLine.repeat(3));

    // Reading again: everything that was queued arrives intact and in order, the dropped
    // events never do, and new events flow again.
    stalled.socket.resume();
    await stalled.waitForId(accepted.at(-1)!);
    const next = dropped.at(-1)! + 1;
    events.send('after', 'big', next);
    await stalled.waitForId(next);
    const bigIds = stalled.events.filter((e) => e.event === 'big').map((e) => Number(e.id));
    expect(bigIds).toEqual([...accepted, next]);
    expect(stalled.events.filter((e) => e.event === 'big' && e.id !== String(next)).every((e) => e.data === big)).toBe(true);
    stalled.socket.destroy();
    reader.socket.destroy();
  });
});

describe('when a new client joins the list (§1.3)', () => {
  // onConnect prints the reconnect line; an events.send() made at that very moment (from the
  // Serial listener, synchronously) shows whether the client is already in `_clients`.
  it.each([
    ['esp32async-3.12.0', false], // 3.12.0: onConnect runs before the client is added
    ['me-no-dev-1.2.4', true], // 1.2.4: the client is added, then onConnect runs
  ] as const)('%s: a send during onConnect reaches the new client: %s', async (profile, reaches) => {
    let emu: RunningEmulator | undefined;
    const booted = await startTestEmulator({
      profile,
      onSerial: (b) => {
        if (Buffer.from(b).toString('utf8').startsWith('Client reconnected!')) emu!.board.sketch!.events.send('during', 'probe', 0);
      },
    });
    emu = booted;
    running.push(booted);
    const c = await RawClient.connect(booted.httpPort);
    c.write(`GET /sse HTTP/1.1\r\nAccept: text/event-stream\r\nLast-Event-ID: 9\r\n\r\n`);
    const nl = profile === 'me-no-dev-1.2.4' ? '\r\n' : '\n';
    await c.waitForText(`data: hello!${nl}${nl}`);
    booted.board.sketch!.events.send('after', 'probe', 0);
    await c.waitForText(`data: after${nl}`);
    expect(c.text.includes(`data: during${nl}`)).toBe(reaches);
    if (reaches) expect(c.text.indexOf('data: during')).toBeLessThan(c.text.indexOf('data: hello!'));
    c.destroy();
  });
});
