import { afterEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, existsSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMonitor } from './session.js';
import { crashElf, ScriptedKeys, ScriptedPort } from './testing.js';
import { resetSequences } from './reset.js';

const fixedClock = () => new Date(2026, 10, 25, 9, 0, 0, 0);
const noSleep = async () => {};
const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'esp-sse-mon-'));
  dirs.push(d);
  return d;
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('runMonitor', () => {
  it('ends with "until" on the first matching line and closes the port', async () => {
    const port = new ScriptedPort();
    let screen = '';
    const p = runMonitor(port, { write: (s) => (screen += s), until: /HTTP server started/, clock: fixedClock });
    port.feed('SPIFFS mounted successfully\r\nHTTP server sta');
    port.feed('rted\r\nnot shown\r\n');
    const r = await p;
    expect(r).toEqual({ reason: 'until', matched: 'HTTP server started' });
    expect(screen).toBe('SPIFFS mounted successfully\nHTTP server started\n');
    expect(port.isOpen).toBe(false);
  });

  it('ends with "timeout" when nothing matches, leaving the port open with keepOpen', async () => {
    const port = new ScriptedPort();
    const r = await runMonitor(port, { write: () => {}, until: /never/, timeoutMs: 20, keepOpen: true });
    expect(r.reason).toBe('timeout');
    expect(port.isOpen).toBe(true);
  });

  it('runs its timers on the injected scheduler: the idle flush shows a partial line, the timeout ends the session and the idle timer is cancelled', async () => {
    const timers: Array<{ ms: number; fire: () => void; cancelled: boolean }> = [];
    const schedule = (ms: number, fire: () => void) => {
      const t = { ms, fire, cancelled: false };
      timers.push(t);
      return () => (t.cancelled = true);
    };
    const port = new ScriptedPort();
    let screen = '';
    const p = runMonitor(port, { write: (s) => (screen += s), timeoutMs: 5000, idleFlushMs: 100, schedule, clock: fixedClock });
    port.feed('> prompt');
    expect(timers.map((t) => t.ms)).toEqual([5000, 100]);
    expect(screen).toBe('');
    timers[1]!.fire();
    expect(screen).toBe('> prompt');
    timers[0]!.fire();
    expect(await p).toEqual({ reason: 'timeout' });
    expect(screen).toBe('> prompt\n');
    expect(timers.every((t) => t.cancelled)).toBe(true);
  });

  it('ends with "closed" and the error when the port drops and reopening is off', async () => {
    const port = new ScriptedPort();
    const p = runMonitor(port, { write: () => {} });
    port.drop('unplugged');
    const r = await p;
    expect(r.reason).toBe('closed');
    expect(r.error?.message).toBe('unplugged');
  });

  it('reconnects after a drop, keeps the keys, and goes on reading the new port', async () => {
    const first = new ScriptedPort('mem://a');
    const second = new ScriptedPort('mem://a');
    let attempts = 0;
    const keys = new ScriptedKeys();
    let screen = '';
    const statuses: string[] = [];
    const p = runMonitor(first, {
      write: (s) => (screen += s),
      status: (s) => statuses.push(s),
      keys,
      sleep: noSleep,
      until: /back again/,
      reopen: async () => {
        attempts++;
        if (attempts < 3) throw new Error('ENOENT');
        return second;
      },
    });
    first.feed('before\n');
    first.drop();
    await new Promise((r) => setTimeout(r, 10));
    expect(attempts).toBe(3);
    expect(keys.listening).toBe(true);
    first.feed('ignored: old port\n');
    keys.press(0x41);
    await new Promise((r) => setTimeout(r, 0));
    expect(second.written).toEqual([Uint8Array.from([0x41])]);
    second.feed('back again\n');
    expect((await p).reason).toBe('until');
    expect(screen).toBe('before\nback again\n');
    expect(statuses.join('')).toMatch(/lost .*waiting[\s\S]*reconnected to mem:\/\/a/);
  });

  it('plays the reset and bootloader sequences from the menu, and exits on Ctrl+]', async () => {
    const port = new ScriptedPort();
    const keys = new ScriptedKeys();
    const p = runMonitor(port, { write: () => {}, status: () => {}, keys, sleep: noSleep });
    keys.press(0x14, 0x72); // Ctrl+T r
    keys.press(0x14, 0x10); // Ctrl+T Ctrl+P
    keys.press(0x1d);
    expect((await p).reason).toBe('exit');
    const sets = (seq: readonly object[]) => seq.filter((s) => 'set' in s).map((s) => (s as { set: object }).set);
    expect(port.signals).toEqual([...sets(resetSequences.hard), ...sets(resetSequences.bootloader)]);
    expect(resetSequences.hard[0]).toEqual({ set: { dtr: false, rts: true } });
  });

  it('logs timestamped lines to a file that appears under its name only when logging stops', async () => {
    const file = join(tmp(), 'logs', 'board.log');
    const port = new ScriptedPort();
    const keys = new ScriptedKeys();
    const p = runMonitor(port, { write: () => {}, status: () => {}, keys, logPath: file, clock: fixedClock });
    port.feed('one\r\n');
    expect(existsSync(file)).toBe(false);
    expect(existsSync(`${file}.partial`)).toBe(true);
    keys.press(0x14, 0x6c); // Ctrl+T l: logging off
    await new Promise((r) => setTimeout(r, 0));
    expect(readFileSync(file, 'utf8')).toBe('2026-11-25 09:00:00.000 one\n');
    port.feed('two (not logged)\r\n');
    keys.press(0x14, 0x6c); // on again: appends
    await new Promise((r) => setTimeout(r, 0));
    port.feed('three\r\n');
    keys.press(0x03);
    await p;
    expect(readFileSync(file, 'utf8')).toBe('2026-11-25 09:00:00.000 one\n2026-11-25 09:00:00.000 three\n');
  });

  it('decodes a backtrace with addr2line and an ELF (host gcc build), and passes it through untouched without them', async () => {
    const dir = tmp();
    const { elf, addr } = crashElf(dir);
    const pc = `0x${addr}`;
    const bt = `Backtrace: ${pc}:0x3ffb1f50 0x00000000:0x00000000\r\n`;

    let decoded = '';
    const port = new ScriptedPort();
    const p = runMonitor(port, { write: (s) => (decoded += s), elf, addr2line: 'addr2line', until: /after/ });
    port.feed("Guru Meditation Error: Core  1 panic'ed (LoadProhibited)\r\n" + bt + 'after\r\n');
    await p;
    expect(decoded).toContain(bt.trimEnd() + '\n');
    expect(decoded).toMatch(new RegExp(`#0 0x0*${addr.replace(/^0+/, '')} in crash_here at .*crash\\.c:1`));

    let raw = '';
    const port2 = new ScriptedPort();
    const p2 = runMonitor(port2, { write: (s) => (raw += s), until: /after/ });
    port2.feed(bt + 'after\r\n');
    await p2;
    expect(raw).toBe(bt.replace('\r\n', '\n') + 'after\n');
  });

  it('warns, as esp-idf-monitor does, when the board\'s ELF file SHA256 is not the ELF\'s; the right one passes silently', async () => {
    const dir = tmp();
    const elf = join(dir, 'firmware.elf');
    writeFileSync(elf, 'the build on this machine');
    const sha = createHash('sha256').update('the build on this machine').digest('hex');
    const run = async (text: string) => {
      let screen = '';
      const port = new ScriptedPort();
      const p = runMonitor(port, { write: (s) => (screen += s), elf, addr2line: 'addr2line', until: /^Rebooting/ });
      port.feed(text);
      await p;
      return screen;
    };
    expect(await run(`ELF file SHA256: 0123456789abcdef\r\n\r\nRebooting...\r\n`)).toBe(
      `ELF file SHA256: 0123456789abcdef\n--- Warning: Checksum mismatch between flashed and built applications. Checksum of built application is ${sha}\n\nRebooting...\n`,
    );
    expect(await run(`ELF file SHA256: ${sha.slice(0, 16)}\r\n\r\nRebooting...\r\n`)).toBe(`ELF file SHA256: ${sha.slice(0, 16)}\n\nRebooting...\n`);
  });

  it('keeps decoded frames right under their Backtrace line on screen and in the log, while later lines wait', async () => {
    const dir = tmp();
    const { elf, addr } = crashElf(dir);
    const logPath = join(dir, 'board.log');
    let screen = '';
    const port = new ScriptedPort();
    const p = runMonitor(port, { write: (s) => (screen += s), elf, addr2line: 'addr2line', logPath, clock: fixedClock, until: /^end$/ });
    // The board keeps printing while addr2line runs.
    port.feed(`Backtrace: 0x${addr}:0x3ffb1f50\r\nRebooting...\r\nets Jul 29 2019 12:21:46\r\nend\r\n`);
    await p;
    const frame = new RegExp(`^  #0 0x0*${addr.replace(/^0+/, '')} in crash_here at .*crash\\.c:1$`);
    const shown = screen.trimEnd().split('\n');
    expect(shown[0]).toBe(`Backtrace: 0x${addr}:0x3ffb1f50`);
    expect(shown[1]).toMatch(frame);
    expect(shown.slice(2)).toEqual(['Rebooting...', 'ets Jul 29 2019 12:21:46', 'end']);
    const logged = readFileSync(logPath, 'utf8').trimEnd().split('\n');
    expect(logged[0]).toBe(`2026-11-25 09:00:00.000 Backtrace: 0x${addr}:0x3ffb1f50`);
    expect(logged[1]).toMatch(frame);
    expect(logged[2]).toBe('2026-11-25 09:00:00.000 Rebooting...');
  });
});
