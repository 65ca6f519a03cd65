/**
 * The compiled sketch's `millis()` is the board's 32-bit clock: `--boot-millis` starts it where
 * the board's would be, and `String(millis())` in the sketch's JSON wraps to 0 at 2^32 as it
 * does on the board, whatever the host's `unsigned long` is.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../src/emulator/index.js';
import { StreamReader } from './emulator-helpers.js';

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator({ app: 'sketch', httpPort: 0, bootMillis: 2 ** 32 - 600 });
}, 120_000);
afterAll(async () => emu?.close());

it('ids and readings run through the 2^32 wrap, the reading always equal to its id', async () => {
  const stream = await StreamReader.open(emu.httpPort, 'GET /sse HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n');
  const hello = await stream.waitForEvent((m) => m.data === 'hello!');
  expect(Number(hello.id)).toBeGreaterThan(2 ** 32 - 600);
  const wrapped = await stream.waitForEvent((m) => m.event === 'time_reading' && Number(m.id) < 1000, 'reading after the wrap');
  expect(JSON.parse(wrapped.data)).toEqual({ time: wrapped.id });
  const before = stream.events.filter((m) => m.event === 'time_reading' && Number(m.id) > 2 ** 31);
  expect(before.length).toBeGreaterThan(0);
  for (const m of before) expect(JSON.parse(m.data)).toEqual({ time: m.id });
  stream.socket.destroy();
}, 30_000);
