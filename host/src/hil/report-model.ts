/** Outcome of one check. `not-run` means it could not be attempted; it never counts as passed. */
export type CheckStatus = 'passed' | 'failed' | 'not-run';

/**
 * One check's result, as the reporters take it. The HTTP/SSE suite (`runConformance`) and the
 * serial-side checks both produce this shape.
 */
export interface CheckResult {
  /** Stable id: `sse.hello`, `serial.boot-lines`. */
  id: string;
  /** One-line description. */
  title?: string;
  status: CheckStatus;
  /** Why it failed or did not run. */
  message?: string;
  durationMs?: number;
}

/** Everything a report needs. */
export interface HilReport {
  /** What was tested: a URL, and the serial port when serial checks ran. */
  target: { url: string; port?: string; name?: string };
  results: CheckResult[];
  /** Wall-clock start, ISO 8601. */
  startedAt: string;
  durationMs: number;
}

export interface ReportSummary {
  passed: number;
  failed: number;
  notRun: number;
  total: number;
  /** True only when every check ran and passed (and there was at least one). */
  ok: boolean;
}

export function summarize(results: readonly CheckResult[]): ReportSummary {
  const count = (s: CheckStatus) => results.filter((r) => r.status === s).length;
  const passed = count('passed');
  const failed = count('failed');
  const notRun = count('not-run');
  return { passed, failed, notRun, total: results.length, ok: results.length > 0 && passed === results.length };
}
