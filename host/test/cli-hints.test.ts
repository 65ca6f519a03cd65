/**
 * Hints name only commands and options that exist: every hint in host/src (read from the
 * sources, see cli-mentions.ts) and every help text is parsed for `esp-sse <command> --option`
 * and `--option` mentions, which are checked against the command tree the CLI really builds.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { createProgram } from '../src/cli/program.js';
import { checkMentions, collectHints, commandTree, sourceFiles, type Text } from './cli-mentions.js';

const root = resolve(import.meta.dirname, '../..');
const program = await createProgram();
const tree = commandTree(program);

describe('hints', () => {
  const hints = collectHints(sourceFiles(resolve(root, 'host/src')), root);

  it('are found in the sources (the extractor still sees them)', () => {
    expect(hints.length).toBeGreaterThan(150);
    expect(hints.some((h) => h.where.startsWith('host/src/flasher/operations.ts') && h.text.includes('esp-sse erase 0x290000 0x160000'))).toBe(true);
  });

  it('name only commands and options that exist', () => {
    expect(hints.flatMap((h) => checkMentions(h, tree))).toEqual([]);
  });
});

describe('help texts', () => {
  /** Each command's description and its options' descriptions, with the command they belong to. */
  const helpTexts = (cmd: Command, path: string): Array<Text & { path: string }> => [
    { text: cmd.description(), where: `${path || 'esp-sse'} (description)`, path },
    ...cmd.options.map((o) => ({ text: o.description, where: `${path || 'esp-sse'} ${o.flags}`, path })),
    ...cmd.commands.flatMap((c) => helpTexts(c, path === '' ? c.name() : `${path} ${c.name()}`)),
  ];

  it('mention only options of their own command, and commands that exist', () => {
    const bad = helpTexts(program, '').flatMap((t) => checkMentions(t, tree, t.path));
    expect(bad).toEqual([]);
  });
});

describe('checkMentions', () => {
  const check = (text: string, scope?: string) => checkMentions({ text, where: 'test' }, tree, scope).map((b) => b.problem);

  it('finds options a command does not have, with or without the esp-sse prefix', () => {
    expect(check('e.g. erase --region 0x290000 0x160000')).toEqual(['esp-sse erase has no --region']);
    expect(check('run esp-sse erase 0x0 0x1000 --region x')).toEqual(['esp-sse erase has no --region']);
    expect(check('esp-sse fs build --json --nope')).toEqual(['esp-sse fs build has no --nope']);
  });

  it('finds commands that do not exist', () => {
    expect(check('run esp-sse flsh --port X first')).toEqual(['esp-sse flsh: no such command']);
    expect(check('a virtual esp-sse board')).toEqual([]);
    expect(check('esp-sse fs pack DIR')).toEqual(['esp-sse fs pack: no such command']);
  });

  it('accepts what exists, and other tools\' options', () => {
    expect(check('esp-sse monitor -p PORT --until X, or pass --addr2line PATH')).toEqual([]);
    expect(check('uploadfs --partition spiffs')).toEqual([]);
    expect(check('run esptool.py --chip esp32 flash_id')).toEqual([]);
    expect(check('no command has --frobnicate')).toEqual(['no command has --frobnicate']);
    expect(check('with --discover: how long', 'hil')).toEqual([]);
    expect(check('with --discover: how long', 'flash')).toEqual(['esp-sse flash has no --discover']);
  });
});
