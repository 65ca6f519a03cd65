import { describe, expect, it } from 'vitest';
import { UserError } from '../errors.js';
import { MemoryTransport } from './memory.js';
import { openWithAttempts, type AbortableSleep } from './open-attempts.js';
import type { ByteTransport } from './types.js';

/** An `open` that fails `failures` times (ENOENT, as node-serialport says it), then opens a port. */
function flakyOpen(failures: number, error = 'Error: No such file or directory, cannot open /dev/ttyUSB0') {
  const port = new MemoryTransport('/dev/ttyUSB0');
  let calls = 0;
  return {
    port,
    get calls() {
      return calls;
    },
    open: async (): Promise<ByteTransport> => {
      calls++;
      if (calls <= failures) throw new Error(error);
      await port.open();
      return port;
    },
  };
}

/** A delay that records what was asked and returns at once (no timers, no margins). */
function recordedSleep(onSleep?: (n: number) => void): { sleep: AbortableSleep; delays: number[] } {
  const delays: number[] = [];
  return {
    delays,
    sleep: async (ms) => {
      delays.push(ms);
      onSleep?.(delays.length);
    },
  };
}

describe('openWithAttempts (--open-port-attempts)', () => {
  it('1 attempt: one open, no delay, the error as it came', async () => {
    const o = flakyOpen(Infinity);
    const s = recordedSleep();
    const r = await openWithAttempts(o.open, { attempts: 1, sleep: s.sleep });
    expect(r).toMatchObject({ kind: 'failed', attempts: 1 });
    expect(r.kind === 'failed' && r.error.message).toMatch(/No such file/);
    expect(o.calls).toBe(1);
    expect(s.delays).toEqual([]);
  });

  it('N attempts: N opens with the delay between them, each retry reported', async () => {
    const o = flakyOpen(Infinity);
    const s = recordedSleep();
    const retries: number[] = [];
    const r = await openWithAttempts(o.open, { attempts: 3, delayMs: 500, sleep: s.sleep, onRetry: (f) => retries.push(f.attempt) });
    expect(r).toMatchObject({ kind: 'failed', attempts: 3 });
    expect(o.calls).toBe(3);
    expect(s.delays).toEqual([500, 500]);
    expect(retries).toEqual([1, 2]);
  });

  it('0 = until it opens: the port that appears on the 6th try is returned', async () => {
    const o = flakyOpen(5);
    const s = recordedSleep();
    const r = await openWithAttempts(o.open, { attempts: 0, sleep: s.sleep });
    expect(r).toEqual({ kind: 'open', transport: o.port, attempts: 6 });
    expect(s.delays).toHaveLength(5);
  });

  it('a port that opens within the attempts is returned', async () => {
    const o = flakyOpen(1, 'connect ECONNREFUSED 127.0.0.1:4000');
    const r = await openWithAttempts(o.open, { attempts: 2, sleep: recordedSleep().sleep });
    expect(r).toMatchObject({ kind: 'open', attempts: 2 });
  });

  it('stops waiting when aborted (quit key, deadline), with the last error', async () => {
    const o = flakyOpen(Infinity);
    const quit = new AbortController();
    const s = recordedSleep((n) => n === 3 && quit.abort());
    const r = await openWithAttempts(o.open, { attempts: 0, sleep: s.sleep, signal: quit.signal });
    expect(r).toMatchObject({ kind: 'aborted', attempts: 3 });
    expect(r.kind === 'aborted' && r.error?.message).toMatch(/No such file/);
    expect(o.calls).toBe(3);
  });

  it('a port that opens just as the user quits is closed, not handed over', async () => {
    const port = new MemoryTransport('/dev/ttyACM0');
    const quit = new AbortController();
    const r = await openWithAttempts(async () => {
      await port.open();
      quit.abort();
      return port;
    }, { attempts: 0, signal: quit.signal });
    expect(r).toEqual({ kind: 'aborted', attempts: 1 });
    expect(port.isOpen).toBe(false);
  });

  it('a bad port name (UserError) is not retried', async () => {
    let calls = 0;
    const err = await openWithAttempts(async () => {
      calls++;
      throw new UserError('port.bad-url', 'bad');
    }, { attempts: 0, sleep: recordedSleep().sleep }).catch((e: unknown) => e);
    expect((err as UserError).code).toBe('port.bad-url');
    expect(calls).toBe(1);
  });

  it('the default delay is cut short by an abort (no timer keeps the process alive)', async () => {
    const quit = new AbortController();
    const o = flakyOpen(Infinity);
    const p = openWithAttempts(o.open, { attempts: 0, delayMs: 3_600_000, signal: quit.signal });
    await new Promise((r) => setImmediate(r));
    quit.abort();
    expect(await p).toMatchObject({ kind: 'aborted', attempts: 1 });
  });
});
