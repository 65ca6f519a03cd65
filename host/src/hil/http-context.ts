/**
 * Shared state of one conformance run: the target, the expected bytes, and one recorded
 * event-stream sample that several checks read (so the stream is watched once, not per check).
 */
import { NotRun } from './check-runner.js';
import type { ExpectedWire } from './expected-wire.js';
import type { Target } from './raw-http.js';
import { RawSseStream, type ArrivedEvent } from './raw-sse.js';
import { routes } from '../contract/board.js';

export interface HttpCheckOptions {
  /** How long the stream is watched for the rate and id checks (host time). */
  readonly windowMs: number;
  /** Limit for every single wait (a connection, a reply, one event). */
  readonly timeoutMs: number;
  /** Clients connected while `/reset` is called. */
  readonly resetClients: number;
}

/** A stream watched for `windowMs`: its head and every event that arrived. */
export interface StreamSample {
  readonly head: string;
  readonly status: number;
  readonly events: readonly ArrivedEvent[];
  /** Why watching stopped early (stream ended, stalled), if it did. */
  readonly error?: string;
}

export interface HttpCtx {
  readonly target: Target;
  readonly wire: ExpectedWire;
  readonly o: HttpCheckOptions;
  /** The recorded sample (recorded on first use). */
  sample(): Promise<StreamSample>;
}

/** Time-reading events of a sample. */
export function readingsOf(events: readonly ArrivedEvent[], name: string): ArrivedEvent[] {
  return events.filter((e) => e.fields.event === name);
}

/** Records a sample: headers, then events until `windowMs` of readings have arrived. */
export async function recordSample(t: Target, o: HttpCheckOptions, readingEvent: string): Promise<StreamSample> {
  const s = await RawSseStream.open(t, routes.sse, { timeoutMs: o.timeoutMs });
  try {
    const head = await s.waitHead(o.timeoutMs);
    if (s.status !== 200) return { head, status: s.status, events: [] };
    let error: string | undefined;
    try {
      const first = await s.waitEvent((e) => e.fields.event === readingEvent, o.timeoutMs, 0, `the first ${readingEvent} event`);
      // Each wait is for the next event (bounded by timeoutMs): a stream that stalls fails, a
      // slow but live one is watched until the window is full.
      for (;;) {
        const last = s.events[s.events.length - 1] as ArrivedEvent;
        if (last.at - first.at >= o.windowMs) break;
        const n = s.events.length;
        await s.waitUntil(() => s.events.length > n, o.timeoutMs, 'the next event');
      }
    } catch (e) {
      error = (e as Error).message;
    }
    return { head, status: s.status, events: [...s.events], ...(error ? { error } : {}) };
  } finally {
    s.close();
  }
}

/** The sample's events, or not-run when there is no event stream to look at. */
export async function streamOrNotRun(ctx: HttpCtx): Promise<StreamSample> {
  let sample: StreamSample;
  try {
    sample = await ctx.sample();
  } catch (e) {
    throw new NotRun(`no event stream to look at: ${(e as Error).message}`);
  }
  if (sample.status !== 200) throw new NotRun(`no event stream to look at: GET ${routes.sse} answered ${sample.status || 'no valid status line'} (see sse.head)`);
  return sample;
}
