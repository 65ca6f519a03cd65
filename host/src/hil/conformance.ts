/**
 * `runConformance`: the HTTP/SSE suite against one base URL. The same code runs against the
 * emulator in CI and against a board on the bench.
 */
import { events } from '../contract/board.js';
import { runChecks } from './check-runner.js';
import { expectedWire, type ExpectedProfile } from './expected-wire.js';
import { recordSample, type HttpCheckOptions, type HttpCtx, type StreamSample } from './http-context.js';
import { httpChecks } from './http-checks.js';
import { targetOf } from './raw-http.js';
import type { CheckResult } from './report-model.js';

export interface ConformanceOptions {
  /** `http://10.0.0.7/`, `http://127.0.0.1:8080/`. */
  readonly baseUrl: string;
  /** Library version whose bytes are expected; default the firmware's pin, `esp32async-3.12.0`. */
  readonly profile?: ExpectedProfile;
  /** How long the stream is watched for rate and ids (default 3000 ms). */
  readonly windowMs?: number;
  /** Limit for each wait (default 10 s; a board on Wi-Fi can be slow to answer). */
  readonly timeoutMs?: number;
  /** Clients connected during the `/reset` check (default 3; the board allows 16 connections). */
  readonly resetClients?: number;
  /** Only checks whose id starts with one of these (default: all). */
  readonly only?: readonly string[];
}

/** Runs the HTTP/SSE checks in order. When the target refuses connections every other check is not run. */
export async function runConformance(options: ConformanceOptions): Promise<CheckResult[]> {
  const target = targetOf(options.baseUrl);
  const o: HttpCheckOptions = {
    windowMs: options.windowMs ?? 3000,
    timeoutMs: options.timeoutMs ?? 10_000,
    resetClients: options.resetClients ?? 3,
  };
  let sample: Promise<StreamSample> | undefined;
  const ctx: HttpCtx = {
    target,
    wire: expectedWire[options.profile ?? 'esp32async-3.12.0'],
    o,
    sample: () => (sample ??= recordSample(target, o, events.reading)),
  };
  const chosen = options.only ? httpChecks.filter((c) => c.id === 'http.connect' || options.only!.some((p) => c.id.startsWith(p))) : httpChecks;
  let unreachable: string | undefined;
  const results: CheckResult[] = [];
  for (const c of chosen) {
    const [r] = await runChecks([c], ctx, () => (unreachable ? `the target could not be reached (${unreachable})` : undefined));
    results.push(r!);
    if (c.id === 'http.connect' && r!.status !== 'passed') unreachable = r!.message;
  }
  return results;
}
