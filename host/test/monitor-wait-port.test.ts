/**
 * `esp-sse monitor --open-port-attempts`: the compiled CLI started on a port that is not there
 * yet (a pty path before the emulator creates it, a TCP port nobody listens on) waits for it
 * with one status line, then shows the board's output; with a limit it gives up with
 * `monitor.port-open` (exit 3) after that many attempts; Ctrl+C (SIGINT) and `--timeout` end
 * the wait. The waits below are for events (status lines, banners), never for time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { esp, sseReconnect, startEmulatorCli, type EmulatorProc, type Proc } from './monitor-helpers.js';

const dirs: string[] = [];
const missingPath = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'esp-sse-wait-'));
  dirs.push(d);
  return join(d, 'ttyESP');
};
const started: Array<EmulatorProc | Proc> = [];
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((p) => ('proc' in p ? p.proc : p).stop('SIGKILL')));
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});
afterAll(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

const count = (text: string, part: string): number => text.split(part).length - 1;

/** A TCP port that was free a moment ago (nothing listens on it). */
async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as { port: number };
  await new Promise((r) => s.close(r));
  return port;
}

describe('monitor --open-port-attempts', () => {
  it('0: waits for a pty path that does not exist yet, then shows the board once the emulator creates it', async () => {
    const pty = missingPath();
    const mon = esp(['monitor', '-p', pty, '--open-port-attempts', '0', '--until', 'Last message ID that it got is: 41', '--timeout', '120s']);
    started.push(mon);
    await mon.waitFor('the waiting line', (p) => p.stderr.includes(`--- waiting for ${pty}: `));
    expect(mon.stderr).toContain('trying every 0.5 s (Ctrl+C to quit)');
    const emu = await startEmulatorCli(['--pty', pty]);
    started.push(emu);
    await mon.waitFor('the banner once the pty is there', (p) => p.stderr.includes(`--- esp-sse monitor on ${pty} at 115200 baud`));
    expect(await sseReconnect(emu.httpUrl, 41)).toBe(200);
    const r = await mon.result();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('Client reconnected! Last message ID that it got is: 41');
    // One waiting line however long it waited, then which attempt opened it.
    expect(count(r.stderr, 'waiting for')).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`--- ${pty} opened on attempt \\d+\\n`));
  }, 180_000);

  it('2: a path that never appears is monitor.port-open, exit 3, after exactly 2 attempts', async () => {
    const pty = missingPath();
    const r = await esp(['monitor', '-p', pty, '--open-port-attempts', '2']).result();
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`--- waiting for ${pty}: `);
    expect(r.stderr).toContain('2 attempts in all');
    expect(r.stderr).toContain(`error[monitor.port-open]: cannot open ${pty} after 2 attempts: `);
    expect(r.stderr).toContain('hint:');
    expect(r.stderr).not.toContain('esp-sse monitor on');
  });

  it('1 (the default): fails at once, no waiting line', async () => {
    const pty = missingPath();
    const r = await esp(['monitor', '-p', pty]).result();
    expect(r.code).toBe(3);
    expect(r.stderr).not.toContain('waiting for');
    expect(r.stderr).toContain(`error[monitor.port-open]: cannot open ${pty}: `);
    const bad = await esp(['monitor', '-p', pty, '--open-port-attempts', 'lots']).result();
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('error[monitor.bad-open-port-attempts]');
  });

  it('socket://: connection refused is retried until the server listens', async () => {
    const port = await freePort();
    const mon = esp(['monitor', '-p', `socket://127.0.0.1:${port}`, '--open-port-attempts', '0', '--until', 'hello from the board', '--timeout', '120s']);
    started.push(mon);
    await mon.waitFor('the waiting line', (p) => p.stderr.includes(`--- waiting for socket://127.0.0.1:${port}: connect ECONNREFUSED`));
    const server = createServer((s) => s.write('hello from the board\r\n'));
    servers.push(server);
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
    const r = await mon.result();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('hello from the board\n');
  }, 180_000);

  it('Ctrl+C (SIGINT) ends the wait with exit 130; --timeout ends it with monitor.port-open, exit 3', async () => {
    const waiting = esp(['monitor', '-p', missingPath(), '--open-port-attempts', '0']);
    started.push(waiting);
    await waiting.waitFor('the waiting line', (p) => p.stderr.includes('--- waiting for '));
    await waiting.stop('SIGINT');
    expect((await waiting.exited).code).toBe(130);

    const pty = missingPath();
    const r = await esp(['monitor', '-p', pty, '--open-port-attempts', '0', '--timeout', '1500']).result();
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`error[monitor.port-open]: ${pty} did not open within --timeout 1500 ms`);
  });
});
