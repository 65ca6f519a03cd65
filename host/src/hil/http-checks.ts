/**
 * The HTTP/SSE conformance checks, black-box against any base URL (a board or the emulator).
 * Each compares the target's exact bytes with what the firmware and its pinned library send
 * (expected-wire.ts), or measures the stream. Ids are stable: CI reports key on them.
 */
import { events, hello, indexContentType, routes } from '../contract/board.js';
import { expectedActual, NotRun, u32Delta, u32Distance, type CheckDef } from './check-runner.js';
import { helloBytes, readingBytes } from './expected-wire.js';
import { readingsOf, streamOrNotRun, type HttpCtx } from './http-context.js';
import { openSocket, rawRequest, requestText } from './raw-http.js';
import { RawSseStream, type ArrivedEvent } from './raw-sse.js';

/**
 * Rate verdict (events per second of the board's own clock, from the event ids): `delay(20)`
 * is `vTaskDelay(20)`, which wakes on the 1 kHz tick 20 ticks after the loop's own, so a real
 * board shows 50.0; above 50 is impossible for this loop (50.2 allows a `millis()` read that
 * straddles a tick), well below means the loop stalls. The host-clock rate only has to show the stream is live in real
 * time (a host under load delivers in bursts), hence its wide band.
 */
export const rateBand = { boardMin: 45, boardMax: 50.2, hostMin: 30, hostMax: 70 } as const;
/** `id` and the payload's `time` are both `millis()`, read in one statement (in either order): they may differ by this much. */
export const maxIdAfterTimeMs = 5;
/** hello!'s id and the first reading's id are on the same clock, a loop period or so apart (either way). */
export const maxHelloToReadingMs = 1000;
/** Readings each `/reset` client must see after the reset event before "exactly one" is judged. */
export const readingsAfterReset = 10;

const num = (s: string | undefined): number => (s !== undefined && /^\d+$/.test(s) ? Number(s) : NaN);
const readingRe = /^\{"time":"(\d+)"\}$/;

/** Checks one time_reading/reset event's bytes; returns an error message or undefined. */
function readingProblem(ctx: HttpCtx, e: ArrivedEvent, name: string): string | undefined {
  const id = num(e.fields.id);
  const time = num(readingRe.exec(e.fields.data.join('\n'))?.[1]);
  if (!(id > 0) || !(time >= 0) || time > 0xffffffff || id > 0xffffffff) {
    return `event is not id: <millis> / event: ${name} / data: {"time":"<millis>"}: ${JSON.stringify(e.raw)}`;
  }
  const want = readingBytes(ctx.wire, name, id, time);
  if (e.raw !== want) return expectedActual(`${name} event bytes`, want, e.raw);
  // `events.send(readingJson(), name, millis())`: C++ leaves the order of the two reads open
  // (g++ for x86-64 reads the id first), so either may be the later one.
  const d = u32Distance(time, id);
  if (d > maxIdAfterTimeMs) return `${name} id ${id} is ${d} ms from its time ${time}; both are millis() read one statement apart`;
  return undefined;
}

async function get(ctx: HttpCtx, path: string, headers: ReadonlyArray<readonly [string, string]> = []) {
  return rawRequest(ctx.target, requestText(ctx.target, path, headers), ctx.o.timeoutMs);
}

export const httpChecks: ReadonlyArray<CheckDef<HttpCtx>> = [
  {
    id: 'http.connect',
    title: 'the target accepts a TCP connection',
    async run(ctx) {
      (await openSocket(ctx.target, ctx.o.timeoutMs)).destroy();
    },
  },
  {
    id: 'http.root',
    title: `GET ${routes.root} serves the page as ${indexContentType} with the library's exact head`,
    async run(ctx) {
      const r = await get(ctx, routes.root);
      const gz = r.header('content-encoding') === 'gzip' ? { etag: r.header('etag') ?? '' } : undefined;
      const want = ctx.wire.indexHead(r.body.length, gz);
      if (r.head !== want) throw new Error(expectedActual('response head', want, r.head));
      const cl = Number(r.header('content-length'));
      if (cl !== r.body.length) throw new Error(`Content-Length ${cl} but ${r.body.length} body bytes arrived`);
      if (gz) return; // a gzip body is the page compressed; its head was checked
      const text = r.body.toString('utf8');
      if (!/<html[\s>]/i.test(text) || !text.includes('EventSource(')) throw new Error(`the body (${r.body.length} bytes) is not the esp-sse page: no <html> element or no EventSource`);
    },
  },
  {
    id: 'http.not-found',
    title: 'a path nothing handles gets the catch-all reply, byte for byte',
    async run(ctx) {
      const r = await get(ctx, '/esp-sse-hil/no-such-page');
      const got = r.head + r.body.toString('latin1');
      if (got !== ctx.wire.notFound) throw new Error(expectedActual('reply', ctx.wire.notFound, got));
    },
  },
  {
    id: 'http.reset-reply',
    title: `GET ${routes.reset} answers 200 "OK", byte for byte`,
    async run(ctx) {
      const r = await get(ctx, routes.reset);
      const got = r.head + r.body.toString('latin1');
      if (got !== ctx.wire.resetReply) throw new Error(expectedActual('reply', ctx.wire.resetReply, got));
    },
  },
  {
    id: 'sse.head',
    title: `GET ${routes.sse} (Accept: text/event-stream) answers the event-stream head, byte for byte`,
    async run(ctx) {
      const s = await ctx.sample();
      if (s.head !== ctx.wire.sseHead) throw new Error(expectedActual('response head', ctx.wire.sseHead, s.head));
    },
  },
  {
    id: 'sse.accept-rule',
    title: `GET ${routes.sse} without Accept: text/event-stream is handled as the pinned library does`,
    async run(ctx) {
      if (ctx.wire.sseNeedsAccept) {
        const r = await get(ctx, routes.sse);
        const got = r.head + r.body.toString('latin1');
        if (got !== ctx.wire.notFound) throw new Error(expectedActual('reply without Accept (the library only treats Accept: text/event-stream as SSE)', ctx.wire.notFound, got));
        return;
      }
      const s = await RawSseStream.open(ctx.target, routes.sse, { timeoutMs: ctx.o.timeoutMs, accept: false });
      try {
        const head = await s.waitHead(ctx.o.timeoutMs);
        if (head !== ctx.wire.sseHead) throw new Error(expectedActual('response head without Accept', ctx.wire.sseHead, head));
      } finally {
        s.close();
      }
    },
  },
  {
    id: 'sse.hello-first',
    title: `the first event on a new stream is "${hello.data}"`,
    async run(ctx) {
      const s = await streamOrNotRun(ctx);
      const first = s.events[0];
      if (!first) throw new Error(`no event arrived${s.error ? `: ${s.error}` : ''}`);
      if (first.fields.data.join('\n') !== hello.data || first.fields.event !== undefined) {
        throw new Error(`first event is ${JSON.stringify(first.raw)}, want the unnamed "${hello.data}" event`);
      }
    },
  },
  {
    id: 'sse.hello-bytes',
    title: `"${hello.data}" is sent with retry ${hello.retryMs} and id = millis(), byte for byte`,
    async run(ctx) {
      const s = await streamOrNotRun(ctx);
      const h = s.events.find((e) => e.fields.data.join('\n') === hello.data);
      if (!h) throw new Error(`no "${hello.data}" event on the stream`);
      const id = num(h.fields.id);
      if (!(id > 0)) throw new Error(`"${hello.data}" has no numeric id: ${JSON.stringify(h.raw)}`);
      const want = helloBytes(ctx.wire, id);
      if (h.raw !== want) throw new Error(expectedActual(`"${hello.data}" bytes`, want, h.raw));
      const next = readingsOf(s.events, events.reading)[0];
      if (!next) throw new NotRun(`no ${events.reading} event to compare the id with${s.error ? `: ${s.error}` : ''}`);
      // hello! is stamped on the async_tcp task, readings on loopTask: a reading whose millis()
      // was read just before hello's can be sent just after it, so either may be the larger.
      const d = u32Distance(id, num(next.fields.id));
      if (d > maxHelloToReadingMs) throw new Error(`hello id ${id} and the next reading id ${next.fields.id} are ${d} ms apart on a 32-bit millis() clock; the id is not millis()`);
    },
  },
  {
    id: 'sse.reading-bytes',
    title: `every ${events.reading} event is id: millis(), event name, {"time":"<millis>"}, byte for byte`,
    async run(ctx) {
      const s = await streamOrNotRun(ctx);
      const rs = readingsOf(s.events, events.reading);
      if (rs.length === 0) throw new Error(`no ${events.reading} events${s.error ? `: ${s.error}` : ''}`);
      const others = s.events.filter((e) => e.fields.event !== events.reading && e.fields.data.join('\n') !== hello.data);
      for (const e of rs) {
        const p = readingProblem(ctx, e, events.reading);
        if (p) throw new Error(p);
      }
      if (others.length > 0) throw new Error(`unexpected events on an idle stream: ${others.slice(0, 3).map((e) => JSON.stringify(e.raw)).join(', ')}`);
    },
  },
  {
    id: 'sse.ids-increasing',
    title: 'event ids increase (32-bit millis(), wrap allowed; strictly between readings)',
    async run(ctx) {
      const s = await streamOrNotRun(ctx);
      const ids = s.events.map((e) => num(e.fields.id));
      if (ids.length < 2) throw new Error(`only ${ids.length} events arrived${s.error ? `: ${s.error}` : ''}`);
      const isReading = (i: number): boolean => s.events[i]?.fields.event === events.reading;
      for (let i = 1; i < ids.length; i++) {
        const d = u32Delta(ids[i - 1] as number, ids[i] as number);
        // `hello!` is sent from the async_tcp task and may share a millisecond with the loop's
        // next reading on a board (wire doc §12); two readings are always a loop pass apart.
        const sameMsAllowed = !(isReading(i - 1) && isReading(i));
        if (!((d > 0 || (d === 0 && sameMsAllowed)) && d < 0x80000000)) throw new Error(`id ${ids[i]} follows ${ids[i - 1]} (event ${i + 1} of ${ids.length})`);
      }
    },
  },
  {
    id: 'sse.rate',
    title: `${events.reading} arrives near 50 Hz (board clock ${rateBand.boardMin}–${rateBand.boardMax}/s over the window)`,
    async run(ctx) {
      const s = await streamOrNotRun(ctx);
      const rs = readingsOf(s.events, events.reading);
      if (s.error) throw new Error(`the stream did not stay live for the ${ctx.o.windowMs} ms window: ${s.error} (${rs.length} readings)`);
      if (rs.length < 3) throw new Error(`only ${rs.length} ${events.reading} events in ${ctx.o.windowMs} ms`);
      const first = rs[0] as ArrivedEvent;
      const last = rs[rs.length - 1] as ArrivedEvent;
      const boardMs = u32Delta(num(first.fields.id), num(last.fields.id));
      const board = ((rs.length - 1) * 1000) / boardMs;
      const host = ((rs.length - 1) * 1000) / (last.at - first.at);
      const figures = `${rs.length} events: ${board.toFixed(1)}/s by the board's ids over ${boardMs} ms, ${host.toFixed(1)}/s by host arrival over ${(last.at - first.at).toFixed(0)} ms`;
      if (!(board >= rateBand.boardMin && board <= rateBand.boardMax)) throw new Error(`board rate outside ${rateBand.boardMin}–${rateBand.boardMax}/s: ${figures}`);
      if (!(host >= rateBand.hostMin && host <= rateBand.hostMax)) throw new Error(`arrival rate outside ${rateBand.hostMin}–${rateBand.hostMax}/s: ${figures}`);
    },
  },
  {
    id: 'sse.reset-fanout',
    title: `GET ${routes.reset} delivers exactly one "${events.reset}" event to every connected client`,
    async run(ctx) {
      const n = ctx.o.resetClients;
      const streams: RawSseStream[] = [];
      try {
        for (let i = 0; i < n; i++) streams.push(await RawSseStream.open(ctx.target, routes.sse, { timeoutMs: ctx.o.timeoutMs }));
        // Every client is in the board's list once its hello! arrived and a reading followed.
        for (const s of streams) {
          await s.waitHead(ctx.o.timeoutMs);
          if (s.status !== 200) throw new NotRun(`GET ${routes.sse} answered ${s.status} (see sse.head)`);
          await s.waitEvent((e) => e.fields.event === events.reading, ctx.o.timeoutMs, 0, `a ${events.reading} on client ${streams.indexOf(s) + 1}`);
        }
        const before = streams.map((s) => s.events.length);
        const reply = await rawRequest(ctx.target, requestText(ctx.target, routes.reset), ctx.o.timeoutMs);
        if (reply.status !== 200 || reply.body.toString('latin1') !== 'OK') throw new Error(`${routes.reset} answered ${reply.status} ${JSON.stringify(reply.body.toString('latin1').slice(0, 40))}`);
        for (const [i, s] of streams.entries()) {
          const from = before[i] as number;
          const ev = await s.waitEvent((e) => e.fields.event === events.reset, ctx.o.timeoutMs, from, `the "${events.reset}" event on client ${i + 1}`);
          const at = s.events.indexOf(ev);
          await s.waitUntil(() => readingsOf(s.events.slice(at), events.reading).length >= readingsAfterReset, ctx.o.timeoutMs, `${readingsAfterReset} readings after the reset event on client ${i + 1}`);
          const resets = s.events.slice(from).filter((e) => e.fields.event === events.reset);
          if (resets.length !== 1) throw new Error(`client ${i + 1} of ${n} got ${resets.length} "${events.reset}" events for one ${routes.reset}`);
          const p = readingProblem(ctx, ev, events.reset);
          if (p) throw new Error(`client ${i + 1}: ${p}`);
          const earlier = s.events.slice(0, from).filter((e) => e.fields.event === events.reset);
          if (earlier.length > 0) throw new Error(`client ${i + 1} got a "${events.reset}" event before ${routes.reset} was called`);
        }
      } finally {
        for (const s of streams) s.close();
      }
    },
  },
  {
    id: 'sse.last-event-id',
    title: 'a reconnect with Last-Event-ID gets the stream again: same head, hello! first, ids continue above it',
    async run(ctx) {
      const sample = await streamOrNotRun(ctx);
      const lastId = sample.events.map((e) => num(e.fields.id)).filter((x) => x > 0).pop();
      if (lastId === undefined) throw new NotRun('the first stream carried no event id to reconnect with');
      const s = await RawSseStream.open(ctx.target, routes.sse, { timeoutMs: ctx.o.timeoutMs, headers: [['Last-Event-ID', String(lastId)]] });
      try {
        const head = await s.waitHead(ctx.o.timeoutMs);
        if (head !== ctx.wire.sseHead) throw new Error(expectedActual('response head on reconnect', ctx.wire.sseHead, head));
        const r = await s.waitEvent((e) => e.fields.event === events.reading, ctx.o.timeoutMs, 0, `a ${events.reading} after the reconnect`);
        const first = s.events[0] as ArrivedEvent;
        if (first.fields.data.join('\n') !== hello.data) throw new Error(`first event after the reconnect is ${JSON.stringify(first.raw)}, want "${hello.data}"`);
        const helloId = num(first.fields.id);
        if (first.raw !== helloBytes(ctx.wire, helloId)) throw new Error(expectedActual('hello! bytes on reconnect', helloBytes(ctx.wire, helloId), first.raw));
        for (const id of [helloId, num(r.fields.id)]) {
          const d = u32Delta(lastId, id);
          if (!(d > 0 && d < 0x80000000)) throw new Error(`id ${id} after reconnecting with Last-Event-ID ${lastId} is not above it`);
        }
      } finally {
        s.close();
      }
    },
  },
];
