/**
 * The 50 Hz loop on the board's schedule: `delay(20)` is `vTaskDelay(20)`, which wakes 20 ticks
 * after the tick the loop started in: 50 events per second, whatever the host spends per tick; checked with a manual timer, so no
 * assertion depends on how fast this machine is.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { LoopScheduler, loopPeriodMs } from '../src/emulator/app/loop-scheduler.js';
import type { RunningEmulator } from '../src/emulator/index.js';
import { SseParser } from '../src/protocol/sse-parser.js';
import { ManualTimer, RawClient, startTestEmulator } from './emulator-helpers.js';

function run(costMs: number, untilMs: number, maxCatchUp?: number) {
  const timer = new ManualTimer();
  const at: number[] = [];
  const s = new LoopScheduler({
    timer: timer.loopTimer,
    maxCatchUp,
    tick: () => {
      at.push(timer.now);
      timer.busy(costMs);
    },
  });
  s.start();
  timer.advanceTo(untilMs);
  s.stop();
  return { at, scheduler: s, timer };
}

describe('LoopScheduler', () => {
  it('the period is delay(20) on the 1 kHz tick: 50 ticks per second', () => {
    expect(loopPeriodMs).toBe(20);
    const { at } = run(0, 10_000);
    // Ticks are due at k·period for k = 0, 1, …: exactly floor(10000/period) + 1 of them by t = 10 s.
    expect(at.length).toBe(Math.floor(10_000 / loopPeriodMs) + 1);
    expect(at.length).toBe(501);
  });

  it('each tick runs at its due time (timer granularity 1 ms), not one period after the previous tick', () => {
    const { at } = run(0, 5_000);
    at.forEach((t, k) => {
      expect(t).toBeGreaterThanOrEqual(k * loopPeriodMs);
      expect(t).toBeLessThan(k * loopPeriodMs + 1);
    });
  });

  it('host work per tick does not stretch the schedule (15 ms of 20 ms spent in send)', () => {
    const idle = run(0, 10_000).at.length;
    const busy = run(15, 10_000);
    expect(busy.at.length).toBe(idle);
    busy.at.forEach((t, k) => expect(t).toBeLessThan(k * loopPeriodMs + 1));
  });

  it('a host slower than the period still yields to I/O between a few ticks, and never hangs', () => {
    // 30 ms of host work per 20 ms tick: the host cannot keep up. Without a catch-up bound
    // every tick still runs, back to back, at most 4 per turn of the event loop.
    const unbounded = run(30, 10_000, 1_000_000);
    expect(unbounded.scheduler.skipped).toBe(0);
    // Host-bound: one tick per 30 ms (the last turn may finish its few ticks past 10 s).
    expect(unbounded.at.length - Math.ceil(10_000 / 30)).toBeGreaterThanOrEqual(0);
    expect(unbounded.at.length - Math.ceil(10_000 / 30)).toBeLessThan(4);
    expect(unbounded.timer.scheduled).toBeGreaterThanOrEqual(unbounded.at.length / 4);
    // With the default bound the backlog is dropped and counted instead of growing forever.
    const bounded = run(30, 10_000);
    expect(bounded.scheduler.skipped).toBeGreaterThan(0);
    expect(Math.abs(bounded.at.length - 10_000 / 30)).toBeLessThan(4);
  });

  it('after a host stall longer than maxCatchUp periods it drops the backlog instead of bursting', () => {
    const timer = new ManualTimer();
    let ticks = 0;
    let stallOnce = true;
    const s = new LoopScheduler({
      timer: timer.loopTimer,
      maxCatchUp: 10,
      tick: () => {
        ticks++;
        if (ticks === 5 && stallOnce) {
          stallOnce = false;
          timer.busy(5_000); // the host froze for 5 s inside one tick
        }
      },
    });
    s.start();
    timer.advanceTo(5 * loopPeriodMs + 5_000);
    // The ~247 missed ticks are skipped (counted), not run back to back.
    expect(s.skipped).toBeGreaterThan(200);
    expect(ticks).toBeLessThan(10);
    s.stop();
  });

  it('reports dropped ticks: at once the first time, then at most every 10 s with the count since', () => {
    const timer = new ManualTimer();
    const reports: Array<[number, number]> = [];
    let ticks = 0;
    const stallAt = new Set([5, 20, 700]); // ~0.1 s, ~1.4 s, well after 10 s
    const s = new LoopScheduler({
      timer: timer.loopTimer,
      maxCatchUp: 10,
      onBehind: (dropped) => reports.push([timer.now, dropped]),
      tick: () => {
        ticks++;
        if (stallAt.has(ticks)) timer.busy(1_000); // the host froze for a second inside a tick
      },
    });
    s.start();
    timer.advanceTo(30_000);
    s.stop();
    // The first stall is reported when noticed; the second falls in the 10 s quiet time and is
    // reported with the third; every dropped tick is in exactly one report.
    expect(reports.length).toBe(2);
    expect(reports[1]![0] - reports[0]![0]).toBeGreaterThanOrEqual(10_000);
    expect(reports[0]![1]).toBeGreaterThan(40);
    expect(reports[1]![1]).toBeGreaterThan(2 * 40);
    expect(reports[0]![1] + reports[1]![1]).toBe(s.skipped);
  });

  it('stop() cancels the pending timer', () => {
    const { timer } = run(0, 100);
    expect(timer.pending).toBe(0);
  });
});

describe('the emulator loop end to end', () => {
  let emu: RunningEmulator | undefined;
  afterEach(async () => {
    await emu?.close();
    emu = undefined;
  });

  it('a client sees time_reading ids = millis() at each due tick, 50 in the first second after it joined', async () => {
    const timer = new ManualTimer();
    emu = await startTestEmulator({ timeSource: timer.source, loopTimer: timer.loopTimer });
    // The first loop() ran at boot (t = 0), before this client connected.
    const c = await RawClient.connect(emu.httpPort);
    c.write('GET /sse HTTP/1.1\r\nAccept: text/event-stream\r\n\r\n');
    await c.waitForText('data: hello!\n\n');
    timer.advanceTo(1000);
    const expectedIds = Array.from({ length: 50 }, (_, i) => (i + 1) * loopPeriodMs);
    await c.waitForText(`id: ${expectedIds.at(-1)}\n`);
    const body = c.text.slice(c.text.indexOf('\r\n\r\n') + 4);
    const readings = new SseParser().push(body).filter((m) => m.event === 'time_reading');
    expect(readings.map((m) => Number(m.id))).toEqual(expectedIds);
    expect(readings.map((m) => m.data)).toEqual(expectedIds.map((id) => `{"time":"${id}"}`));
  });

  it('many clients: every one gets every tick, and the tick count is the same as with one', async () => {
    const timer = new ManualTimer();
    emu = await startTestEmulator({ timeSource: timer.source, loopTimer: timer.loopTimer, maxConnections: 0 });
    const clients = await Promise.all(Array.from({ length: 50 }, () => RawClient.connect(emu!.httpPort)));
    for (const c of clients) c.write('GET /sse HTTP/1.1\r\nAccept: text/event-stream\r\n\r\n');
    await Promise.all(clients.map((c) => c.waitForText('data: hello!\n\n')));
    timer.advanceTo(2000);
    const lastId = Math.ceil(Math.floor(2000 / loopPeriodMs) * loopPeriodMs);
    await Promise.all(clients.map((c) => c.waitForText(`id: ${lastId}\n`)));
    for (const c of clients) {
      expect(c.text.split('event: time_reading\n').length - 1).toBe(Math.floor(2000 / loopPeriodMs));
      c.destroy();
    }
  });

  it('a host that stalls past the catch-up bound warns emulate.loop-behind with the clients connected and the remedy', async () => {
    const timer = new ManualTimer();
    const warnings: string[] = [];
    emu = await startTestEmulator({ timeSource: timer.source, loopTimer: timer.loopTimer, onWarning: (code, message) => warnings.push(`${code}: ${message}`) });
    const c = await RawClient.connect(emu.httpPort);
    c.write('GET /sse HTTP/1.1\r\nAccept: text/event-stream\r\n\r\n');
    await c.waitForText('data: hello!\n\n');
    timer.advanceTo(100);
    expect(warnings).toEqual([]); // on schedule: nothing to say
    timer.busy(1_000); // the host froze for a second
    timer.advanceTo(1_200);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^emulate\.loop-behind: the host fell behind the board's 50 Hz loop and dropped \d+ readings \(1 client connected\); --sse-writers 2 /);
    c.destroy();
  });
});
