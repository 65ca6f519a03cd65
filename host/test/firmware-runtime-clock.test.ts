/**
 * The app's tick (firmware/runtime/src/clock.cpp): `delay(ms)` is the board's `vTaskDelay(ms)`,
 * which wakes when the 1 kHz tick count reaches the count at the call plus `ms` — on a tick
 * boundary, not `ms` after the call — so a loop of a short body and `delay(20)` runs every 20 ms
 * as on the board. firmware/runtime/test/clock-test.cpp prints one `name<TAB>value` per case,
 * started with the boot instant the board hands over (6 ms before the 32-bit millis() wrap).
 * Time the host kept a thread waiting for a core is not the board's: the next delay counts from
 * the tick the board would have called it in (`ticks::delayFrom`, a pure rule, checked here).
 * Only lower bounds of real sleeps are asserted (no timing margins).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from './firmware-helpers.js';

const run = promisify(execFile);
const runtime = path.join(repoRoot, 'firmware', 'runtime');
// Arduino.h brings IPAddress (INADDR_NONE) and with it Print and String.
const sources = ['clock', 'IPAddress', 'Print', 'WString', 'WString-number', 'WString-edit'].map((name) => path.join(runtime, 'src', `${name}.cpp`));
let dir = '';
const actual = new Map<string, number>();

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'esp-sse-runtime-clock-'));
  const binary = path.join(dir, 'clock-test');
  const flags = ['-std=gnu++17', '-Wall', '-Wextra', '-Werror', '-I', path.join(runtime, 'include')];
  await run('g++', [...flags, path.join(runtime, 'test', 'clock-test.cpp'), ...sources, '-o', binary], { timeout: 120_000 });
  const bootMonoNs = process.hrtime.bigint();
  const { stdout } = await run(binary, [], {
    timeout: 30_000,
    env: { ...process.env, ESP_SSE_BOOT_MONO_NS: String(bootMonoNs), ESP_SSE_BOOT_MILLIS: String(2 ** 32 - 6) },
  });
  for (const line of stdout.trim().split('\n')) {
    const [name, value] = line.split('\t');
    actual.set(name!, Number(value));
  }
}, 150_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the app tick', () => {
  it('tick n starts n ms after the boot instant the board handed over (the board clock, not the app start)', () => {
    expect(actual.get('start.boot-tick-offset')).toBe(0);
    expect(actual.get('start.plus-20-ticks')).toBe(20_000_000);
  });

  it('delay(20) wakes at the tick boundary 20 ticks after the call, never before it', () => {
    expect(actual.get('delay.not-before-boundary')).toBe(1);
    expect(actual.get('delay.tick-count-advanced')).toBe(1);
  });

  it('a delay counts from the tick the board would have called it in: without the time the host kept the thread waiting for a core since its last delay began, never before that delay\'s wake tick', () => {
    expect(actual.get('from.first-delay')).toBe(120);
    expect(actual.get('from.no-host-wait')).toBe(123);
    expect(actual.get('from.host-wait-3ms')).toBe(120);
    expect(actual.get('from.host-wait-part')).toBe(123);
    expect(actual.get('from.never-before-wake')).toBe(120);
  });

  it('millis() is the low 32 bits of the tick count, across the wrap', () => {
    expect(actual.get('tick.millis-low-32')).toBe(1);
  });
});
