/**
 * The README's shell examples run as written from a checkout: every esp-sse command line in a
 * ```sh block is written `npx esp-sse …` (the README says so once, above the CLI reference),
 * and is parsed by the real command tree, with every command's action replaced by a no-op:
 * the command exists, every option exists and takes the value given (choices, numbers), the
 * arguments fit, and duration options carry a unit or at least 100 ms.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { parseDuration } from '../src/cli/duration.js';
import { createProgram } from '../src/cli/program.js';
import { checkMentions, commandTree } from './cli-mentions.js';

const readme = readFileSync(resolve(import.meta.dirname, '../../README.md'), 'utf8');

/** The ```sh blocks' lines, continuations joined, with their README line numbers. */
function shellLines(markdown: string): Array<{ line: number; text: string }> {
  const out: Array<{ line: number; text: string }> = [];
  let inSh = false;
  let pending: { line: number; text: string } | undefined;
  markdown.split('\n').forEach((raw, i) => {
    if (/^```/.test(raw)) {
      inSh = !inSh && /^```(sh|bash|shell|console)\s*$/.test(raw);
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

const examples = shellLines(readme).flatMap(({ line, text }) =>
  simpleCommands(text).flatMap((words) => {
    const inv = invocations(words);
    return inv ? [{ line, text: text.trim(), ...inv }] : [];
  }));

describe('README shell examples', () => {
  it('are found', () => {
    expect(examples.length).toBeGreaterThan(25);
  });

  it('run from a checkout as written: npx esp-sse, never a bare esp-sse', () => {
    expect(examples.filter((e) => !e.npx).map((e) => `README.md:${e.line}: ${e.text}`)).toEqual([]);
  });

  it('say once how to run them from a checkout', () => {
    expect(readme).toMatch(/npx esp-sse/);
    expect(readme).toMatch(/npm run build/);
  });

  it.each(examples.map((e) => [`README.md:${e.line}`, e] as const))('%s parses against the command tree', async (_where, e) => {
    const { command, opts } = await parseOnly(e.args);
    for (const o of command.options.filter((x) => x.flags.includes('<duration>'))) {
      const value = opts[o.attributeName()];
      if (typeof value === 'string') parseDuration(value, o.long!);
    }
  });
});

describe('README prose', () => {
  it('names only commands and options that exist in its inline code', async () => {
    const tree = commandTree(await createProgram());
    const spans = [...readme.matchAll(/`([^`\n]+)`/g)].map((m) => ({
      text: m[1]!,
      where: `README.md:${readme.slice(0, m.index).split('\n').length}`,
    }));
    expect(spans.flatMap((s) => checkMentions(s, tree))).toEqual([]);
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
