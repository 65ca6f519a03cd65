/**
 * `esp-sse emulate` as a user runs it: the compiled CLI (`dist/cli/main.js`, built by
 * `npm run build`, which `npm test` runs first) in a subprocess. It serves, prints the URL on
 * stderr and the board's Serial lines on stdout, exits 0 on SIGINT/SIGTERM, and turns bad
 * options into `error[code]` + hint with exit code 2.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { RawClient, waitTimeoutMs } from './emulator-helpers.js';

const main = resolve(import.meta.dirname, '../../dist/cli/main.js');

class Cli {
  stdout = '';
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly waiters = new Set<() => void>();

  constructor(readonly child: ChildProcess) {
    child.stdout!.on('data', (b: Buffer) => {
      this.stdout += b.toString('utf8');
      this.notify();
    });
    child.stderr!.on('data', (b: Buffer) => {
      this.stderr += b.toString('utf8');
      this.notify();
    });
    this.exited = new Promise((res) => child.on('exit', (code, signal) => res({ code, signal })));
  }

  static run(args: string[]): Cli {
    return new Cli(spawn(process.execPath, [main, 'emulate', ...args], { stdio: ['ignore', 'pipe', 'pipe'] }));
  }

  waitFor(what: string, pred: () => boolean): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (pred()) {
          done();
          resolve();
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`cli: no ${what}; stdout ${JSON.stringify(this.stdout)} stderr ${JSON.stringify(this.stderr)}`));
      }, waitTimeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      void this.exited.then(check);
      check();
    });
  }

  /** Waits for the URL line and returns the port. */
  async port(): Promise<number> {
    const re = /^esp-sse emulator \(([\w.-]+)\) serving http:\/\/127\.0\.0\.1:(\d+)\/$/m;
    await this.waitFor('URL line', () => re.test(this.stderr));
    return Number(re.exec(this.stderr)![2]);
  }

  /** Runs to exit (for bad options); returns the exit code. */
  static async fail(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const cli = Cli.run(args);
    started.push(cli);
    const { code } = await cli.exited;
    return { code, stdout: cli.stdout, stderr: cli.stderr };
  }

  private notify(): void {
    for (const w of [...this.waiters]) w();
  }
}

let started: Cli[] = [];
let blockers: Server[] = [];
afterEach(async () => {
  for (const c of started) if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
  started = [];
  for (const s of blockers) await new Promise((r) => s.close(r));
  blockers = [];
});

function start(args: string[]): Cli {
  const cli = Cli.run(args);
  started.push(cli);
  return cli;
}

beforeAll(() => {
  if (!existsSync(main)) throw new Error(`${main} is missing: run \`npm run build\` first (npm test does)`);
});

describe('esp-sse emulate', () => {
  it('boots: Serial lines on stdout, URL on stderr, serves the stream; SIGINT exits 0 and frees the port', async () => {
    const cli = start(['--http-port', '0', '--boot-millis', '4294000000']); // 16 min before the wrap
    const port = await cli.port();
    expect(cli.stderr).toContain('(esp32async-3.12.0)');
    await cli.waitFor('HTTP server started', () => cli.stdout.includes('HTTP server started\r\n'));
    // After the ROM and bootloader lines, the sketch's setup() output.
    expect(cli.stdout).toMatch(/^ets [^]*\r\nentry 0x[0-9a-f]+\r\n/);
    // The firmware always starts mDNS (the emulator answers it on loopback only here).
    expect(cli.stdout.endsWith('SPIFFS mounted successfully\r\nConnecting to WiFi ..127.0.0.1\r\nmDNS responder started: esp-sse.local\nHTTP server started\r\n')).toBe(true);

    const c = await RawClient.connect(port);
    c.write('GET /sse HTTP/1.1\r\nAccept: text/event-stream\r\nLast-Event-ID: 4242\r\n\r\n');
    await c.waitForText('data: hello!\n\n');
    const id = Number(/\nid: (\d+)\n/.exec(c.text)![1]);
    expect(id).toBeGreaterThanOrEqual(4294000000); // --boot-millis reached millis()
    await c.waitForText('event: time_reading\n'); // the loop runs on its own
    await cli.waitFor('reconnect line', () => cli.stdout.includes('Client reconnected! Last message ID that it got is: 4242\n'));

    cli.child.kill('SIGINT');
    expect(await cli.exited).toEqual({ code: 0, signal: null });
    expect(await c.waitClose()).toBe('reset'); // the board is gone: connections reset
    await expect(RawClient.connect(port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('SIGTERM exits 0 too; --profile, --data and --max-connections are applied', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'esp-sse-cli-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, 'index.html'), 'custom page');
    const cli = start(['--http-port', '0', '--profile', 'me-no-dev-1.2.4', '--data', dir, '--max-connections', '1', '--quiet']);
    const port = await cli.port();
    expect(cli.stderr).toContain('(me-no-dev-1.2.4)');
    const c = await RawClient.connect(port);
    c.write('GET / HTTP/1.1\r\n\r\n');
    expect(await c.response()).toMatch(/^HTTP\/1.1 200 OK\r\nContent-Length: 11\r\n[^]*\r\n\r\ncustom page$/);
    // 1.2.4 leaves the connection open, so with --max-connections 1 a second one is held.
    const second = await RawClient.connect(port);
    second.write('GET / HTTP/1.1\r\n\r\n');
    c.destroy();
    expect(await second.response()).toContain('custom page');
    second.destroy();
    expect(cli.stdout).toBe(''); // --quiet
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toEqual({ code: 0, signal: null });
  });
});

/** Child processes of `pid`, from /proc (Linux). */
const childrenOf = (pid: number): number[] =>
  readdirSync('/proc').filter((n) => /^\d+$/.test(n)).filter((n) => {
    try {
      const stat = readFileSync(`/proc/${n}/stat`, 'latin1');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
    } catch {
      return false; // exited meanwhile
    }
  }).map(Number);

describe('esp-sse emulate --sse-writers', () => {
  it('runs the writers as child processes of the CLI; the stream is unchanged; SIGINT resets it and leaves no process', async () => {
    const cli = start(['--http-port', '0', '--max-connections', '0', '--sse-writers', '2', '--quiet']);
    const port = await cli.port();
    // Its children: the two writers (the C++ writer: g++ is here) and the sketch's app process,
    // each named after its executable.
    const children = childrenOf(cli.child.pid!);
    const comm = (pid: number): string => readFileSync(`/proc/${pid}/comm`, 'latin1').trim();
    expect(children.map(comm).sort()).toEqual(['firmware', 'sse-writer', 'sse-writer']);
    const c = await RawClient.connect(port);
    c.write('GET /sse HTTP/1.1\r\nAccept: text/event-stream\r\n\r\n');
    await c.waitForText('data: hello!\n\n');
    const readings = () => [...c.text.matchAll(/id: (\d+)\nevent: time_reading\ndata: \{"time":"(\d+)"\}\n\n/g)];
    await c.waitFor(() => readings().length >= 5, '5 readings');
    const ids = readings().map((m) => Number(m[1]));
    expect(readings().every((m) => m[1] === m[2])).toBe(true);
    expect(ids.every((id, i) => i === 0 || id > ids[i - 1]!)).toBe(true);
    cli.child.kill('SIGINT');
    expect(await cli.exited).toEqual({ code: 0, signal: null });
    expect(await c.waitClose()).toBe('reset');
    for (const pid of children) expect(() => process.kill(pid, 0), `child ${pid} still running`).toThrow();
  });
});

describe('esp-sse emulate killed with SIGKILL', () => {
  /** True while `pid` runs (a zombie, exited and not yet reaped by its new parent, does not). */
  const runs = (pid: number): boolean => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
      return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
    } catch {
      return false;
    }
  };

  it('its writers and the sketch see it gone and exit; the stream in a writer is reset', async () => {
    const cli = start(['--http-port', '0', '--max-connections', '0', '--sse-writers', '2', '--quiet']);
    const port = await cli.port();
    const c = await RawClient.connect(port);
    c.write('GET /sse HTTP/1.1\r\nAccept: text/event-stream\r\n\r\n');
    await c.waitForText('event: time_reading'); // handed to a writer by now
    const children = childrenOf(cli.child.pid!);
    expect(children).toHaveLength(3);
    cli.child.kill('SIGKILL');
    expect(await c.waitClose()).toBe('reset');
    await expect.poll(() => children.filter(runs), { timeout: 10_000 }).toEqual([]);
  });
});

describe('bad options: error[code] + hint, exit 2', () => {
  const expectUserError = (r: { code: number | null; stderr: string }, code: string) => {
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^error\\[${code.replace('.', '\\.')}\\]: .+\\n  hint: .+\\n$`));
  };

  it('port in use', async () => {
    const blocker = createServer();
    blockers.push(blocker);
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    const r = await Cli.fail(['--http-port', String(port)]);
    expectUserError(r, 'emulate.port-in-use');
    expect(r.stderr).toContain(String(port));
    expect(r.stderr).toContain('--http-port');
  });

  it('missing data folder', async () => {
    const r = await Cli.fail(['--http-port', '0', '--data', join(tmpdir(), 'esp-sse-no-such-dir', 'x')]);
    expectUserError(r, 'emulate.data-missing');
    expect(r.stdout).toBe('');
  });

  it('unknown profile', async () => {
    const r = await Cli.fail(['--http-port', '0', '--profile', 'esp32async-9.9.9']);
    expectUserError(r, 'emulate.unknown-profile');
    expect(r.stderr).toContain('me-no-dev-1.2.4');
  });

  it('an unknown --sse-writer', async () => {
    const r = await Cli.fail(['--http-port', '0', '--sse-writers', '2', '--sse-writer', 'rust']);
    expectUserError(r, 'emulate.bad-choice');
    expect(r.stderr).toMatch(/--sse-writer "rust" is not one of auto, native, node/);
  });

  it('an address this machine does not have', async () => {
    const r = await Cli.fail(['--http-port', '0', '--host', '192.0.2.1']);
    expectUserError(r, 'emulate.bad-host');
  });

  it.each([
    ['--http-port', 'abc'],
    ['--http-port', '70000'],
    ['--http-port', '-1'],
    ['--max-connections', '1.5'],
    ['--boot-millis', '4294967296'],
    ['--sse-writers', '65'],
  ])('%s %s', async (flag, value) => {
    const r = await Cli.fail([flag, value]);
    expectUserError(r, 'emulate.bad-integer');
    expect(r.stderr).toContain(flag);
  });
});
