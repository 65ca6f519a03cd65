/**
 * One hil run: the HTTP/SSE suite against a URL, then (when a serial port is given) the
 * serial-side checks on the same board, as one report. The caller picks the target and opens
 * the port; this function only runs checks.
 */
import type { ByteTransport } from '../transport/types.js';
import { runConformance, type ConformanceOptions } from './conformance.js';
import type { CheckResult, HilReport } from './report-model.js';
import { runSerialChecks, serialChecks, type SerialCheckOptions } from './serial-checks.js';

export interface HilRunOptions extends Omit<ConformanceOptions, 'baseUrl'> {
  /** Base URL of the board. */
  readonly url: string;
  /** Shown in the report (a discovered board's instance name, `emulator`). */
  readonly name?: string;
  /** The board's serial port, already open: also run the serial-side checks. */
  readonly serial?: ByteTransport;
  /** Timing of the serial checks (boot timeout, line timeout). */
  readonly serialOptions?: Omit<SerialCheckOptions, 'transport' | 'baseUrl'>;
}

export async function runHil(o: HilRunOptions): Promise<HilReport> {
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  const results: CheckResult[] = await runConformance({ ...o, baseUrl: o.url });
  if (o.serial) {
    const reachable = results.find((r) => r.id === 'http.connect')?.status === 'passed';
    if (reachable) results.push(...(await runSerialChecks({ ...o.serialOptions, transport: o.serial, baseUrl: o.url })));
    else {
      for (const c of serialChecks) results.push({ id: c.id, title: c.title, status: 'not-run', message: 'the board does not answer over HTTP (see http.connect)' });
    }
  }
  return {
    target: { url: o.url, ...(o.serial ? { port: o.serial.name } : {}), ...(o.name ? { name: o.name } : {}) },
    results,
    startedAt,
    durationMs: performance.now() - t0,
  };
}
