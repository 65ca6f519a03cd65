/**
 * Checks text meant for users (error hints, the README's shell examples) against the real
 * command tree: every `esp-sse <command> … --option` names a command that exists and options
 * it has; a bare `--option` (a hint printed while some command runs) exists on some command.
 *
 * Hints are taken from the sources with the TypeScript parser, not at run time, so a hint on a
 * path no test reaches is checked too: the third argument of `new UserError(code, message, hint)`
 * and of warnings (`warn`, `printWarning`, `onWarning`, `(code, message, hint)`), the argument
 * named `hint` of local helpers (`fail(code, message, hint)`), and `hint:` properties.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Command } from 'commander';
import ts from 'typescript';

/** One user-facing text and where it came from (`host/src/cli/erase.ts:17`). */
export interface Text {
  text: string;
  where: string;
}

/** The commands' names and options: `'erase'` → `--port`, `--help`, …; `'fs build'` → …. */
export interface CommandTree {
  /** Command path without `esp-sse` (`''` for the program itself) → its long and short options. */
  options: Map<string, Set<string>>;
  /** Command path → its subcommands' names. */
  subcommands: Map<string, Set<string>>;
}

export function commandTree(program: Command): CommandTree {
  const options = new Map<string, Set<string>>();
  const subcommands = new Map<string, Set<string>>();
  const walk = (cmd: Command, path: string): void => {
    const flags = new Set<string>(['--help', '-h']);
    for (const o of cmd.options) {
      if (o.long) flags.add(o.long);
      if (o.short) flags.add(o.short);
      // `--no-compress` alone defines `--compress` as the default it negates; only the given flag exists.
    }
    if (path === '') flags.add('--version').add('-V');
    options.set(path, flags);
    subcommands.set(path, new Set(cmd.commands.map((c) => c.name())));
    for (const sub of cmd.commands) walk(sub, path === '' ? sub.name() : `${path} ${sub.name()}`);
  };
  walk(program, '');
  return { options, subcommands };
}

/** The `.ts` files of a folder, tests left out. */
export function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.d.ts'))
    .map((f) => join(dir, f))
    .sort();
}

/** Call names whose third argument is a hint: `warn(code, message, hint)` and its kin. */
const warningCallee = /^(warn|warning|printWarning|onWarning|emitWarning)$/;

/** Every hint in the given files, with `${…}` parts as `…`. */
export function collectHints(files: string[], root: string): Text[] {
  const parsed = files.map((f) => ({ f, sf: ts.createSourceFile(f, readFileSync(f, 'utf8'), ts.ScriptTarget.ES2022, true) }));
  // Helpers with a parameter named `hint`, by name: `fail(code, message, hint)` → 2.
  const helpers = new Map<string, number>();
  const noteHelper = (name: string | undefined, params: ts.NodeArray<ts.ParameterDeclaration>): void => {
    const i = params.findIndex((p) => ts.isIdentifier(p.name) && p.name.text === 'hint');
    if (name !== undefined && i >= 0 && name !== 'UserError') helpers.set(name, i);
  };
  for (const { sf } of parsed) {
    const visit = (n: ts.Node): void => {
      if (ts.isFunctionDeclaration(n)) noteHelper(n.name?.text, n.parameters);
      if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.initializer && (ts.isArrowFunction(n.initializer) || ts.isFunctionExpression(n.initializer))) {
        noteHelper(n.name.text, n.initializer.parameters);
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  const hints: Text[] = [];
  for (const { f, sf } of parsed) {
    const consts = fileConstants(sf);
    const add = (e: ts.Expression | undefined): void => {
      if (!e) return;
      const where = `${relative(root, f)}:${sf.getLineAndCharacterOfPosition(e.getStart()).line + 1}`;
      for (const text of texts(e, consts)) hints.push({ text, where });
    };
    const visit = (n: ts.Node): void => {
      if (ts.isNewExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 'UserError') add(n.arguments?.[2]);
      if (ts.isCallExpression(n)) {
        const name = calleeName(n.expression);
        if (name !== undefined && warningCallee.test(name)) add(n.arguments[2]);
        else if (name !== undefined && helpers.has(name)) add(n.arguments[helpers.get(name)!]);
      }
      if (ts.isPropertyAssignment(n) && ts.isIdentifier(n.name) && n.name.text === 'hint') add(n.initializer);
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  return hints;
}

function calleeName(e: ts.Expression): string | undefined {
  if (ts.isIdentifier(e)) return e.text;
  if (ts.isPropertyAccessExpression(e)) return e.name.text;
  return undefined;
}

/** `const openHint = '…'` at any level of a file: name → initializer. */
function fileConstants(sf: ts.SourceFile): Map<string, ts.Expression> {
  const out = new Map<string, ts.Expression>();
  const visit = (n: ts.Node): void => {
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.initializer) out.set(n.name.text, n.initializer);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

/** The texts an expression can produce: literals, templates (`${…}` → `…`), `a ? b : c`, `a + b`, `a ?? b`, constants. */
function texts(e: ts.Expression, consts: Map<string, ts.Expression>, depth = 0): string[] {
  if (depth > 8) return ['…'];
  const more = (x: ts.Expression) => texts(x, consts, depth + 1);
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return [e.text];
  if (ts.isTemplateExpression(e)) return [e.head.text + e.templateSpans.map((s) => `…${s.literal.text}`).join('')];
  if (ts.isParenthesizedExpression(e)) return more(e.expression);
  if (ts.isConditionalExpression(e)) return [...more(e.whenTrue), ...more(e.whenFalse)];
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    return more(e.left).flatMap((l) => more(e.right).map((r) => l + r));
  }
  if (ts.isBinaryExpression(e) && (e.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || e.operatorToken.kind === ts.SyntaxKind.BarBarToken)) {
    return [...more(e.left), ...more(e.right)];
  }
  if (ts.isIdentifier(e) && consts.has(e.text) && depth < 8) {
    const init = consts.get(e.text)!;
    if (!ts.isArrowFunction(init) && !ts.isFunctionExpression(init)) return more(init);
  }
  return ['…'];
}

/** A mention that names something the tree does not have. */
export interface BadMention {
  where: string;
  text: string;
  problem: string;
}

/** Tools whose options a text may quote (`esptool.py --chip`, `pio run -t`, `g++ -std`): their flags are not ours. */
const otherTools = /\b(esptool(\.py)?|pio|platformio|g\+\+|gcc|curl|chromium|socat|gen_esp32part(\.py)?|idf\.py|espefuse(\.py)?|python3?|npm|npx\s+(?!esp-sse)\S+|node|picocom|screen|addr2line|tar|git|mkspiffs)\b/;

/**
 * The esp-sse commands and options a text names, checked against the tree:
 * - `esp-sse <command> [<subcommand>] … --opt -o` (up to the end of the clause: `,` `;` `|` `&&`
 *   a bracket, or ` or `): the command exists and has every option;
 * - `<command> --opt` (a command's name right before an option, as in "uploadfs --partition X"):
 *   that command has it;
 * - any other `--opt`: the command `scope` has it (a help text of that command), else some
 *   command has it (a hint, printed while any command runs); unless the clause quotes another tool.
 */
export function checkMentions(t: Text, tree: CommandTree, scope?: string): BadMention[] {
  const bad: BadMention[] = [];
  const top = tree.subcommands.get('')!;
  const anywhere = new Set([...tree.options.values()].flatMap((s) => [...s]));
  const fail = (problem: string) => bad.push({ where: t.where, text: t.text, problem });
  // Clauses: what one command line (or one instruction) can span.
  for (const clause of t.text.split(/[,;|()[\]]|&&|\bor\b|\n|\. /)) {
    const words = clause.trim().split(/\s+/).filter((w) => w !== '');
    let path: string | undefined;
    let i = 0;
    const named = words.findIndex((w, j) => w === 'esp-sse' || (top.has(w) && /^--?[a-z]/.test(words[j + 1] ?? '')));
    if (named >= 0) {
      i = named;
      if (words[i] === 'esp-sse') {
        i++;
        const cmd = words[i];
        if (cmd === undefined || cmd.startsWith('-') || cmd === '…' || cmd.startsWith('<')) {
          path = '';
        } else if (!top.has(cmd)) {
          // `esp-sse boards` is prose; `esp-sse flsh --port X` a command line with a wrong name.
          if (words.slice(i + 1).some((w) => /^--?[a-zA-Z]/.test(w))) fail(`esp-sse ${cmd}: no such command`);
          continue;
        } else {
          path = cmd;
          i++;
        }
      } else {
        path = words[i]!;
        i++;
      }
      const subs = tree.subcommands.get(path)!;
      if (subs.size > 0 && words[i] !== undefined && /^[a-z]/.test(words[i]!)) {
        if (!subs.has(words[i]!)) {
          fail(`esp-sse ${path} ${words[i]}: no such command`);
          continue;
        }
        path = `${path} ${words[i]}`;
        i++;
      }
    }
    const quotesOtherTool = named < 0 && otherTools.test(clause);
    for (const w of words.slice(path !== undefined ? i : 0)) {
      const flag = /^(--?[a-zA-Z][\w-]*)/.exec(w.replace(/^[`'"]+/, ''))?.[1];
      if (!flag || /^-\d/.test(w)) continue;
      if (path !== undefined) {
        if (!tree.options.get(path)!.has(flag)) fail(`esp-sse ${path} has no ${flag}`);
      } else if (!quotesOtherTool && flag.startsWith('--')) {
        if (scope !== undefined && !tree.options.get(scope)!.has(flag)) fail(`esp-sse ${scope} has no ${flag}`.replace('esp-sse  ', 'esp-sse '));
        else if (scope === undefined && !anywhere.has(flag)) fail(`no command has ${flag}`);
      }
    }
  }
  return bad;
}
