import { summarize, type HilReport } from './report-model.js';

/** `--json`: the report plus its summary, one object. */
export function renderJson(report: HilReport): string {
  return JSON.stringify({ ...summarize(report.results), target: report.target, startedAt: report.startedAt, durationMs: report.durationMs, results: report.results }, null, 2) + '\n';
}
