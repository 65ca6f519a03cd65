/**
 * A running `esp-sse monitor` hands its port to an esp-sse flasher command and takes it back:
 * the compiled CLI as separate processes against `esp-sse emulate`, over the emulator's
 * pseudo-terminal (a device path the monitor holds exclusively, as a USB adapter) and over
 * RFC 2217. A pty has no DTR/RTS, so there the board is reset as a user would press EN: through
 * the emulator's RFC 2217 port; over RFC 2217 the monitor does the flasher's hard reset itself
 * once it has the port back, and shows the boot from its first line. Every wait is for output.
 * Each test has its own XDG_RUNTIME_DIR, where the handover sockets live.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SerialPort } from 'serialport';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { serial } from '../src/contract/board.js';
import { emulatorAppImage, emulatorBootloaderImage } from '../src/emulator/boot/default-images.js';
import { playReset, resetSequences } from '../src/monitor/reset.js';
import { createTransport } from '../src/transport/open-port.js';
import { makeProject, type Project } from './flash-helpers.js';
import { appBootLines, esp, startEmulatorCli, type EmulatorProc, type Proc } from './monitor-helpers.js';

const dirs: string[] = [];
const tmp = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'esp-sse-handover-'));
  dirs.push(d);
  return d;
};
const started: Array<EmulatorProc | Proc> = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((p) => {
    const proc = 'proc' in p ? p.proc : p;
    if (proc.running && proc.child.pid) process.kill(proc.child.pid, 'SIGCONT');
    return proc.stop('SIGKILL');
  }));
});
afterAll(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

async function emulator(args: string[]): Promise<EmulatorProc> {
  const e = await startEmulatorCli([...args, '--quiet']);
  started.push(e);
  return e;
}

/** A pty board powered up in the ROM loader (flashable without reset lines), with an RFC 2217 port for its EN button. */
async function ptyBoard(): Promise<{ emu: EmulatorProc; pty: string; pressEn: () => Promise<void> }> {
  const pty = join(tmp(), 'ttyESP');
  const emu = await emulator(['--pty', pty, '--boot-mode', 'download', '--rfc2217-port', '0']);
  const pressEn = async () => {
    const t = createTransport(emu.port('rfc2217'));
    await t.open();
    await playReset(t, resetSequences.hard);
    await t.close();
  };
  return { emu, pty, pressEn };
}

/** One test's CLI processes share a private handover folder. */
function cli(env: NodeJS.ProcessEnv) {
  return (args: string[], label?: string, cwd?: string): Proc => {
    const p = esp(args, label, { env, ...(cwd ? { cwd } : {}) });
    started.push(p);
    return p;
  };
}

/** Opening the port (as any serial program would) fails: somebody holds it. */
async function expectHeld(path: string): Promise<void> {
  const other = new SerialPort({ path, baudRate: 115200, autoOpen: false });
  const error = await new Promise<Error | null>((resolve) => other.open(resolve));
  if (!error) await new Promise((r) => other.close(r));
  expect(error?.message).toMatch(/Cannot lock port|busy/);
}

/** A project whose build holds the emulator's bootloader and esp-sse app, so the flashed board boots to the app. */
function bootableProject(): Project {
  const project = makeProject({ 'index.html': '<html>handed over</html>' });
  dirs.push(project.dir);
  writeFileSync(join(project.buildDir, 'bootloader.bin'), emulatorBootloaderImage());
  writeFileSync(join(project.buildDir, 'firmware.bin'), emulatorAppImage('4.5.6'));
  return project;
}

const sockets = (runtime: string): string[] => {
  const dir = join(runtime, 'esp-sse');
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.sock')) : [];
};

describe('monitor hands its port to flasher commands', () => {
  it('over a pty: flash, uploadfs and info each get the port and give it back; the monitor then shows the boot and ends on --until', async () => {
    const { pty, pressEn } = await ptyBoard();
    const run = cli({ XDG_RUNTIME_DIR: tmp() });
    const mon = run(['monitor', '-p', pty, '--until', serial.lines.httpStarted, '--timeout', '600s'], 'monitor');
    await mon.waitFor('the banner', (p) => p.stderr.includes(`--- esp-sse monitor on ${pty} at 115200 baud`));
    await expectHeld(pty);

    const project = bootableProject();
    const noReset = ['-p', pty, '--before', 'no_reset', '--after', 'no_reset'];
    const commands: Array<[string, string[]]> = [
      ['flash', ['flash', '--project', project.dir, ...noReset]],
      ['uploadfs', ['uploadfs', '--project', project.dir, ...noReset]],
      ['info', ['info', ...noReset]],
    ];
    for (const [name, args] of commands) {
      const flasher = run(args, name, project.dir);
      const r = await flasher.result();
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain(`${pty}: port taken over from esp-sse monitor (pid ${mon.child.pid}), which gets it back when this is done`);
      await mon.waitFor(`the port back from ${name}`, (p) => p.stderr.includes(`--- port back from esp-sse ${name}\n`));
      expect(mon.stderr).toContain(`--- port released to esp-sse ${name} (pid ${flasher.child.pid}); waiting for it to finish\n`);
      await expectHeld(pty);
    }
    expect(mon.stderr.match(/--- port released to /g)).toHaveLength(3);

    // EN: the board boots what was written; the monitor shows it and stops at the app's line.
    await pressEn();
    const r = await mon.result();
    expect(r.code, r.stderr).toBe(0);
    const log = r.stdout.trimEnd().split('\n');
    expect(log).toContain('rst:0x1 (POWERON_RESET),boot:0x13 (SPI_FAST_FLASH_BOOT)');
    expect(log.slice(-appBootLines.length)).toEqual(appBootLines);
    expect(r.stderr).not.toContain('warning');
  }, 600_000);

  it('over RFC 2217: the monitor does the flasher\'s hard reset once it has the port back, so its output starts with the boot\'s first line', async () => {
    const emu = await emulator(['--rfc2217-port', '0', '--boot-mode', 'download']);
    const port = emu.port('rfc2217');
    const run = cli({ XDG_RUNTIME_DIR: tmp() });
    const mon = run(['monitor', '-p', port, '--until', serial.lines.httpStarted, '--timeout', '600s'], 'monitor');
    await mon.waitFor('the banner', (p) => p.stderr.includes(`--- esp-sse monitor on ${port}`));
    const project = bootableProject();
    const flasher = run(['flash', '--project', project.dir, '-p', port], 'flash', project.dir);
    const f = await flasher.result();
    expect(f.code, f.stderr).toBe(0);
    expect(f.stderr).toContain(`${port}: port handed back to the monitor, which resets the board (EN pulse)`);
    const r = await mon.result();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`--- port released to esp-sse flash (pid ${flasher.child.pid}); waiting for it to finish\n--- port back from esp-sse flash\n--- reset\n`);
    const log = r.stdout.trimEnd().split('\n');
    expect(log.slice(0, 3)).toEqual(['ets Jul 29 2019 12:21:46', '', 'rst:0x1 (POWERON_RESET),boot:0x13 (SPI_FAST_FLASH_BOOT)']);
    expect(log.at(-1)).toBe(serial.lines.httpStarted);
  }, 600_000);

  it('flash --monitor keeps the borrowed port for its own monitor, and gives it back when that ends', async () => {
    const { pty } = await ptyBoard();
    const run = cli({ XDG_RUNTIME_DIR: tmp() });
    const mon = run(['monitor', '-p', pty], 'monitor');
    await mon.waitFor('the banner', (p) => p.stderr.includes(`--- esp-sse monitor on ${pty}`));
    const project = bootableProject();
    const f = await run(['flash', '--project', project.dir, '-p', pty, '--before', 'no_reset', '--after', 'no_reset', '--monitor', '--timeout', '2s'], 'flash --monitor', project.dir).result();
    // Its own monitor opened the port (else monitor.port-open, exit 3) and ran into --timeout (exit 1).
    expect(f.code, f.stderr).toBe(1);
    expect(f.stderr).toContain(`--- esp-sse monitor on ${pty} at 115200 baud\nerror[monitor.timeout]`);
    expect(f.stderr).not.toContain('warning');
    await mon.waitFor('the port back', (p) => p.stderr.includes('--- port back from esp-sse flash\n'));
    await expectHeld(pty);
  }, 600_000);

  it('a flasher killed (SIGKILL) in the middle of writing: the monitor still gets the port back', async () => {
    const { pty, pressEn } = await ptyBoard();
    const run = cli({ XDG_RUNTIME_DIR: tmp() });
    const mon = run(['monitor', '-p', pty, '--until', 'rst:0x1', '--timeout', '600s'], 'monitor');
    await mon.waitFor('the banner', (p) => p.stderr.includes(`--- esp-sse monitor on ${pty}`));
    const project = makeProject({ 'index.html': 'x' }, { appSize: 700_000 });
    dirs.push(project.dir);
    const flasher = run(['flash', '--project', project.dir, '-p', pty, '--before', 'no_reset', '--after', 'no_reset', '--force'], 'flash', project.dir);
    await flasher.waitFor('the app being written', (p) => /writing .*firmware\.bin[^\n]*\n[^\n]*: {3}25 %/.test(p.stderr));
    await flasher.stop('SIGKILL');
    await mon.waitFor('the port back', (p) => p.stderr.includes('--- port back from esp-sse flash (it ended without handing the port back)\n'));
    await expectHeld(pty);
    await pressEn();
    const r = await mon.result();
    expect(r.code, r.stderr).toBe(0);
  }, 600_000);

  it('a stale socket from a killed monitor does not disturb the flasher; a new monitor replaces it; --no-reconnect monitors lend too, and remove their socket on exit', async () => {
    const { pty } = await ptyBoard();
    const runtime = tmp();
    const run = cli({ XDG_RUNTIME_DIR: runtime });
    const noReset = ['-p', pty, '--before', 'no_reset', '--after', 'no_reset'];
    const first = run(['monitor', '-p', pty], 'monitor 1');
    await first.waitFor('the banner', (p) => p.stderr.includes(`--- esp-sse monitor on ${pty}`));
    const [socket] = sockets(runtime);
    expect(socket).toMatch(/^\d+-[0-9a-f]{16}\.sock$/); // named after /dev/pts/N, the pty link's target
    await first.stop('SIGKILL');
    expect(sockets(runtime)).toEqual([socket]);

    // Without a monitor (the socket is stale): as before, no word about a handover.
    const alone = await run(['info', ...noReset], 'info alone').result();
    expect(alone.code, alone.stderr).toBe(0);
    expect(alone.stdout).toContain(`Port:      ${pty}`);
    expect(alone.stderr).not.toMatch(/taken over|warning/);

    const second = run(['monitor', '-p', pty, '--no-reconnect'], 'monitor 2');
    await second.waitFor('the banner', (p) => p.stderr.includes(`--- esp-sse monitor on ${pty}`));
    expect(second.stderr).not.toContain('warning');
    const info = await run(['info', ...noReset], 'info').result();
    expect(info.code, info.stderr).toBe(0);
    expect(info.stderr).toContain(`port taken over from esp-sse monitor (pid ${second.child.pid})`);
    await second.waitFor('the port back', (p) => p.stderr.includes('--- port back from esp-sse info\n'));
    expect(second.running).toBe(true);
    await expectHeld(pty);
    await second.stop('SIGINT');
    expect((await second.exited).code).toBe(130);
    expect(sockets(runtime)).toEqual([]);
  }, 600_000);

  it('a monitor that does not answer (stopped with SIGSTOP): the flasher goes on and fails with port.busy, naming the monitor', async () => {
    const { pty } = await ptyBoard();
    const run = cli({ XDG_RUNTIME_DIR: tmp() });
    const mon = run(['monitor', '-p', pty], 'monitor');
    await mon.waitFor('the banner', (p) => p.stderr.includes(`--- esp-sse monitor on ${pty}`));
    process.kill(mon.child.pid!, 'SIGSTOP');
    const r = await run(['info', '-p', pty, '--before', 'no_reset', '--after', 'no_reset'], 'info').result();
    process.kill(mon.child.pid!, 'SIGCONT');
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('warning[handover.no-answer]');
    expect(r.stderr).toMatch(/error\[port\.busy\]: serial port .* is busy: an esp-sse monitor holds it and did not hand it over \(it did not answer within \d+ s\)\n  hint: quit that monitor/);
  }, 600_000);
});
