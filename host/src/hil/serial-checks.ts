import { events, reconnectLine, routes, serial } from '../contract/board.js';
import type { ByteTransport } from '../transport/types.js';
import { playReset, resetSequences, realSleep, type Sleep } from '../monitor/reset.js';
import type { CheckResult } from './report-model.js';
import { NotRun } from './check-runner.js';
import { SerialLineLog } from './serial-lines.js';
import { httpGet, openSse } from './serial-sse.js';

export { NotRun };

/** Options of {@link runSerialChecks}. */
export interface SerialCheckOptions {
  /** The board's (or emulator's) serial port, already open. */
  transport: ByteTransport;
  /** HTTP base URL of the same board: `http://10.0.0.7/`. */
  baseUrl: string;
  /** Boot after a reset may include a Wi-Fi join: default 30 s. */
  bootTimeoutMs?: number;
  /** Waiting for one serial line or event: default 5 s. */
  lineTimeoutMs?: number;
  /** How long `/reset` is watched for a reboot that must not happen: default 1 s. */
  quietMs?: number;
  /** Value sent as `Last-Event-ID` (non-zero: the sketch prints only when `lastId()` ≠ 0). */
  lastEventId?: number;
  sleep?: Sleep;
}

interface Ctx {
  o: Required<Omit<SerialCheckOptions, 'sleep'>> & { sleep: Sleep };
  log: SerialLineLog;
  url: (path: string) => string;
}

const bootLines = [
  { what: 'SPIFFS mount line', match: (l: string) => l === serial.lines.spiffsMounted, bad: (l: string) => l === serial.lines.spiffsError },
  { what: 'Wi-Fi line', match: (l: string) => l.startsWith(serial.lines.wifiConnecting) },
  { what: 'mDNS line', match: (l: string) => new RegExp(`^${serial.lines.mdnsStarted.replace('%s', '\\S+').replace('.', '\\.')}$`).test(l) },
  { what: 'HTTP line', match: (l: string) => l === serial.lines.httpStarted },
] as const;

async function waitHttp(ctx: Ctx, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      await httpGet(ctx.url(routes.root), 2000);
      return;
    } catch (e) {
      if (Date.now() > until) throw new Error(`HTTP did not come back after the reset: ${(e as Error).message}`);
      await ctx.o.sleep(200);
    }
  }
}

/** The serial-side checks as data: id, title, and the function that throws on failure. */
export const serialChecks: ReadonlyArray<{ id: string; title: string; run(ctx: Ctx): Promise<void> }> = [
  {
    id: 'serial.boot-lines',
    title: 'after an EN reset (RTS) the sketch prints its boot lines in order',
    async run(ctx) {
      if (ctx.o.transport.name.startsWith('socket://')) throw new NotRun('socket:// carries no DTR/RTS, so the board cannot be reset from here; use rfc2217:// or a serial device');
      ctx.log.mark();
      await playReset(ctx.o.transport, resetSequences.hard, ctx.o.sleep);
      await ctx.log.waitFor((l) => l === serial.lines.httpStarted || l === serial.lines.spiffsError, ctx.o.bootTimeoutMs).catch(() => {
        throw new Error(`no "${serial.lines.httpStarted}" within ${ctx.o.bootTimeoutMs} ms after the reset; lines seen:\n${ctx.log.sinceMark().slice(-10).join('\n') || '(none)'}`);
      });
      const seen = ctx.log.sinceMark();
      let at = 0;
      for (const step of bootLines) {
        const bad = 'bad' in step ? seen.findIndex(step.bad) : -1;
        if (bad >= 0) throw new Error(`the board printed "${seen[bad]}"`);
        const i = seen.findIndex((l, j) => j >= at && step.match(l));
        if (i < 0) throw new Error(`${step.what} missing or out of order; lines seen:\n${seen.join('\n')}`);
        at = i + 1;
      }
      await waitHttp(ctx, ctx.o.bootTimeoutMs);
    },
  },
  {
    id: 'serial.reconnect-line',
    title: 'an SSE connect with Last-Event-ID prints the reconnect line with that id',
    async run(ctx) {
      ctx.log.mark();
      const want = reconnectLine(ctx.o.lastEventId);
      const sse = await openSse(ctx.url(routes.sse), { lastEventId: String(ctx.o.lastEventId) });
      try {
        await ctx.log.waitFor((l) => l === want, ctx.o.lineTimeoutMs).catch(() => {
          const near = ctx.log.sinceMark().filter((l) => l.startsWith('Client reconnected'));
          throw new Error(`serial never printed "${want}"${near.length ? `; got "${near.join('", "')}"` : ''}`);
        });
      } finally {
        sse.close();
      }
    },
  },
  {
    id: 'serial.reset-both-sides',
    title: '/reset answers OK and pushes a reset event over SSE, and the board does not reboot',
    async run(ctx) {
      const sse = await openSse(ctx.url(routes.sse));
      try {
        ctx.log.mark();
        const reply = await httpGet(ctx.url(routes.reset));
        if (reply.status !== 200 || reply.body !== 'OK') throw new Error(`/reset answered ${reply.status} "${reply.body.slice(0, 40)}", want 200 "OK"`);
        const ev = await sse.next((m) => m.event === events.reset, ctx.o.lineTimeoutMs).catch((e: Error) => {
          throw new Error(`no "${events.reset}" event on the SSE stream: ${e.message}`);
        });
        if (!/^\{"time":"\d+"\}$/.test(ev.data)) throw new Error(`reset event data ${JSON.stringify(ev.data)} is not {"time":"<millis>"}`);
        await ctx.o.sleep(ctx.o.quietMs);
        const reboot = ctx.log.sinceMark().find((l) => /^rst:0x|^ets |^HTTP server started$/.test(l));
        if (reboot !== undefined) throw new Error(`serial shows a reboot after /reset: "${reboot}"`);
        await sse.next((m) => m.event === events.reading, ctx.o.lineTimeoutMs).catch(() => {
          throw new Error(`the ${events.reading} stream stopped after /reset`);
        });
      } finally {
        sse.close();
      }
    },
  },
];

/** Runs the serial-side checks in order; each reports passed, failed or not-run with a reason. */
export async function runSerialChecks(options: SerialCheckOptions): Promise<CheckResult[]> {
  const o = {
    bootTimeoutMs: 30_000,
    lineTimeoutMs: 5000,
    quietMs: 1000,
    lastEventId: 424242,
    sleep: realSleep,
    ...options,
  };
  const base = o.baseUrl.endsWith('/') ? o.baseUrl.slice(0, -1) : o.baseUrl;
  const log = new SerialLineLog(o.transport);
  const ctx: Ctx = { o, log, url: (p) => base + p };
  const results: CheckResult[] = [];
  try {
    for (const c of serialChecks) {
      const t0 = performance.now();
      const durationMs = () => performance.now() - t0;
      if (!o.transport.isOpen) {
        results.push({ id: c.id, title: c.title, status: 'not-run', message: `serial port ${o.transport.name} is closed` });
        continue;
      }
      try {
        await c.run(ctx);
        results.push({ id: c.id, title: c.title, status: 'passed', durationMs: durationMs() });
      } catch (e) {
        const status = e instanceof NotRun ? 'not-run' : 'failed';
        results.push({ id: c.id, title: c.title, status, message: (e as Error).message, durationMs: durationMs() });
      }
    }
  } finally {
    log.close();
  }
  return results;
}
