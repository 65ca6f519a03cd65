import { describe, expect, it } from 'vitest';
import { DropReport } from './drop-report.js';

describe('DropReport', () => {
  it('reports at once, then at most every interval with everything dropped since the last report', () => {
    let t = 0;
    const reports: number[] = [];
    const r = new DropReport((n) => reports.push(n), 1000, () => t);
    r.add(3);
    t = 400;
    r.add(2);
    t = 999;
    r.add(1);
    expect(reports).toEqual([3]);
    t = 1000;
    r.add(4);
    expect(reports).toEqual([3, 7]);
  });
});
