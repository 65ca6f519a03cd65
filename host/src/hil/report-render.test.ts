import { describe, expect, it } from 'vitest';
import { summarize, type HilReport } from './report-model.js';
import { renderHuman } from './report-human.js';
import { renderJson } from './report-json.js';
import { renderJunit, xmlEscape } from './report-junit.js';

const report: HilReport = {
  target: { url: 'http://127.0.0.1:8080/', port: 'rfc2217://127.0.0.1:4000' },
  startedAt: '2026-11-25T13:00:00.000Z',
  durationMs: 1234,
  results: [
    { id: 'sse.hello', title: 'hello first', status: 'passed', durationMs: 12 },
    { id: 'http.reset', status: 'failed', message: 'want "OK", got <b>"NO"</b> & more', durationMs: 3 },
    { id: 'serial.boot-lines', status: 'not-run', message: 'socket:// carries no DTR/RTS' },
  ],
};

describe('summarize', () => {
  it('is ok only when every check ran and passed', () => {
    expect(summarize(report.results)).toEqual({ passed: 1, failed: 1, notRun: 1, total: 3, ok: false });
    expect(summarize([{ id: 'a', status: 'not-run' }]).ok).toBe(false);
    expect(summarize([]).ok).toBe(false);
    expect(summarize([{ id: 'a', status: 'passed' }]).ok).toBe(true);
  });
});

describe('renderers', () => {
  it('human: one line per check, reasons, and a verdict', () => {
    const text = renderHuman(report);
    expect(text).toContain('PASS    sse.hello - hello first (12 ms)');
    expect(text).toContain('FAIL    http.reset');
    expect(text).toContain('NOT RUN serial.boot-lines');
    expect(text).toContain('socket:// carries no DTR/RTS');
    expect(text.trimEnd().split('\n').pop()).toBe('1 passed, 1 failed, 1 not run of 3: NOT conformant');
  });

  it('json: summary plus results', () => {
    const j = JSON.parse(renderJson(report));
    expect(j).toMatchObject({ ok: false, passed: 1, failed: 1, notRun: 1, target: report.target });
    expect(j.results).toHaveLength(3);
  });

  it('junit: counts, failure and skipped elements, escaped text', () => {
    const x = renderJunit(report);
    expect(x).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites [^>]*tests="3" failures="1" errors="0" skipped="1" time="1.234">/);
    expect(x).toContain('<testcase classname="esp-sse.sse" name="sse.hello" time="0.012"/>');
    expect(x).toContain('<failure message="want &quot;OK&quot;, got &lt;b&gt;&quot;NO&quot;&lt;/b&gt; &amp; more" type="failed">');
    expect(x).toContain('<skipped message="not run: socket:// carries no DTR/RTS"/>');
    // Balanced elements.
    for (const tag of ['testsuites', 'testsuite', 'properties']) {
      expect(x.match(new RegExp(`<${tag}[ >]`, 'g'))).toHaveLength(x.split(`</${tag}>`).length - 1);
    }
    expect(x.match(/<testcase /g)).toHaveLength(3);
  });

  it('escapes characters XML 1.0 cannot carry', () => {
    expect(xmlEscape('a\u0000b\u001b[31m')).toBe('a\ufffdb\ufffd[31m');
  });
});
