/**
 * `esp-sse monitor` as CI runs it (stdin not a terminal): the compiled CLI against the
 * emulator's serial ports (`esp-sse emulate --rfc2217-port/--socket-port/--pty`), and against
 * a plain TCP "board" for panic output. Boot log after `--reset`, `--until`/`--timeout` exit
 * codes, `--log`/`--timestamps`, reconnecting when the emulator's port drops and comes back,
 * `--no-reconnect`, and backtrace decoding with addr2line.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { crashElf } from '../src/monitor/testing.js';
import { appBootLines, cliEnv, cliMain, esp, Proc, sseReconnect, startEmulatorCli, type EmulatorProc } from './monitor-helpers.js';

const stamp = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} /;

const dirs: string[] = [];
const tmp = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'esp-sse-monitor-'));
  dirs.push(d);
  return d;
};
const started: EmulatorProc[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((e) => e.proc.stop('SIGKILL')));
});
afterAll(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

async function emulator(args: string[]): Promise<EmulatorProc> {
  const e = await startEmulatorCli(args);
  started.push(e);
  return e;
}

describe('monitor in pipe mode against the emulator', () => {
  it('--reset shows the whole boot log and --until ends it with exit 0', async () => {
    const emu = await emulator(['--rfc2217-port', '0']);
    const r = await esp(['monitor', '-p', emu.port('rfc2217'), '--reset', '--until', 'HTTP server started', '--timeout', '60s']).result();
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    expect(r.stdout).not.toContain('\r');
    expect(lines).toContain('rst:0x1 (POWERON_RESET),boot:0x13 (SPI_FAST_FLASH_BOOT)');
    // The app's lines, in order, ending at the match; nothing after it.
    expect(lines.slice(-appBootLines.length - 1)).toEqual([...appBootLines, '']);
    expect(r.stderr).toContain(`--- esp-sse monitor on ${emu.port('rfc2217')} at 115200 baud`);
  });

  it('--timestamps prefixes lines and --log writes them time-stamped to the file (no .partial left)', async () => {
    const emu = await emulator(['--rfc2217-port', '0']);
    const log = join(tmp(), 'logs', 'board.log');
    const r = await esp(['monitor', '-p', emu.port('rfc2217'), '--reset', '--timestamps', '--log', log, '--until', 'HTTP server started']).result();
    expect(r.code, r.stderr).toBe(0);
    const shown = r.stdout.trimEnd().split('\n');
    expect(shown.every((l) => stamp.test(l)), r.stdout).toBe(true);
    expect(shown.slice(-appBootLines.length).map((l) => l.replace(stamp, ''))).toEqual(appBootLines);
    const logged = readFileSync(log, 'utf8').trimEnd().split('\n');
    expect(logged.every((l) => stamp.test(l))).toBe(true);
    expect(logged.slice(-appBootLines.length).map((l) => l.replace(stamp, ''))).toEqual(appBootLines);
    expect(existsSync(`${log}.partial`)).toBe(false);
  });

  it('--timeout exits 1 with monitor.timeout when --until never matches', async () => {
    const emu = await emulator(['--socket-port', '0']);
    const r = await esp(['monitor', '-p', emu.port('socket'), '--until', 'this never appears', '--timeout', '1500']).result();
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error[monitor.timeout]: no line matched /this never appears/ within 1500 ms');
  });

  it('reconnects when the emulator\'s port drops and comes back (same pty path), then sees the board\'s lines', async () => {
    const pty = join(tmp(), 'ttyESP');
    const first = await emulator(['--pty', pty]);
    const mon = esp(['monitor', '-p', pty, '--until', 'Last message ID that it got is: 41', '--timeout', '120s']);
    await mon.waitFor('the banner', (p) => p.stderr.includes(`--- esp-sse monitor on ${pty}`));
    await first.proc.stop('SIGINT');
    await mon.waitFor('the lost-port notice', (p) => p.stderr.includes(`--- ${pty} lost`));
    const second = await emulator(['--pty', pty]);
    await mon.waitFor('the reconnect notice', (p) => p.stderr.includes(`--- reconnected to ${pty}`));
    expect(await sseReconnect(second.httpUrl, 41)).toBe(200);
    const r = await mon.result();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('Client reconnected! Last message ID that it got is: 41');
  }, 180_000);

  it('--no-reconnect exits 5 with monitor.port-lost when the port drops', async () => {
    const emu = await emulator(['--socket-port', '0']);
    const mon = esp(['monitor', '-p', emu.port('socket'), '--no-reconnect']);
    await mon.waitFor('the banner', (p) => p.stderr.includes('--- esp-sse monitor on'));
    await emu.proc.stop('SIGINT');
    const r = await mon.result();
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('error[monitor.port-lost]');
  });

  it('exits 141, never the "matched" 0, when its reader goes away (esp-sse monitor --until X | head -1)', async () => {
    const emu = await emulator(['--rfc2217-port', '0']);
    // A real shell pipeline: head takes the first boot line and exits; the monitor's next write finds the pipe closed.
    const args = ['monitor', '-p', emu.port('rfc2217'), '--reset', '--until', 'HTTP server started', '--timeout', '120s'];
    const script = `"$0" "$@" | head -1; echo "monitor exit \${PIPESTATUS[0]}" >&2`;
    const sh = new Proc(spawn('bash', ['-c', script, process.execPath, cliMain, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: cliEnv() }), 'monitor | head -1');
    const r = await sh.result();
    expect(r.stdout.split('\n').filter((l) => l !== '')).toHaveLength(1);
    expect(r.stderr).toContain('monitor exit 141');
    expect(r.stderr).toContain('error[monitor.stdout-closed]');
    expect(r.stderr).not.toContain('internal error');
  }, 180_000);

  it('a port that cannot be opened is monitor.port-open, exit 3; bad flags are exit 2 before anything opens', async () => {
    const dir = tmp();
    const r = await esp(['monitor', '-p', join(dir, 'no-such-tty')]).result();
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('error[monitor.port-open]');
    expect(r.stderr).toContain('hint:');
    const bad = await esp(['monitor', '-p', join(dir, 'no-such-tty'), '--until', '(']).result();
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('error[monitor.bad-regex]');
  });

  it('baud comes from monitor_speed in platformio.ini unless --baud is given', async () => {
    const emu = await emulator(['--socket-port', '0']);
    const project = tmp();
    writeFileSync(join(project, 'platformio.ini'), '[env:esp32dev]\nplatform = espressif32\nboard = esp32dev\nmonitor_speed = 74880\n');
    const fromIni = await esp(['monitor', '-p', emu.port('socket'), '--project', project, '--timeout', '200']).result();
    expect(fromIni.stderr).toContain('at 74880 baud');
    const fromFlag = await esp(['monitor', '-p', emu.port('socket'), '--project', project, '--baud', '9600', '--timeout', '200']).result();
    expect(fromFlag.stderr).toContain('at 9600 baud');
  });
});

describe('monitor and panics', () => {
  let server: Server;
  let port = 0;
  let payload = '';
  beforeAll(async () => {
    server = createServer((s) => s.end(payload));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('decodes the Backtrace line with --elf and --addr2line; without --elf the lines pass through untouched', async () => {
    const dir = tmp();
    const { elf, addr } = crashElf(dir);
    const panic = "Guru Meditation Error: Core  1 panic'ed (LoadProhibited). Exception was unhandled.";
    const bt = `Backtrace: 0x${addr}:0x3ffb1f50 0x00000000:0x00000000`;
    payload = `${panic}\r\n${bt}\r\nRebooting...\r\n`;

    const decoded = await esp(['monitor', '-p', `socket://127.0.0.1:${port}`, '--elf', elf, '--addr2line', 'addr2line', '--no-reconnect']).result();
    const lines = decoded.stdout.split('\n');
    expect(lines.slice(0, 2)).toEqual([panic, bt]);
    expect(lines[2]).toMatch(new RegExp(`#0 0x0*${addr.replace(/^0+/, '')} in crash_here at .*crash\\.c:1`));
    expect(decoded.stdout).toContain('Rebooting...\n');

    const raw = await esp(['monitor', '-p', `socket://127.0.0.1:${port}`, '--no-reconnect']).result();
    expect(raw.stdout).toBe(`${panic}\n${bt}\nRebooting...\n`);

    const missing = await esp(['monitor', '-p', `socket://127.0.0.1:${port}`, '--elf', join(dir, 'nope.elf')]).result();
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('error[monitor.elf-missing]');
  });

  it('an ELF file SHA256 line of another build: the checksum warning under it, even without the toolchain', async () => {
    const dir = tmp();
    const elf = join(dir, 'firmware.elf');
    writeFileSync(elf, 'built here');
    const sha = createHash('sha256').update('built here').digest('hex');
    payload = 'abort() was called at PC 0x400d2305 on core 1\r\n\r\nELF file SHA256: cc58cc88d58e4143\r\n\r\nRebooting...\r\n';
    const r = await esp(['monitor', '-p', `socket://127.0.0.1:${port}`, '--elf', elf, '--no-reconnect']).result();
    expect(r.stdout).toBe('abort() was called at PC 0x400d2305 on core 1\n\nELF file SHA256: cc58cc88d58e4143\n'
      + `--- Warning: Checksum mismatch between flashed and built applications. Checksum of built application is ${sha}\n\nRebooting...\n`);
    payload = `ELF file SHA256: ${sha.slice(0, 16)}\r\n`;
    const same = await esp(['monitor', '-p', `socket://127.0.0.1:${port}`, '--elf', elf, '--no-reconnect']).result();
    expect(same.stdout).toBe(`ELF file SHA256: ${sha.slice(0, 16)}\n`);
  });

  it('--decode decodes a log saved with --log, after the fact, without a port', async () => {
    const dir = tmp();
    const { elf, addr } = crashElf(dir);
    const bt = `Backtrace: 0x${addr}:0x3ffb1f50`;
    payload = `Guru Meditation Error: Core  1 panic'ed (LoadProhibited)\r\n${bt}\r\n`;
    const log = join(dir, 'board.log');
    const saved = await esp(['monitor', '-p', `socket://127.0.0.1:${port}`, '--log', log, '--no-reconnect']).result();
    expect(saved.code).toBe(5); // the TCP "board" hung up after sending its panic
    const r = await esp(['monitor', '--decode', log, '--elf', elf, '--addr2line', 'addr2line']).result();
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[1]).toMatch(new RegExp(`^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} ${bt}$`));
    expect(lines[2]).toMatch(new RegExp(`^  #0 0x0*${addr.replace(/^0+/, '')} in crash_here at .*crash\\.c:1$`));
    const noElf = await esp(['monitor', '--decode', log, '--project', dir]).result();
    expect(noElf.code).toBe(2);
    expect(noElf.stderr).toContain('error[monitor.elf-missing]');
  });
});
