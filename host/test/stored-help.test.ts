/**
 * Help and the version from the texts stored at build time (host/src/cli/stored-help.ts): every
 * stored text is what the live command tree prints, every command line has one, the compiled
 * CLI prints them loading nothing else, and the live help answers whenever a stored text could
 * be wrong (texts older than the build, options before `--help`).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderStoredHelp, subcommandPaths } from '../src/cli/help-render.js';
import { createProgram } from '../src/cli/program.js';
import { storedHelpKey, storedHelpText, type StoredHelp, type StoredHelpContext } from '../src/cli/stored-help.js';

const root = resolve(import.meta.dirname, '../..');
const main = join(root, 'dist/cli/main.js');
const recorder = join(import.meta.dirname, 'load-recorder.mjs');
const stored = JSON.parse(readFileSync(join(root, 'dist/cli/help.json'), 'utf8')) as StoredHelp;
const tmp = mkdtempSync(join(tmpdir(), 'esp-sse-help-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The compiled CLI with `args`; its stdout, exit code and the file: URLs it loaded. */
function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const log = join(tmp, `loads-${args.join('_')}-${Object.keys(env).join('_')}.txt`);
  const r = spawnSync(process.execPath, ['--import', recorder, main, ...args], {
    cwd: root, encoding: 'utf8', env: { ...process.env, ESP_SSE_LIVE_HELP: '', ...env, ESP_SSE_LOAD_LOG: log },
  });
  const loaded = readFileSync(log, 'utf8').split('\n').filter((u) => u.startsWith('file:'));
  return { stdout: r.stdout, code: r.status, loaded };
}

describe('the stored help texts', () => {
  it('are, for every command line and the version, exactly what the live command tree prints', async () => {
    const live = await renderStoredHelp();
    expect(Object.keys(stored.texts).sort()).toEqual(Object.keys(live.texts).sort());
    for (const [key, text] of Object.entries(live.texts)) expect(stored.texts[key], key).toBe(text);
    const keys = [[], ...subcommandPaths(await createProgram())].map((p) => [...p, '--help'].join(' '));
    expect(keys).toContain('fs build --help');
    for (const key of keys) expect(stored.texts[key], key).toMatch(/^Usage: esp-sse/);
  });

  it('are printed by the compiled CLI with exit 0, loading only the stored-help modules', () => {
    for (const args of [['fs', 'build', '--help'], ['flash', '-h'], ['--help'], ['-V']]) {
      const r = cli(args);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(stored.texts[storedHelpKey(args)!]);
      expect(r.loaded.map((u) => u.slice(u.lastIndexOf('/dist/') + 1)).sort()).toEqual(['dist/cli/help-width.js', 'dist/cli/main.js', 'dist/cli/stored-help.js']);
    }
  });

  it('say the same as the live help (ESP_SSE_LIVE_HELP=1), which loads commander', () => {
    const live = cli(['erase', '--help'], { ESP_SSE_LIVE_HELP: '1' });
    expect(live.code).toBe(0);
    expect(live.stdout).toBe(stored.texts['erase --help']);
    expect(live.loaded.some((u) => u.includes('/node_modules/commander/'))).toBe(true);
  });
});

describe('when the live help answers instead', () => {
  const store = join(tmp, 'help.json');
  const buildInfo = join(tmp, '.tsbuildinfo');
  writeFileSync(store, JSON.stringify({ width: 80, texts: { 'flash --help': 'FLASH\n', '--version': '9\n' } }));
  const ctx = (over: Partial<StoredHelpContext> = {}): StoredHelpContext => ({ env: {}, store, buildInfo, ...over });

  it('only plain help and version requests are stored ones', () => {
    expect(storedHelpKey(['flash', '--help'])).toBe('flash --help');
    expect(storedHelpKey(['fs', 'build', '-h'])).toBe('fs build --help');
    expect(storedHelpKey(['-V'])).toBe('--version');
    expect(storedHelpKey(['flash', '--port', '/dev/ttyUSB0', '--help'])).toBeUndefined();
    expect(storedHelpKey(['flash', '0x1000', 'a.bin', '--help'])).toBeUndefined();
    expect(storedHelpKey(['flash', '--version'])).toBeUndefined();
    expect(storedHelpKey([])).toBeUndefined();
  });

  it('every help is 80 columns wide, whatever the terminal (so the stored texts hold in any)', () => {
    // The live help in a 200-column pseudo-terminal (util-linux script) wraps as the stored one.
    const r = spawnSync('script', ['-qec', `stty cols 200 && ESP_SSE_LIVE_HELP=1 ${process.execPath} ${main} flash --help`, '/dev/null'], { cwd: root, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout.replace(/\r\n/g, '\n')).toBe(stored.texts['flash --help']);
  });

  it('texts older than the last build, a missing or broken store, or ESP_SSE_LIVE_HELP=1: live', () => {
    expect(storedHelpText(['flash', '--help'], ctx())).toBe('FLASH\n'); // no build info: a package
    writeFileSync(buildInfo, '');
    const now = Date.now() / 1000;
    utimesSync(store, now - 10, now - 10);
    utimesSync(buildInfo, now, now);
    expect(storedHelpText(['flash', '--help'], ctx())).toBeUndefined();
    utimesSync(store, now + 1, now + 1);
    expect(storedHelpText(['flash', '--help'], ctx())).toBe('FLASH\n');
    expect(storedHelpText(['flash', '--help'], ctx({ env: { ESP_SSE_LIVE_HELP: '1' } }))).toBeUndefined();
    expect(storedHelpText(['erase', '--help'], ctx())).toBeUndefined();
    expect(storedHelpText(['flash', '--help'], ctx({ store: join(tmp, 'none.json') }))).toBeUndefined();
    writeFileSync(join(tmp, 'bad.json'), '{');
    expect(storedHelpText(['flash', '--help'], ctx({ store: join(tmp, 'bad.json') }))).toBeUndefined();
  });
});
