/**
 * The shell examples of the README and of docs/ (docs/cli.md above all) run as written from a
 * checkout: every esp-sse command line in a ```sh block is written `npx esp-sse …` (each
 * document with examples says so once),
 * and is parsed by the real command tree, with every command's action replaced by a no-op:
 * the command exists, every option exists and takes the value given (choices, numbers), the
 * arguments fit, and duration options carry a unit or at least 100 ms. The commands and options
 * their inline code names exist too, and docs/cli.md has a row for every option of every command
 * (and none for an option the command does not have), and every `npm run` script they name is
 * one of package.json.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { parseDuration } from '../src/cli/duration.js';
import { createProgram } from '../src/cli/program.js';
import { checkMentions, commandTree } from './cli-mentions.js';

const root = resolve(import.meta.dirname, '../..');
const read = (path: string): string => readFileSync(resolve(root, path), 'utf8');

/** How many examples a document has at least, where it must have some. */
const minExamples: Record<string, number> = { 'README.md': 6, 'docs/cli.md': 40 };

/** The documents whose examples and inline code are checked: the README and every doc in docs/ (host/bench/README.md names the benchmarks' own options). */
const documents = ['README.md', ...readdirSync(resolve(root, 'docs')).filter((name) => name.endsWith('.md')).sort().map((name) => `docs/${name}`)].map((path) => ({
  path,
  minExamples: minExamples[path] ?? 0,
}));

const tree = commandTree(await createProgram());

/** The ```sh blocks' lines, continuations joined, with their README line numbers. */
function shellLines(markdown: string): Array<{ line: number; text: string }> {
  const out: Array<{ line: number; text: string }> = [];
  let inSh = false;
  let pending: { line: number; text: string } | undefined;
  markdown.split('\n').forEach((raw, i) => {
    // Fences may be indented (a code block inside a numbered step).
    if (/^\s*```/.test(raw)) {
      inSh = !inSh && /^\s*```(sh|bash|shell|console)\s*$/.test(raw);
      return;
    }
    if (!inSh) return;
    const text = pending ? `${pending.text} ${raw.trim()}` : raw;
    const line = pending?.line ?? i + 1;
    if (text.endsWith('\\')) pending = { line, text: text.slice(0, -1) };
    else {
      pending = undefined;
      out.push({ line, text });
    }
  });
  return out;
}

/** Shell words of one line, split into simple commands at `&&`, `||`, `|`, `;`; comments and redirections dropped. */
export function simpleCommands(text: string): string[][] {
  // Redirections (`> file`, `2>&1`) are the shell's, not the command's.
  const line = text.replace(/(^|\s)\d*(>>?|<)(&\d+|\s*[^\s|&;]+)/g, ' ');
  const commands: string[][] = [[]];
  let word: string | undefined;
  const end = () => {
    if (word !== undefined) commands.at(-1)!.push(word);
    word = undefined;
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "'" || c === '"') {
      const close = line.indexOf(c, i + 1);
      if (close < 0) throw new Error(`unbalanced quote in: ${text}`);
      word = (word ?? '') + line.slice(i + 1, close);
      i = close;
    } else if (c === '#' && word === undefined) {
      break;
    } else if (/\s/.test(c)) {
      end();
    } else if ('|&;'.includes(c)) {
      end();
      if (line[i + 1] === c) i++;
      commands.push([]);
    } else {
      word = (word ?? '') + c;
    }
  }
  end();
  return commands.filter((words) => words.length > 0);
}

/** The esp-sse invocations: `[prefix, args]` for `npx esp-sse ARGS` or a bare `esp-sse ARGS`. */
function invocations(words: string[]): { npx: boolean; args: string[] } | undefined {
  const w = words.filter((x, i) => !(i === 0 && /^[A-Z_]+=/.test(x)));
  if (w[0] === 'npx' && w[1] === 'esp-sse') return { npx: true, args: w.slice(2) };
  if (w[0] === 'esp-sse') return { npx: false, args: w.slice(1) };
  return undefined;
}

/** Parses `args` with the real tree, every action a no-op; returns the command that would run and its options. */
async function parseOnly(args: string[]): Promise<{ command: Command; opts: Record<string, unknown> }> {
  const program = await createProgram();
  let ran: Command | undefined;
  const stub = (cmd: Command): void => {
    cmd.exitOverride();
    cmd.configureOutput({ writeOut: () => {}, writeErr: () => {} });
    if (cmd.commands.length === 0) cmd.action(function (this: Command) { ran = this; });
    cmd.commands.forEach(stub);
  };
  stub(program);
  const title = process.title;
  try {
    await program.parseAsync(['node', 'esp-sse', ...args]);
  } finally {
    process.title = title;
  }
  if (!ran) throw new Error('no command ran');
  return { command: ran, opts: ran.opts() };
}

for (const doc of documents) {
  const text = read(doc.path);
  const examples = shellLines(text).flatMap(({ line, text: t }) =>
    simpleCommands(t).flatMap((words) => {
      const inv = invocations(words);
      return inv ? [{ line, text: t.trim(), ...inv }] : [];
    }));

  describe(`${doc.path} shell examples`, () => {
    if (doc.minExamples > 0) {
      it('are found', () => {
        expect(examples.length).toBeGreaterThanOrEqual(doc.minExamples);
      });
    }

    it('run from a checkout as written: npx esp-sse, never a bare esp-sse', () => {
      expect(examples.filter((e) => !e.npx).map((e) => `${doc.path}:${e.line}: ${e.text}`)).toEqual([]);
    });

    if (examples.length > 0) {
      it('say once how to run them from a checkout', () => {
        expect(text).toMatch(/npx esp-sse/);
        expect(text).toMatch(/npm run build/);
      });
    }

    for (const e of examples) {
      it(`${doc.path}:${e.line} parses against the command tree`, async () => {
        const { command, opts } = await parseOnly(e.args);
        for (const o of command.options.filter((x) => x.flags.includes('<duration>'))) {
          const value = opts[o.attributeName()];
          if (typeof value === 'string') parseDuration(value, o.long!);
        }
      });
    }
  });

  describe(`${doc.path} prose`, () => {
    const spans = [...text.matchAll(/`([^`\n]+)`/g)].map((m) => ({
      text: m[1]!,
      where: `${doc.path}:${text.slice(0, m.index).split('\n').length}`,
    }));

    it('names only commands and options that exist in its inline code', () => {
      expect(spans.flatMap((s) => checkMentions(s, tree))).toEqual([]);
    });
  });
}

describe('npm scripts the documents name', () => {
  const scripts = new Set(Object.keys((JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts));
  const named = documents.flatMap((doc) => [...read(doc.path).matchAll(/\bnpm run ([\w:-]+)/g)].map((m) => ({ doc: doc.path, script: m[1]! })));

  it('are found', () => {
    expect(named.map((n) => n.script)).toContain('build');
  });

  it('exist in package.json', () => {
    expect(named.filter((n) => !scripts.has(n.script)).map((n) => `${n.doc}: npm run ${n.script}`)).toEqual([]);
  });
});

/** A command's section of docs/cli.md: from its heading to the next `##` heading or the next command's. */
function commandSections(markdown: string, paths: ReadonlySet<string>): Map<string, string> {
  const sections = new Map<string, string>();
  let current: { path: string; lines: string[] } | undefined;
  const close = (): void => {
    if (current) sections.set(current.path, current.lines.join('\n'));
    current = undefined;
  };
  for (const line of markdown.split('\n')) {
    const h = /^(#{2,3}) (.+)$/.exec(line);
    if (h && (h[1] === '##' || paths.has(h[2]!))) {
      close();
      current = { path: h[2]!, lines: [] };
    } else current?.lines.push(line);
  }
  close();
  return sections;
}

/** The flags of a section's table rows: `| \`-p, --port <port>\` | … |` → `-p`, `--port`. */
function rowFlags(section: string): string[] {
  return [...section.matchAll(/^\| `([^`]+)` \|/gm)].flatMap((m) => [...m[1]!.matchAll(/(?:^|, )(--?[a-zA-Z][\w-]*)/g)].map((f) => f[1]!));
}

describe('docs/cli.md option tables', () => {
  const cli = read('docs/cli.md');
  const paths = new Set([...tree.options.keys()].filter((p) => p !== '' && !/(^| )help$/.test(p)));
  const sections = commandSections(cli, paths);
  const shared = sections.get('Board connection options') ?? '';

  it('have a section for every command and subcommand', () => {
    expect([...paths].filter((p) => !sections.has(p))).toEqual([]);
  });

  it('have a row for every option of every command (board commands: in the shared table)', () => {
    const missing = [...paths].flatMap((p) => {
      const section = sections.get(p) ?? '';
      const rows = new Set([...rowFlags(section), ...(section.includes('(#board-connection-options)') ? rowFlags(shared) : [])]);
      return [...tree.options.get(p)!].filter((f) => f.startsWith('--') && !['--help', '--version'].includes(f) && !rows.has(f)).map((f) => `${p} ${f}`);
    });
    expect(missing).toEqual([]);
  });

  it('have no row for an option the command does not have', () => {
    const extra = [...paths].flatMap((p) => rowFlags(sections.get(p) ?? '')
      .filter((f) => !tree.options.get(p)!.has(f))
      .map((f) => `${p} ${f}`));
    expect(extra).toEqual([]);
  });
});

describe('simpleCommands', () => {
  it('splits at shell operators, keeps quoted words whole, drops comments and redirections', () => {
    expect(simpleCommands(`npx esp-sse monitor --until 'HTTP server started' --timeout 30s | head -1 # CI`)).toEqual([
      ['npx', 'esp-sse', 'monitor', '--until', 'HTTP server started', '--timeout', '30s'],
      ['head', '-1'],
    ]);
    expect(simpleCommands('a x > out.txt 2>&1 && b "q r";c')).toEqual([['a', 'x'], ['b', 'q r'], ['c']]);
  });
});
