/**
 * Usage errors commander finds exit 2, as docs/cli.md documents, printed as `error[cli.…]`
 * with a hint naming the failing command's `--help`: the program is built and run in-process.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createProgram } from './program.js';
import { runCli } from './run.js';

async function run(...args: string[]): Promise<{ code: number; stderr: string; stdout: string }> {
  let stderr = '';
  let stdout = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => { stderr += String(s); return true; });
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => { stdout += String(s); return true; });
  try {
    await runCli(await createProgram(), ['node', 'esp-sse', ...args]);
    return { code: Number(process.exitCode ?? 0), stderr, stdout };
  } finally {
    vi.restoreAllMocks();
    process.exitCode = undefined;
  }
}

afterEach(() => {
  process.exitCode = undefined;
});

describe('usage errors exit 2', () => {
  it.each([
    ['an unknown option of a command', ['erase', '--bogus'], 'cli.unknown-option', "unknown option '--bogus'", 'esp-sse erase --help'],
    ['an unknown option of the program', ['--bogus'], 'cli.unknown-option', "unknown option '--bogus'", 'esp-sse --help'],
    ['a missing argument', ['fs', 'extract'], 'cli.missing-argument', "missing required argument 'image'", 'esp-sse fs extract --help'],
    ['an option without its value', ['partitions', '--out'], 'cli.option-missing-argument', "option '--out <file>' argument missing", 'esp-sse partitions --help'],
    ['an unknown command', ['frobnicate'], 'cli.unknown-command', "unknown command 'frobnicate'", 'esp-sse --help lists its commands'],
    ['an unknown subcommand', ['fs', 'frob'], 'cli.unknown-command', "unknown command 'frob'", 'esp-sse fs --help lists its commands'],
    ['too many arguments', ['erase', '0x0', '0x1000', '0x2000'], 'cli.excess-arguments', "too many arguments for 'erase'", 'esp-sse erase --help'],
    ['a value outside the choices', ['erase', '--before', 'sometimes'], 'cli.invalid-argument', "option '--before <mode>' argument 'sometimes' is invalid", 'esp-sse erase --help'],
  ])('%s', async (_what, args, code, message, hint) => {
    const r = await run(...args);
    expect(r.code).toBe(2);
    const [first, second] = r.stderr.split('\n');
    expect(first).toMatch(new RegExp(`^error\\[${code.replace('.', '\\.')}\\]: `));
    expect(first).toContain(message);
    expect(second).toMatch(/^ {2}hint: /);
    expect(second).toContain(hint);
  });

  it('keeps commander\'s suggestion in the hint', async () => {
    const r = await run('flash', '--forse');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("error[cli.unknown-option]: unknown option '--forse'\n  hint: Did you mean --force? (esp-sse flash --help lists its arguments and options)\n");
  });

  it('a command with subcommands but none given shows its help and exits 2', async () => {
    const r = await run('fs');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Usage: esp-sse fs');
  });

  it('a bad value a command checks itself stays its own UserError, exit 2', async () => {
    const r = await run('emulate', '--http-port', 'eighty');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error\[emulate\.bad-integer\]/);
  });

  it('--help and --version exit 0', async () => {
    expect((await run('--help')).code).toBe(0);
    expect((await run('erase', '--help')).code).toBe(0);
    const v = await run('--version');
    expect(v.code).toBe(0);
    expect(v.stdout).toBe('0.1.0\n');
  });
});
