/**
 * `esp-sse hil` as CI runs it: the compiled CLI (`dist/cli/main.js`, built by `npm test`) in a
 * subprocess. Against `--emulator` every check passes (serial ones over the emulator's RFC 2217
 * port), the JUnit file is written and the exit code is 0; against a server that differs from
 * the firmware it exits non-zero naming the failed checks; a serial port that cannot be opened
 * makes the serial checks "not run", never passed.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../src/emulator/index.js';
import { startWrongServer, type WrongServer } from './hil-wrong-server.js';
import { startEmulatorCli } from './monitor-helpers.js';

const main = resolve(import.meta.dirname, '../../dist/cli/main.js');

function hil(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((res) => {
    execFile(process.execPath, [main, 'hil', ...args], { timeout: 120_000, env: { ...process.env, NO_COLOR: '1' } }, (err, stdout, stderr) => {
      res({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
  });
}

/**
 * A serial port that cannot be opened: TCP port 1 on loopback, where nothing listens (as the dead
 * URLs below). A port freed by a test server could be taken by a parallel test before hil tries it.
 */
const closedPort = 'socket://127.0.0.1:1';

beforeAll(() => {
  if (!existsSync(main)) throw new Error(`${main} is missing: run \`npm run build\` first (npm test does)`);
});

let wrong: WrongServer | undefined;
let emulator: RunningEmulator | undefined;
afterEach(async () => {
  await wrong?.close();
  await emulator?.close();
  wrong = emulator = undefined;
});

describe('esp-sse hil', () => {
  it('--url and --port against a default `esp-sse emulate`: every check passes, the mDNS boot line included', async () => {
    // The emulator runs the firmware's own sketch, which always starts mDNS and says so,
    // whether or not the emulator advertises (it does not on loopback).
    const emu = await startEmulatorCli(['--rfc2217-port', '0', '--quiet']);
    try {
      const r = await hil(['--url', emu.httpUrl, '--port', emu.port('rfc2217'), '--window', '1500ms']);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(r.stdout).toContain('PASS    serial.boot-lines');
    } finally {
      await emu.proc.stop('SIGINT');
    }
  }, 120_000);

  it('--emulator: every check passes, serial ones included; JUnit written; exit 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hil-cli-'));
    const junit = join(dir, 'reports', 'hil.xml');
    const r = await hil(['--emulator', '--window', '1500', '--junit', junit]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/16 passed, 0 failed, 0 not run of 16: all passed/);
    expect(r.stdout).toContain('PASS    serial.boot-lines');
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toContain('tests="16" failures="0" errors="0" skipped="0"');
    expect(xml.match(/<testcase /g)).toHaveLength(16);
    expect(xml).toContain('name="sse.reset-fanout"');
    expect(readdirSync(join(dir, 'reports'))).toEqual(['hil.xml']); // no temp file left behind
  }, 120_000);

  it('--url against a server that differs from the firmware: exit 1, failures named in JSON and JUnit', async () => {
    wrong = await startWrongServer(['header-order', 'retry']);
    const junit = join(mkdtempSync(join(tmpdir(), 'hil-cli-')), 'hil.xml');
    const r = await hil(['--url', wrong.url, '--window', '1000', '--json', '--junit', junit]);
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(r.stdout) as { ok: boolean; failed: number; results: Array<{ id: string; status: string }> };
    expect(report.ok).toBe(false);
    expect(report.results.filter((x) => x.status === 'failed').map((x) => x.id)).toEqual(['sse.head', 'sse.hello-bytes', 'sse.last-event-id']);
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toContain(`failures="3"`);
    expect(xml).toMatch(/name="sse.head"[^>]*>\s*<failure/);
  }, 120_000);

  it('--port that cannot be opened: the HTTP checks run, the serial ones are "not run", exit 1', async () => {
    emulator = await startEmulator({ httpPort: 0 });
    const port = closedPort;
    const r = await hil(['--url', emulator.url, '--port', port, '--window', '1000', '--json']);
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(r.stdout) as { passed: number; notRun: number; results: Array<{ id: string; status: string; message?: string }> };
    const serial = report.results.filter((x) => x.id.startsWith('serial.'));
    expect(serial.map((x) => x.status)).toEqual(['not-run', 'not-run', 'not-run']);
    expect(serial[0]?.message).toContain(`cannot open ${port}`);
    expect(report.results.filter((x) => x.id.startsWith('http.') || x.id.startsWith('sse.')).every((x) => x.status === 'passed')).toBe(true);
  }, 120_000);

  it('bad usage is a coded error with a hint and exit 2', async () => {
    const cases: Array<[string[], string]> = [
      [[], 'hil.no-target'],
      [['--url', 'http://127.0.0.1:1/', '--emulator'], 'hil.many-targets'],
      [['--emulator', '--port', '/dev/ttyUSB0'], 'hil.emulator-port'],
      [['--url', 'not a url'], 'hil.bad-url'],
      [['--url', 'http://127.0.0.1:1/', '--name', 'x'], 'hil.discover-only'],
      [['--url', 'http://127.0.0.1:1/', '--profile', 'esp32async-9'], 'hil.unknown-profile'],
      [['--url', 'http://127.0.0.1:1/', '--window', '-5'], 'hil.bad-duration'],
      [['--url', 'http://127.0.0.1:1/', '--port', 'ftp://x:1'], 'port.unknown-scheme'],
    ];
    for (const [args, code] of cases) {
      const r = await hil(args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toContain(`error[${code}]`);
      expect(r.stderr).toContain('hint:');
    }
  }, 120_000);
});
