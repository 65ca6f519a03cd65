/**
 * A real third-party client against the emulator: the `eventsource` npm package (the WHATWG
 * EventSource for Node) connects, gets hello!, the readings and /reset, and after the emulator
 * restarts it reconnects on its own, after the 10 s `retry` the board asked for, sending
 * Last-Event-ID, which the new board prints on Serial.
 */
import { EventSource } from 'eventsource';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../src/emulator/index.js';
import { ManualTime, startTestEmulator, waitTimeoutMs } from './emulator-helpers.js';

interface Seen {
  type: string;
  data: string;
  lastEventId: string;
}

/** Records every event of the given types and lets the test wait for one. */
function record(es: EventSource, types: string[]) {
  const seen: Seen[] = [];
  const waiters = new Set<() => void>();
  for (const type of types) {
    es.addEventListener(type, (e) => {
      const m = e as MessageEvent<string>;
      seen.push({ type, data: m.data, lastEventId: m.lastEventId });
      for (const w of [...waiters]) w();
    });
  }
  const waitFor = (what: string, pred: (s: Seen) => boolean, timeoutMs = waitTimeoutMs): Promise<Seen> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        const hit = seen.find(pred);
        if (hit) {
          done();
          resolve(hit);
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`eventsource: no ${what}; saw ${JSON.stringify(seen.slice(-5))}`));
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      waiters.add(check);
      check();
    });
  return { seen, waitFor };
}

let running: RunningEmulator[] = [];
let sources: EventSource[] = [];
afterEach(async () => {
  for (const s of sources) s.close();
  sources = [];
  for (const e of running) await e.close();
  running = [];
});

describe.each(['esp32async-3.12.0', 'me-no-dev-1.2.4'])('eventsource package, profile %s', (profile) => {
  it('connects, gets hello!, readings and reset; reconnects with Last-Event-ID after the emulator restarts', { timeout: 90_000 }, async () => {
    const time = new ManualTime(1000);
    const first = await startTestEmulator({ profile, timeSource: time.source });
    running.push(first);
    const port = first.httpPort;

    const es = new EventSource(`http://127.0.0.1:${port}/sse`);
    sources.push(es);
    const { seen, waitFor } = record(es, ['message', 'time_reading', 'reset']);

    time.now = 1234;
    await waitFor('hello!', (s) => s.type === 'message' && s.data === 'hello!');
    expect(seen[0]).toEqual({ type: 'message', data: 'hello!', lastEventId: String(1234 - 1000) });

    time.now = 1500;
    first.board.sketch!.loopOnce();
    await waitFor('a reading', (s) => s.type === 'time_reading');
    time.now = 1600;
    const response = await fetch(`http://127.0.0.1:${port}/reset`);
    expect(await response.text()).toBe('OK');
    const reset = await waitFor('reset', (s) => s.type === 'reset');
    expect(reset).toEqual({ type: 'reset', data: '{"time":"600"}', lastEventId: '600' });
    expect(seen.find((s) => s.type === 'time_reading')).toEqual({ type: 'time_reading', data: '{"time":"500"}', lastEventId: '500' });

    // The board goes away (every connection reset) and a new one boots on the same port.
    await first.close();
    let serial = '';
    const second = await startTestEmulator({
      profile,
      httpPort: port,
      timeSource: time.source,
      onSerial: (b) => (serial += Buffer.from(b).toString('utf8')),
    });
    running.push(second);
    const hellos = () => seen.filter((s) => s.type === 'message').length;
    await waitFor('hello! again', () => hellos() === 2, 60_000);
    expect(serial).toContain('Client reconnected! Last message ID that it got is: 600\n');
    expect(es.readyState).toBe(EventSource.OPEN);
  });
});
