import { writeFileAtomic } from '../settings/atomic-write.js';
import { summarize, type HilReport } from './report-model.js';

/** Escapes text for XML attributes and character data (also drops characters XML 1.0 forbids). */
export function xmlEscape(s: string): string {
  return s
    .replace(/[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu, '\ufffd')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const sec = (ms: number | undefined) => ((ms ?? 0) / 1000).toFixed(3);

/**
 * JUnit XML as CI servers read it (the Ant/Surefire schema GitLab, Jenkins and GitHub actions
 * parse): one `<testsuite>`, a `<testcase>` per check with `classname` = the id's group,
 * `<failure>` for failed checks and `<skipped>` for checks that did not run.
 */
export function renderJunit(report: HilReport): string {
  const s = summarize(report.results);
  const cases = report.results.map((r) => {
    const dot = r.id.indexOf('.');
    const group = dot > 0 ? r.id.slice(0, dot) : 'conformance';
    const open = `    <testcase classname="esp-sse.${xmlEscape(group)}" name="${xmlEscape(r.id)}" time="${sec(r.durationMs)}"`;
    const msg = xmlEscape(r.message ?? '');
    if (r.status === 'passed') return `${open}/>`;
    if (r.status === 'failed') return `${open}>\n      <failure message="${msg}" type="failed">${msg}</failure>\n    </testcase>`;
    return `${open}>\n      <skipped message="not run: ${msg}"/>\n    </testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="esp-sse hil" tests="${s.total}" failures="${s.failed}" errors="0" skipped="${s.notRun}" time="${sec(report.durationMs)}">`,
    `  <testsuite name="esp-sse conformance" tests="${s.total}" failures="${s.failed}" errors="0" skipped="${s.notRun}" time="${sec(report.durationMs)}" timestamp="${xmlEscape(report.startedAt)}">`,
    `    <properties>\n      <property name="url" value="${xmlEscape(report.target.url)}"/>${report.target.port ? `\n      <property name="port" value="${xmlEscape(report.target.port)}"/>` : ''}\n    </properties>`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

/** Writes the JUnit file atomically (temp file + rename). */
export async function writeJunit(path: string, report: HilReport): Promise<void> {
  await writeFileAtomic(path, renderJunit(report));
}
