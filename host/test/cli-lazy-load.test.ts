/**
 * What the compiled CLI loads (issue 13): `esp-sse --help`, `--version` and every
 * `esp-sse <command> --help` load commander and that command's own module, never esptool-js,
 * serialport, the emulator or another command's module; a command's run loads what it runs.
 * Each process runs with a loader hook that records every module it loads (load-recorder.mjs).
 * How much CPU that saves is host/bench/cli-help.ts's to say.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { subcommandPaths } from '../src/cli/help-render.js';
import { createProgram } from '../src/cli/program.js';

const root = resolve(import.meta.dirname, '../..');
const main = join(root, 'dist/cli/main.js');
const recorder = join(import.meta.dirname, 'load-recorder.mjs');
const logs = mkdtempSync(join(tmpdir(), 'esp-sse-loads-'));
afterAll(() => rmSync(logs, { recursive: true, force: true }));

/**
 * What no help may load: the flasher's esptool-js, serial ports, the progress bars, mDNS, the
 * emulator, transports (port listing included), the monitor, the suite (hil's help needs only the
 * profile names), and each command's run module (`flash-run`, `ports-run`, `hil-run`, …).
 */
const heavy: Array<[string, RegExp]> = [
  ['esptool-js', /\/node_modules\/esptool-js\//],
  ['serialport', /\/node_modules\/(serialport|@serialport\/[^/]+)\//],
  ['cli-progress', /\/node_modules\/cli-progress\//],
  ['multicast-dns', /\/node_modules\/multicast-dns\//],
  ['the emulator', /\/dist\/emulator\//],
  ['a transport', /\/dist\/transport\//],
  ['discovery', /\/dist\/discovery\//],
  ['the flasher jobs', /\/dist\/flasher\/jobs\.js$/],
  ['the board contract', /\/dist\/contract\//],
  ['the monitor (addr2line lookup, session)', /\/dist\/monitor\//],
  ['the hil suite', /\/dist\/hil\/(?!expected-wire\.js$)/],
  ["a command's run module", /\/dist\/cli\/[\w-]+-run\.js$/],
  ['the monitor session checks', /\/dist\/cli\/monitor-session-flags\.js$/],
];

const tree = await createProgram();
const commandNames = tree.commands.map((c) => c.name());

let runs = 0;
/** Runs the compiled CLI with `args`; the file: URLs it loaded and its exit code. */
async function loads(args: string[]): Promise<{ urls: string[]; code: number | null; stderr: string }> {
  const log = join(logs, `${runs++}.txt`);
  const child = spawn(process.execPath, ['--import', recorder, main, ...args], {
    // The live help (commander and the command tree): what a terminal narrower than the stored
    // texts gets; the stored texts load less still (stored-help.test.ts).
    cwd: root, env: { ...process.env, ESP_SSE_LOAD_LOG: log, ESP_SSE_LIVE_HELP: '1' }, stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
  const code = await new Promise<number | null>((res) => child.on('close', res));
  const urls = [...new Set(readFileSync(log, 'utf8').split('\n').filter((u) => u.startsWith('file:')))];
  return { urls, code, stderr };
}

const loadedHeavy = (urls: string[]): string[] => heavy.filter(([, re]) => urls.some((u) => re.test(u))).map(([name]) => name);
/** The command modules (dist/cli/<command>.js) among `urls`. */
const commandModules = (urls: string[]): string[] =>
  commandNames.filter((name) => urls.some((u) => u.endsWith(`/dist/cli/${name}.js`)));

describe('esp-sse --help', () => {
  it.each([['--help'], ['--version'], []])('esp-sse %s loads no command module', async (...args: string[]) => {
    const r = await loads(args);
    expect(r.urls.some((u) => u.endsWith('/node_modules/commander/lib/command.js'))).toBe(true);
    expect(loadedHeavy(r.urls)).toEqual([]);
    expect(commandModules(r.urls)).toEqual([]);
  });

  it.each(subcommandPaths(tree).map((p) => [p.join(' ')]))('esp-sse %s --help loads its own module and nothing heavy', async (path) => {
    const words = path.split(' ');
    const r = await loads([...words, '--help']);
    expect(r.code, r.stderr).toBe(0);
    expect(loadedHeavy(r.urls)).toEqual([]);
    expect(commandModules(r.urls)).toEqual([words[0]]);
  });
});

describe('the library', () => {
  it('importing the transports loads no serialport (it loads on the first open of a serial device)', async () => {
    const log = join(logs, 'transport-index.txt');
    const child = spawn(process.execPath, ['--import', recorder, '--input-type=module', '-e', `await import(${JSON.stringify(join(root, 'dist/transport/index.js'))})`], {
      cwd: root, env: { ...process.env, ESP_SSE_LOAD_LOG: log }, stdio: ['ignore', 'ignore', 'inherit'],
    });
    expect(await new Promise((res) => child.on('close', res))).toBe(0);
    const urls = readFileSync(log, 'utf8').split('\n');
    expect(urls.some((u) => u.endsWith('/dist/transport/ports.js'))).toBe(true);
    expect(loadedHeavy(urls)).toEqual(['a transport']);
  });
});

describe('a command run', () => {
  it('loads what it runs: info loads esptool-js (the recorder sees what help does not load)', async () => {
    // A port nothing listens on: the connection fails at once, after the flasher has loaded.
    const server = createServer();
    await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
    const port = (server.address() as { port: number }).port;
    await new Promise((res) => server.close(res));
    const r = await loads(['info', '--port', `socket://127.0.0.1:${port}`, '--connect-attempts', '1']);
    expect(r.code, r.stderr).toBe(3);
    expect(loadedHeavy(r.urls)).toContain('esptool-js');
    expect(commandModules(r.urls)).toEqual(['info']);
  });
});
