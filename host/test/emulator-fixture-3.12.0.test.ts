/**
 * The emulator against what ESPAsyncWebServer 3.12.0 itself sent (fixtures/http-3.12.0, the
 * shipped sketch's route set): every reply must match, plain ones byte for byte, event streams
 * by head and event structure (see http-fixture.ts).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../src/emulator/index.js';
import { fixtureDataDir, formatResults, loadFixture, runFixtureSet } from './http-fixture.js';

let emu: RunningEmulator;

beforeAll(async () => {
  // The board's own loop (50 Hz time_reading) runs on real time, as on the captured library.
  emu = await startEmulator({ host: '127.0.0.1', httpPort: 0, dataDir: fixtureDataDir });
});
afterAll(async () => {
  await emu?.close();
});

it('the sketch set has the 38 captured requests', () => {
  expect(loadFixture('sketch').map((e) => e.name)).toHaveLength(38);
});

it('every reply of the sketch set matches the library 3.12.0', async () => {
  const results = await runFixtureSet({ host: '127.0.0.1', port: emu.httpPort }, 'sketch');
  const differ = results.filter((r) => !r.match).map((r) => r.name);
  expect(differ, formatResults(results)).toEqual([]);
}, 60_000);
