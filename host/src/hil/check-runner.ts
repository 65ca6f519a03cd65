import type { CheckResult } from './report-model.js';

/** Thrown by a check that cannot be attempted; reported as `not-run`, never as passed. */
export class NotRun extends Error {
  override readonly name = 'NotRun';
}

/** One check as data: a stable id, a title, and a function that throws on failure. */
export interface CheckDef<Ctx> {
  readonly id: string;
  readonly title: string;
  run(ctx: Ctx): Promise<void>;
}

/**
 * Runs checks in order. A check that returns passed; one that throws {@link NotRun} did not
 * run (with the reason); any other throw is a failure with the error's message.
 * `skip(check)` may return a reason to report a check as not run without calling it.
 */
export async function runChecks<Ctx>(
  checks: ReadonlyArray<CheckDef<Ctx>>,
  ctx: Ctx,
  skip: (check: CheckDef<Ctx>) => string | undefined = () => undefined,
): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const c of checks) {
    const reason = skip(c);
    if (reason !== undefined) {
      results.push({ id: c.id, title: c.title, status: 'not-run', message: reason });
      continue;
    }
    const t0 = performance.now();
    try {
      await c.run(ctx);
      results.push({ id: c.id, title: c.title, status: 'passed', durationMs: performance.now() - t0 });
    } catch (e) {
      const status = e instanceof NotRun ? 'not-run' : 'failed';
      const message = e instanceof Error ? e.message : String(e);
      results.push({ id: c.id, title: c.title, status, message, durationMs: performance.now() - t0 });
    }
  }
  return results;
}

/** `expected … / actual …` with control characters visible, for byte comparisons. */
export function expectedActual(what: string, expected: string, actual: string): string {
  return `${what} differs\n  expected: ${JSON.stringify(expected)}\n  actual:   ${JSON.stringify(actual)}`;
}

/** `b - a` on the board's wrapping 32-bit `millis()` clock. */
export function u32Delta(a: number, b: number): number {
  return (b - a) >>> 0;
}

/** How far apart two 32-bit millis() values are, in either direction (the shorter way round). */
export function u32Distance(a: number, b: number): number {
  return Math.min(u32Delta(a, b), u32Delta(b, a));
}
