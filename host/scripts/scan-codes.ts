/**
 * Finds the error and warning codes the code uses, for the catalogue's test
 * (host/test/error-catalogue.test.ts): every code-shaped string literal in host/src outside the
 * catalogue (host/src/errors/) and test code (parsed
 * with the TypeScript compiler, so comments and prose do not count), the partition codes built
 * from a suffix (`partitions.${code}`), and the runtime's warnings in
 * firmware/runtime/src/warnings.h with the names the runtime's sources send them by.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

/** One use of a code in the source. */
export interface CodeUse {
  code: string;
  /** `host/src/flasher/ports.ts:55`. */
  where: string;
  /** For `new UserError('code', …)`: the exit code it passes (2 when it passes none); undefined when not a literal or `exitCodes.x`. */
  exitCode?: number;
  /** True when the literal is the first argument of `new UserError(…)`. */
  thrown: boolean;
  /** True when the literal is the first argument of a call to a warning function (`warn`, `onWarning`, `printWarning`, …). */
  warned: boolean;
}

/** `area.words-with-hyphens`: the shape of every code. */
const CODE = /^[a-z][a-z0-9]*\.[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** Literals of that shape that are file names, not codes. */
const FILE_SUFFIX = /\.(?:bin|csv|json|ini|elf|c|h|cpp|ts|js|mjs|htm|html|py|gz|txt|local)$/;
/** Areas of other things shaped like codes: commander's error codes. */
const NOT_OURS = /^commander\./;

/**
 * Codes built from a suffix (`partitions.${code}`): where each family's suffixes are written,
 * as the first argument of a call (`fail('overlap', …)`, `new AppImageError('bad-magic', …)`)
 * or a property's value (`{ code: 'bad-label' }`). A template code with a prefix not listed
 * here is reported as the code `prefix.${…}`, which no catalogue has, so the test names it.
 */
const families: readonly { prefix: string; file: string; call?: string; property?: string }[] = [
  { prefix: 'partitions.', file: 'host/src/formats/partition-types.ts', property: 'code' },
  { prefix: 'partitions.', file: 'host/src/formats/partition-validate.ts', call: 'fail' },
  { prefix: 'image.', file: 'host/src/formats/app-image.ts', call: 'AppImageError' },
  { prefix: 'serial.', file: 'host/src/protocol/slip.ts', property: 'kind' },
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && !e.name.endsWith('.d.ts'))
    .map((e) => join(e.parentPath, e.name))
    .filter((f) => !f.split('/').includes('testing'))
    // The catalogue itself names every code; a use is somewhere else.
    .filter((f) => !relative(dir, f).startsWith('errors/'));
}

/** `exitCodes.port` or a number literal → its value, given the exit-code table. */
function exitArg(node: ts.Expression | undefined, table: Record<string, number>): number | undefined {
  if (node === undefined) return 2;
  if (ts.isNumericLiteral(node)) return Number(node.text);
  if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'exitCodes') return table[node.name.text];
  return undefined;
}

/** The called function's own name: `warn` for `this.hooks.onWarning?.(…)` is `onWarning`. */
function calleeName(e: ts.Expression): string {
  if (ts.isIdentifier(e)) return e.text;
  if (ts.isPropertyAccessExpression(e)) return e.name.text;
  return '';
}

/** A HIL check id (`id: 'http.connect'`, `r.id === 'http.connect'`): shaped like a code, but not one. */
function isCheckId(node: ts.Node): boolean {
  const p = node.parent;
  if (ts.isPropertyAssignment(p) && p.initializer === node && p.name.getText() === 'id') return true;
  if (ts.isBinaryExpression(p)) {
    const other = p.left === node ? p.right : p.left;
    return ts.isPropertyAccessExpression(other) && other.name.text === 'id';
  }
  return false;
}

/** Kebab-case literals of `file` that are the first argument of a call to `call` or the value of a property `property`. */
function suffixLiterals(file: string, text: string, family: { call?: string; property?: string }): string[] {
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteralLike(node) && /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(node.text)) {
      const p = node.parent;
      const isProperty = ts.isPropertyAssignment(p) && p.initializer === node && p.name.getText() === family.property;
      const isCall = (ts.isCallExpression(p) || ts.isNewExpression(p)) && p.arguments?.[0] === node && calleeName(p.expression) === family.call;
      if (isProperty || isCall) found.push(node.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true));
  return found;
}

/** How a code at `node` (the first argument of `p`) is used: thrown (`new UserError`, `super` of an error class), warned, or neither. */
function useOf(node: ts.Node, exitTable: Record<string, number>): Pick<CodeUse, 'thrown' | 'warned' | 'exitCode'> {
  const p = node.parent;
  if (!(ts.isCallExpression(p) || ts.isNewExpression(p)) || p.arguments?.[0] !== node) return { thrown: false, warned: false };
  const thrown = (ts.isNewExpression(p) && p.expression.getText() === 'UserError') || p.expression.kind === ts.SyntaxKind.SuperKeyword;
  const warned = !thrown && /warn/i.test(calleeName(p.expression));
  const exitCode = thrown ? exitArg(p.arguments[3], exitTable) : undefined;
  return { thrown, warned, ...(exitCode !== undefined ? { exitCode } : {}) };
}

/** Every code used in `root/host/src`, with where and (for throws) the exit code. */
export function scanHostCodes(root: string, exitTable: Record<string, number>): CodeUse[] {
  const uses: CodeUse[] = [];
  for (const file of sourceFiles(join(root, 'host/src'))) {
    const text = readFileSync(file, 'utf8');
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const rel = relative(root, file);
    const where = (node: ts.Node): string => `${rel}:${sf.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
    const visit = (node: ts.Node): void => {
      if (ts.isStringLiteralLike(node) && CODE.test(node.text) && !FILE_SUFFIX.test(node.text) && !NOT_OURS.test(node.text) && !isCheckId(node)) {
        uses.push({ code: node.text, where: where(node), ...useOf(node, exitTable) });
      }
      if (ts.isTemplateExpression(node) && /^[a-z][a-z0-9]*\.$/.test(node.head.text)) {
        const use = useOf(node, exitTable);
        const prefix = node.head.text;
        const mine = families.filter((f) => f.prefix === prefix);
        if (mine.length === 0 && (use.thrown || use.warned)) uses.push({ code: `${prefix}\${…}`, where: where(node), ...use });
        for (const f of mine) {
          for (const suffix of suffixLiterals(f.file, readFileSync(join(root, f.file), 'utf8'), f)) {
            uses.push({ code: `${prefix}${suffix}`, where: `${f.file} (via ${where(node)})`, ...use });
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return uses;
}

/** A warning the C++ runtime sends (firmware/runtime/src/warnings.h). */
export interface RuntimeWarning {
  /** The constant's name in `esp_sse::warning`. */
  name: string;
  code: string;
  message: string;
  hint: string;
}

/** Joins a run of adjacent C string literals (`"a " "b"`) into one string. */
function cString(run: string): string {
  return [...run.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]!.replace(/\\(.)/g, '$1')).join('');
}

/** The runtime's warnings as warnings.h declares them. */
export function runtimeWarnings(root: string): RuntimeWarning[] {
  const text = readFileSync(join(root, 'firmware/runtime/src/warnings.h'), 'utf8');
  const out: RuntimeWarning[] = [];
  for (const m of text.matchAll(/constexpr Warning (\w+)\{([\s\S]*?)\};/g)) {
    const strings = [...m[2]!.matchAll(/((?:"(?:[^"\\]|\\.)*"\s*)+)(?:,|$)/g)].map((s) => cString(s[1]!));
    const [code, message, hint] = strings;
    if (code === undefined || message === undefined || hint === undefined) throw new Error(`warnings.h: cannot read ${m[1]}`);
    out.push({ name: m[1]!, code, message, hint });
  }
  return out;
}

/** What the runtime's sources (outside warnings.h) use: `warning::name` references and code-shaped string literals. */
export function scanRuntimeSources(root: string): { names: Set<string>; literals: string[] } {
  const names = new Set<string>();
  const literals: string[] = [];
  const dir = join(root, 'firmware/runtime');
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile() || !/\.(?:cpp|h)$/.test(e.name) || e.name === 'warnings.h') continue;
    const text = readFileSync(join(e.parentPath, e.name), 'utf8').replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, '');
    for (const m of text.matchAll(/warning::(\w+)/g)) names.add(m[1]!);
    for (const m of text.matchAll(/"([a-z][a-z0-9]*\.[a-z0-9]+(?:-[a-z0-9]+)*)"/g)) {
      if (m[1]!.startsWith('emulate.')) literals.push(m[1]!);
    }
  }
  return { names, literals };
}
