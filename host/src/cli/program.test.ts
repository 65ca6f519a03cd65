/**
 * The command tree a run builds is the whole tree, cut to what the command line needs: the root
 * help prints every command's line from program.ts's table without loading a command module,
 * and a command's own tree is the one the whole program registers.
 */
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { createProgram } from './program.js';

const full = await createProgram();
const names = full.commands.map((c) => c.name());

describe('createProgram', () => {
  it('prints the same root help from its table as from every command module', async () => {
    for (const args of [[], ['--help'], ['-h'], ['--version'], ['-V']]) {
      expect((await createProgram(args)).helpInformation(), args.join(' ')).toBe(full.helpInformation());
    }
  });

  it('registers only the command the arguments name, as the whole tree does', async () => {
    expect(names).toContain('emulate');
    const helps = (cmd: Command): string[] => [cmd.helpInformation(), ...cmd.commands.flatMap(helps)];
    for (const name of names) {
      const program = await createProgram([name, '--help']);
      expect(program.commands.map((c) => c.name())).toEqual([name]);
      expect(helps(program.commands[0]!)).toEqual(helps(full.commands.find((c) => c.name() === name)!));
    }
  });

  it('registers every command for anything else (help, a mistyped command)', async () => {
    for (const args of [['help', 'flash'], ['flsh'], ['--help', 'flash']]) {
      expect((await createProgram(args)).commands.map((c) => c.name()), args.join(' ')).toEqual(names);
    }
  });
});
