import { describe, expect, it } from 'vitest';
import type { LendHandler, LoanRequest, LoanReturn, LoanSource } from '../transport/port-handover.js';
import { resetSequences } from './reset.js';
import { runMonitor } from './session.js';
import { ScriptedKeys, ScriptedPort } from './testing.js';

/** Loan requests as the monitor's socket server would deliver them, without a socket. */
class Loans implements LoanSource {
  private handler?: LendHandler;
  onRequest(h: LendHandler): () => void {
    this.handler = h;
    return () => (this.handler = undefined);
  }
  get listening(): boolean {
    return this.handler !== undefined;
  }
  /** Asks for the port; `give` hands it back. */
  async ask(req: LoanRequest): Promise<{ refusal: string | undefined; give: (r: LoanReturn) => void }> {
    let give: (r: LoanReturn) => void = () => {};
    const back = new Promise<LoanReturn>((r) => (give = r));
    return { refusal: await this.handler!(req, back), give };
  }
}

/** A sleep that yields to the event loop (a reopen loop must not spin in microtasks) without waiting. */
const yieldSleep = () => new Promise<void>((r) => setImmediate(r));
/** Resolves once `cond` holds, checking after each turn of the event loop (no timers). */
async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await yieldSleep();
}

const flash: LoanRequest = { client: 'esp-sse flash', pid: 4321 };

describe('runMonitor lends its port', () => {
  it('closes the port on request, refuses a second borrower, reopens when it is back, resets when asked and goes on showing the board', async () => {
    const first = new ScriptedPort('/dev/ttyUSB0');
    const second = new ScriptedPort('/dev/ttyUSB0');
    const loans = new Loans();
    let screen = '';
    let statusText = '';
    let reopened = 0;
    // No `reopen`: as with --no-reconnect, which must not end the session on a release.
    const p = runMonitor(first, {
      write: (s) => (screen += s), status: (s) => (statusText += s), until: /HTTP server started/, sleep: yieldSleep,
      loans: { source: loans, reopen: async () => (reopened++, second) },
    });
    first.feed('before\r\n');
    const { refusal, give } = await loans.ask(flash);
    expect(refusal).toBeUndefined();
    expect(first.isOpen).toBe(false);
    expect(statusText).toBe('--- port released to esp-sse flash (pid 4321); waiting for it to finish\n');
    expect((await loans.ask({ client: 'esp-sse info', pid: 9 })).refusal).toBe('the port is lent to esp-sse flash (pid 4321)');
    expect(reopened).toBe(0);

    give({ finished: true, reset: true });
    const hard = resetSequences.hard.flatMap((s) => ('set' in s ? [s.set] : []));
    await until(() => second.signals.length === hard.length);
    expect(reopened).toBe(1);
    expect(statusText).toContain('--- port back from esp-sse flash\n--- reset\n');
    expect(second.signals).toEqual(hard);
    second.feed('ets Jul 29 2019 12:21:46\r\nHTTP server started\r\n');
    expect(await p).toEqual({ reason: 'until', matched: 'HTTP server started' });
    expect(screen).toBe('before\nets Jul 29 2019 12:21:46\nHTTP server started\n');
    expect(loans.listening).toBe(false);
  });

  it('a port that is not back yet is retried, with one status line; a borrower that died gives it back without a reset', async () => {
    const port = new ScriptedPort('/dev/ttyUSB0');
    const back = new ScriptedPort('/dev/ttyUSB0');
    const loans = new Loans();
    let statusText = '';
    let tries = 0;
    const keys = new ScriptedKeys();
    const p = runMonitor(port, {
      write: () => {}, status: (s) => (statusText += s), keys, sleep: yieldSleep,
      loans: {
        source: loans,
        reopen: async () => {
          if (++tries < 4) throw new Error('Cannot lock port');
          return back;
        },
      },
    });
    const { give } = await loans.ask(flash);
    give({ finished: false, reset: false });
    await until(() => back.isOpen && statusText.includes('port back'));
    expect(tries).toBe(4);
    expect(statusText.split('\n').filter((l) => l.includes('come back'))).toEqual(['--- waiting for /dev/ttyUSB0 to come back from esp-sse flash: Cannot lock port']);
    expect(statusText).toContain('--- port back from esp-sse flash (it ended without handing the port back)\n');
    expect(back.signals).toEqual([]);
    keys.press(0x1d); // Ctrl+]
    expect((await p).reason).toBe('exit');
    expect(back.isOpen).toBe(false);
  });

  it('lent while it waits for a dropped port: the reconnect loop stops, the loan\'s reopen brings it back', async () => {
    const port = new ScriptedPort('/dev/ttyUSB0');
    const back = new ScriptedPort('/dev/ttyUSB0');
    const loans = new Loans();
    let statusText = '';
    let reconnectTries = 0;
    const keys = new ScriptedKeys();
    const p = runMonitor(port, {
      write: () => {}, status: (s) => (statusText += s), keys, sleep: yieldSleep,
      reopen: async () => {
        reconnectTries++;
        throw new Error('ENOENT');
      },
      loans: { source: loans, reopen: async () => back },
    });
    port.drop('unplugged');
    await until(() => reconnectTries > 2);
    const { give } = await loans.ask(flash);
    const triesWhenLent = reconnectTries;
    await yieldSleep();
    await yieldSleep();
    expect(reconnectTries - triesWhenLent).toBeLessThanOrEqual(1);
    give({ finished: true, reset: false });
    await until(() => statusText.includes('port back'));
    expect(back.isOpen).toBe(true);
    keys.press(0x1d);
    expect((await p).reason).toBe('exit');
  });

  it('ending while the port is lent: nothing is reopened afterwards; the session refuses loans once it is over', async () => {
    const port = new ScriptedPort();
    const loans = new Loans();
    let reopened = 0;
    const keys = new ScriptedKeys();
    const p = runMonitor(port, { write: () => {}, status: () => {}, keys, loans: { source: loans, reopen: async () => (reopened++, new ScriptedPort()) } });
    const { give } = await loans.ask(flash);
    keys.press(0x1d);
    expect((await p).reason).toBe('exit');
    give({ finished: true, reset: true });
    await yieldSleep();
    expect(reopened).toBe(0);
    expect(loans.listening).toBe(false);
  });
});
