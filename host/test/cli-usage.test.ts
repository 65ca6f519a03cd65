/**
 * The built CLI (`dist/cli/main.js`) as a user meets it: usage errors commander finds exit 2
 * with `error[cli.…]` (the process's exit code, not only runCli's), and duration options that
 * take units and refuse a bare number that was likely meant as seconds.
 */
import { describe, expect, it } from 'vitest';
import { esp } from './monitor-helpers.js';

describe('usage errors of the built CLI', () => {
  it.each([
    [['erase', '--bogus'], 'cli.unknown-option'],
    [['monitor', '--timeout'], 'cli.option-missing-argument'],
    [['fs', 'extract'], 'cli.missing-argument'],
    [['frobnicate'], 'cli.unknown-command'],
  ])('esp-sse %j exits 2', async (args, code) => {
    const r = await esp(args).result();
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^error\\[${code.replace('.', '\\.')}\\]: .*\\n  hint: .*--help`));
    expect(r.stdout).toBe('');
  });
});

describe('duration options', () => {
  it('monitor --timeout takes a unit (1s is 1000 ms) and refuses a bare 15', async () => {
    // A port that never opens: the wait ends at --timeout, which the message quotes in ms.
    const r = await esp(['monitor', '-p', 'socket://127.0.0.1:1', '--open-port-attempts', '0', '--timeout', '1s']).result();
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toContain('did not open within --timeout 1000 ms');
    const bare = await esp(['monitor', '-p', 'socket://127.0.0.1:1', '--timeout', '15']).result();
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain('error[monitor.bad-timeout]');
    expect(bare.stderr).toContain('hint: write the unit: --timeout 15s');
  });

  it('hil refuses a bare --window 5 and --timeout 30 before touching the target, and takes 2s', async () => {
    for (const args of [['--window', '5'], ['--timeout', '30'], ['--boot-timeout', '60']]) {
      const r = await esp(['hil', '--url', 'http://127.0.0.1:1/', ...args]).result();
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain('error[hil.bad-duration]');
      expect(r.stderr).toContain(`hint: write the unit: ${args[0]} ${args[1]}s`);
    }
    // Units accepted: the suite runs (and fails: nothing listens on port 1), exit 1, not 2.
    const ok = await esp(['hil', '--url', 'http://127.0.0.1:1/', '--window', '2s', '--timeout', '500ms', '--json']).result();
    expect(ok.code, ok.stderr).toBe(1);
    expect(ok.stderr).not.toContain('bad-duration');
  });

  it('says in --help that a bare number is milliseconds', async () => {
    for (const cmd of ['monitor', 'discover', 'hil']) {
      const r = await esp([cmd, '--help']).result();
      expect(r.stdout.replace(/\s+/g, ' ')).toContain('a bare number is milliseconds, at least 100');
    }
  });
});
