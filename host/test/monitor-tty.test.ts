/**
 * `esp-sse monitor` on a real terminal: `script` gives the compiled CLI a pseudo-terminal, the
 * test types into it (Ctrl+T menu keys, Ctrl+]) and reads the screen. The board is the
 * emulator on an RFC 2217 port, so menu resets go through DTR/RTS to its reset circuit. After
 * the monitor exits, `stty -a` in the same terminal shows it was put back in cooked mode.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { appBootLines, cliEnv, cliMain, Proc, startEmulatorCli, type EmulatorProc } from './monitor-helpers.js';

const started: Array<EmulatorProc | Proc> = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((p) => ('proc' in p ? p.proc : p).stop('SIGKILL')));
});

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

interface Terminal {
  term: Proc;
  /** After the shell exits: the monitor's exit code and the terminal's icanon/echo/isig flags. */
  end(): Promise<{ exit: number; modes: string[] }>;
}

/**
 * Runs `esp-sse monitor ARGS` in a pty; afterwards the same shell writes the monitor's exit
 * code and `stty -a` of that terminal to files (the last output on a pty can be lost when
 * `script` exits, files cannot).
 */
function monitorInTerminal(args: string[]): Terminal {
  const dir = mkdtempSync(join(tmpdir(), 'esp-sse-tty-'));
  const cmd = [process.execPath, cliMain, 'monitor', ...args].map(quote).join(' ');
  const shell = `${cmd}; echo $? > ${quote(join(dir, 'exit'))}; stty -a > ${quote(join(dir, 'stty'))}`;
  const term = new Proc(spawn('script', ['-qfec', shell, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'], env: cliEnv() }), 'monitor (tty)');
  started.push(term);
  return {
    term,
    async end() {
      await term.result();
      const exit = Number(readFileSync(join(dir, 'exit'), 'utf8').trim());
      const flags = readFileSync(join(dir, 'stty'), 'utf8').split(/[\s;]+/);
      rmSync(dir, { recursive: true, force: true });
      return { exit, modes: flags.filter((f) => /^-?(icanon|echo|isig)$/.test(f)).sort() };
    },
  };
}

/** Screen text after the last occurrence of `marker` (CR LF → LF). */
function after(p: Proc, marker: string): string {
  const screen = p.stdout.replace(/\r\n/g, '\n');
  const i = screen.lastIndexOf(marker);
  return i < 0 ? '' : screen.slice(i + marker.length);
}

const CTRL_T = '\x14';
const CTRL_RBRACKET = '\x1d';

describe('monitor on a terminal', () => {
  it('Ctrl+T r resets the board, Ctrl+T i/a switch timestamps and hex, Ctrl+] quits and the terminal is restored', async () => {
    const emu = await startEmulatorCli(['--rfc2217-port', '0', '--quiet']);
    started.push(emu);
    const { term, end } = monitorInTerminal(['-p', emu.port('rfc2217')]);
    await term.waitFor('the banner', (p) => p.stdout.includes('Ctrl+] quit, Ctrl+T h help'));

    term.send(`${CTRL_T}r`);
    await term.waitFor('the boot log after the reset', (p) => after(p, '--- reset\n').includes('HTTP server started\n'));
    expect(after(term, '--- reset\n')).toContain('rst:0x1 (POWERON_RESET)');
    expect(after(term, '--- reset\n')).toContain(`${appBootLines.join('\n')}\n`);

    term.send(`${CTRL_T}i`);
    await term.waitFor('timestamps on', (p) => p.stdout.includes('--- timestamps on'));
    term.send(`${CTRL_T}r`);
    await term.waitFor('a stamped boot log', (p) => /\d\d:\d\d:\d\d\.\d{3} HTTP server started\n/.test(after(p, '--- timestamps on\n')));

    term.send(`${CTRL_T}a`);
    await term.waitFor('hex view on', (p) => p.stdout.includes('--- hex view on'));
    term.send(`${CTRL_T}r`);
    // "SPIFFS mounted successfully\r\n" shows up in hex rows: 53 50 49 46 46 53 = "SPIFFS".
    await term.waitFor('hex rows of the boot log', (p) => /^[0-9a-f]{8} \| (?:[0-9a-f]{2} ){15}[0-9a-f]{2} \| .{16}$/m.test(after(p, '--- hex view on\n')));
    await term.waitFor('the SPIFFS line in hex', (p) => after(p, '--- hex view on\n').replace(/\n/g, ' ').includes('53 50 49 46 46 53'));

    term.send(CTRL_RBRACKET);
    // Cooked mode again: canonical input, echo and signals on.
    expect(await end()).toEqual({ exit: 0, modes: ['echo', 'icanon', 'isig'] });
  });

  it('Ctrl+T p resets into the bootloader (download mode), Ctrl+T r back into the app', async () => {
    const emu = await startEmulatorCli(['--rfc2217-port', '0', '--quiet']);
    started.push(emu);
    const { term, end } = monitorInTerminal(['-p', emu.port('rfc2217')]);
    await term.waitFor('the banner', (p) => p.stdout.includes('Ctrl+] quit, Ctrl+T h help'));
    term.send(`${CTRL_T}p`);
    await term.waitFor('the ROM download banner', (p) => after(p, '--- reset into the bootloader\n').includes('waiting for download\n'));
    expect(after(term, '--- reset into the bootloader\n')).toContain('boot:0x3 (DOWNLOAD_BOOT(UART0/UART1/SDIO_REI_REO_V2))');
    term.send(`${CTRL_T}r`);
    await term.waitFor('the app booting again', (p) => after(p, '--- reset\n').includes('HTTP server started\n'));
    term.send(`${CTRL_T}x`);
    expect((await end()).exit).toBe(0);
  });

  it('the terminal is restored when the monitor ends on an error (port lost with --no-reconnect)', async () => {
    const emu = await startEmulatorCli(['--socket-port', '0', '--quiet']);
    started.push(emu);
    const { term, end } = monitorInTerminal(['-p', emu.port('socket'), '--no-reconnect']);
    await term.waitFor('the banner', (p) => p.stdout.includes('Ctrl+] quit, Ctrl+T h help'));
    await emu.proc.stop('SIGINT');
    expect(await end()).toEqual({ exit: 5, modes: ['echo', 'icanon', 'isig'] });
    expect(term.stdout).toContain('error[monitor.port-lost]');
  });

  it('the terminal is restored and the port let go when the log file cannot be written (exit 2)', async () => {
    const emu = await startEmulatorCli(['--socket-port', '0', '--quiet']);
    started.push(emu);
    const dir = mkdtempSync(join(tmpdir(), 'esp-sse-tty-log-'));
    writeFileSync(join(dir, 'file'), '');
    const { term, end } = monitorInTerminal(['-p', emu.port('socket'), '--log', join(dir, 'file', 'sub', 'board.log')]);
    expect(await end()).toEqual({ exit: 2, modes: ['echo', 'icanon', 'isig'] });
    expect(term.stdout).toContain('error[monitor.log-open]');
    rmSync(dir, { recursive: true, force: true });
  });

  it('Ctrl+] quits while waiting for a port that is not there (--open-port-attempts 0); the terminal is restored', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'esp-sse-tty-wait-'));
    const { term, end } = monitorInTerminal(['-p', join(dir, 'ttyESP'), '--open-port-attempts', '0']);
    await term.waitFor('the waiting line', (p) => p.stdout.includes('trying every 0.5 s (Ctrl+] to quit)'));
    term.send(CTRL_RBRACKET);
    expect(await end()).toEqual({ exit: 0, modes: ['echo', 'icanon', 'isig'] });
    expect(term.stdout).not.toContain('esp-sse monitor on');
    rmSync(dir, { recursive: true, force: true });
  });
});
