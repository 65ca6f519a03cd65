/**
 * Inside a `try`, an async function awaits the promise it returns. `return p` (no await) leaves
 * the try at once: its `catch` never sees p's rejection, and its `finally` runs before p
 * settles; if that `finally` awaits, p can reject while nothing holds it, which Node reports as
 * an unhandled rejection (a failed build's error did that to a CI run while the build removed
 * its temporary file). The rule is checked with the type checker over host/, and the check is
 * shown to find the wrong form and pass the right ones.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');

/** `file:line` of every `return <promise>` without `await` inside a try block of `program`. */
function unawaitedReturnsInTry(program: ts.Program, under: string): string[] {
  const checker = program.getTypeChecker();
  const found: string[] = [];
  for (const sf of program.getSourceFiles()) {
    if (!sf.fileName.startsWith(under) || sf.fileName.includes('/node_modules/')) continue;
    const visit = (n: ts.Node, inTry: boolean): void => {
      if (ts.isFunctionLike(n)) inTry = false;
      if (ts.isTryStatement(n)) {
        visit(n.tryBlock, true);
        if (n.catchClause) visit(n.catchClause, inTry);
        if (n.finallyBlock) visit(n.finallyBlock, inTry);
        return;
      }
      if (inTry && ts.isReturnStatement(n) && n.expression && !ts.isAwaitExpression(n.expression)) {
        const thenable = (t: ts.Type): boolean => (t.isUnion() ? t.types.some(thenable) : checker.getPropertyOfType(t, 'then') !== undefined);
        if (thenable(checker.getTypeAtLocation(n.expression))) found.push(`${relative(under, sf.fileName)}:${sf.getLineAndCharacterOfPosition(n.getStart()).line + 1}`);
      }
      ts.forEachChild(n, (c) => visit(c, inTry));
    };
    visit(sf, false);
  }
  return found;
}

function programOf(tsconfig: string): ts.Program {
  const parsed = ts.getParsedCommandLineOfConfigFile(tsconfig, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n')); } });
  if (!parsed) throw new Error(`cannot read ${tsconfig}`);
  return ts.createProgram(parsed.fileNames, parsed.options);
}

const temps: string[] = [];
afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('a promise returned inside try is awaited', () => {
  it('the check finds `return p` in a try and passes `return await p`, returns outside try and in nested functions', () => {
    const dir = mkdtempSync(join(tmpdir(), 'esp-sse-return-await-'));
    temps.push(dir);
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, target: 'ES2022', module: 'NodeNext', noEmit: true, types: [] }, files: ['a.ts'] }));
    writeFileSync(join(dir, 'a.ts'), [
      'declare function fail(): Promise<never>;',
      'declare function cleanup(): Promise<void>;',
      'export async function wrong() { try { return fail(); } finally { await cleanup(); } }',
      'export async function maybe(x: boolean) { try { return x ? fail() : 1; } catch { return 0; } }',
      'export async function right() { try { return await fail(); } finally { await cleanup(); } }',
      'export async function outside() { return fail(); }',
      'export async function nested() { try { const f = () => fail(); return await f(); } finally { await cleanup(); } }',
      'export async function value() { try { return 1; } finally { await cleanup(); } }',
      '',
    ].join('\n'));
    expect(unawaitedReturnsInTry(programOf(join(dir, 'tsconfig.json')), dir + '/')).toEqual(['a.ts:3', 'a.ts:4']);
  });

  it('holds for host/', () => {
    expect(unawaitedReturnsInTry(programOf(join(root, 'tsconfig.json')), join(root, 'host') + '/')).toEqual([]);
  });
});
