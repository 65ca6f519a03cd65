/**
 * The conformance suite end to end: it passes against the emulator (each wire profile checked
 * against its own bytes), and fails, naming exactly the checks that should fail, against the
 * emulator in the other profile and against a server with one deliberate difference.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../src/emulator/index.js';
import { runConformance } from '../src/hil/conformance.js';
import type { CheckResult } from '../src/hil/report-model.js';
import { startWrongServer, type Fault, type WrongServer } from './hil-wrong-server.js';

const allIds = [
  'http.connect',
  'http.root',
  'http.not-found',
  'http.reset-reply',
  'sse.head',
  'sse.accept-rule',
  'sse.hello-first',
  'sse.hello-bytes',
  'sse.reading-bytes',
  'sse.ids-increasing',
  'sse.rate',
  'sse.reset-fanout',
  'sse.last-event-id',
];

const failed = (rs: CheckResult[]) => rs.filter((r) => r.status !== 'passed').map((r) => r.id);
const explain = (rs: CheckResult[]) => rs.filter((r) => r.status !== 'passed').map((r) => `${r.id} ${r.status}: ${r.message}`).join('\n');

let emulator: RunningEmulator | undefined;
let wrong: WrongServer | undefined;
afterEach(async () => {
  await emulator?.close();
  await wrong?.close();
  emulator = wrong = undefined;
});

describe('conformance suite against the emulator', () => {
  for (const profile of ['esp32async-3.12.0', 'me-no-dev-1.2.4'] as const) {
    it(`passes every check (${profile})`, async () => {
      emulator = await startEmulator({ httpPort: 0, profile });
      const results = await runConformance({ baseUrl: emulator.url, profile });
      expect(results.map((r) => r.id)).toEqual(allIds);
      expect(failed(results), explain(results)).toEqual([]);
    }, 60_000);
  }

  it('fails the byte checks when the emulator runs the other library version', async () => {
    emulator = await startEmulator({ httpPort: 0, profile: 'me-no-dev-1.2.4' });
    const results = await runConformance({ baseUrl: emulator.url, profile: 'esp32async-3.12.0', windowMs: 1000 });
    expect(failed(results), explain(results)).toEqual([
      'http.root',
      'http.not-found',
      'http.reset-reply',
      'sse.head',
      'sse.accept-rule',
      'sse.hello-bytes',
      'sse.reading-bytes',
      'sse.reset-fanout',
      'sse.last-event-id',
    ]);
    expect(results.find((r) => r.id === 'sse.head')?.message).toContain('expected: "HTTP/1.1 200 OK\\r\\nAccess-Control-Allow-Origin');
  }, 60_000);

  it('reports an unreachable target as one failure and every other check as not run', async () => {
    emulator = await startEmulator({ httpPort: 0 });
    const url = emulator.url;
    await emulator.close();
    const results = await runConformance({ baseUrl: url, timeoutMs: 5000 });
    expect(results[0]).toMatchObject({ id: 'http.connect', status: 'failed' });
    expect(results.slice(1).every((r) => r.status === 'not-run' && /could not be reached/.test(r.message ?? ''))).toBe(true);
  });
});

describe('conformance suite against a server that differs from the firmware', () => {
  it('passes against the stand-in when it has no fault (the control)', async () => {
    wrong = await startWrongServer();
    const results = await runConformance({ baseUrl: wrong.url, windowMs: 2000 });
    expect(failed(results), explain(results)).toEqual([]);
  }, 60_000);

  const cases: Array<[Fault, string[]]> = [
    ['header-order', ['sse.head', 'sse.last-event-id']],
    ['crlf-events', ['sse.hello-bytes', 'sse.reading-bytes', 'sse.reset-fanout', 'sse.last-event-id']],
    ['retry', ['sse.hello-bytes', 'sse.last-event-id']],
    ['reset-twice', ['sse.reset-fanout']],
    ['fast', ['sse.rate']],
    ['catch-all-500', ['http.not-found', 'sse.accept-rule']],
  ];
  for (const [fault, ids] of cases) {
    it(`fails ${ids.join(', ')} when the server has the "${fault}" fault`, async () => {
      wrong = await startWrongServer([fault]);
      const results = await runConformance({ baseUrl: wrong.url, windowMs: 2000 });
      expect(failed(results), explain(results)).toEqual(ids);
      for (const r of results.filter((x) => ids.includes(x.id))) expect(r.status).toBe('failed');
    }, 60_000);
  }
});
