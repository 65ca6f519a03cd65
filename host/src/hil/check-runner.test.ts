import { describe, expect, it } from 'vitest';
import { expectedActual, NotRun, runChecks, u32Delta, type CheckDef } from './check-runner.js';

describe('runChecks', () => {
  it('reports passed, failed (with the message) and not-run (with the reason), in order', async () => {
    const ran: string[] = [];
    const checks: CheckDef<{ n: number }>[] = [
      { id: 'a.ok', title: 'ok', run: async () => void ran.push('a') },
      { id: 'a.bad', title: 'bad', run: async () => { ran.push('b'); throw new Error('want 1, got 2'); } },
      { id: 'a.cannot', title: 'cannot', run: async () => { ran.push('c'); throw new NotRun('no stream'); } },
      { id: 'a.skipped', title: 'skipped', run: async () => void ran.push('d') },
    ];
    const rs = await runChecks(checks, { n: 1 }, (c) => (c.id === 'a.skipped' ? 'target unreachable' : undefined));
    expect(ran).toEqual(['a', 'b', 'c']);
    expect(rs.map((r) => [r.id, r.status, r.message])).toEqual([
      ['a.ok', 'passed', undefined],
      ['a.bad', 'failed', 'want 1, got 2'],
      ['a.cannot', 'not-run', 'no stream'],
      ['a.skipped', 'not-run', 'target unreachable'],
    ]);
  });

  it('a thrown non-Error is a failure too, never a pass', async () => {
    const rs = await runChecks([{ id: 'x', title: 'x', run: () => Promise.reject('boom') }], {});
    expect(rs[0]).toMatchObject({ status: 'failed', message: 'boom' });
  });
});

describe('helpers', () => {
  it('u32Delta follows the 32-bit millis() wrap', () => {
    expect(u32Delta(10, 30)).toBe(20);
    expect(u32Delta(0xffff_fff0, 0x10)).toBe(0x20);
    expect(u32Delta(30, 10)).toBe(0x1_0000_0000 - 20);
  });

  it('expectedActual shows line endings', () => {
    expect(expectedActual('head', 'a\r\n', 'a\n')).toBe('head differs\n  expected: "a\\r\\n"\n  actual:   "a\\n"');
  });
});
