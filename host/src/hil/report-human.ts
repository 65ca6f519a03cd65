import { safeText } from '../safe-text.js';
import { summarize, type HilReport } from './report-model.js';

/** Colour hooks; identity when colour is off. */
export interface ReportPaint {
  pass(s: string): string;
  fail(s: string): string;
  skip(s: string): string;
}

const plain: ReportPaint = { pass: (s) => s, fail: (s) => s, skip: (s) => s };

/** Human report: one line per check (`PASS`/`FAIL`/`NOT RUN`), the reason under failures, a summary. What the board sent (its name, bytes quoted in reasons) is escaped. */
export function renderHuman(report: HilReport, paint: ReportPaint = plain): string {
  const lines: string[] = [];
  const where = [report.target.url, report.target.port].filter(Boolean).join(' + serial ');
  lines.push(`esp-sse conformance against ${safeText(where)}${report.target.name ? ` (${safeText(report.target.name)})` : ''}`);
  for (const r of report.results) {
    const tag = r.status === 'passed' ? paint.pass('PASS   ') : r.status === 'failed' ? paint.fail('FAIL   ') : paint.skip('NOT RUN');
    const ms = r.durationMs !== undefined ? ` (${Math.round(r.durationMs)} ms)` : '';
    lines.push(`  ${tag} ${r.id}${r.title ? ` - ${r.title}` : ''}${ms}`);
    if (r.status !== 'passed' && r.message) lines.push(...r.message.split('\n').map((m) => `          ${safeText(m)}`));
  }
  const s = summarize(report.results);
  const verdict = s.ok ? paint.pass('all passed') : paint.fail('NOT conformant');
  lines.push(`${s.passed} passed, ${s.failed} failed, ${s.notRun} not run of ${s.total}: ${verdict}`);
  return lines.join('\n') + '\n';
}
