/**
 * Helpers for the monitor's and discover's end-to-end tests: child processes whose output can
 * be awaited (no sleeps), and `esp-sse emulate` started as a subprocess with its serial ports.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { get } from 'node:http';
import { resolve } from 'node:path';

/** The compiled CLI (`npm test` builds it first; `npx tsc -p tsconfig.build.json` by hand). */
export const cliMain = resolve(import.meta.dirname, '../../dist/cli/main.js');

/**
 * The shipped sketch's setup() lines on a loopback emulator, as a monitor shows them (one per
 * line, line ends removed): what `firmware/src/main.cpp` prints.
 */
export const appBootLines: readonly string[] = [
  'SPIFFS mounted successfully',
  'Connecting to WiFi ..127.0.0.1',
  'mDNS responder started: esp-sse.local',
  'HTTP server started',
];

/** How long any single wait may take before the test fails (generous: 2 loaded cores). */
export const waitMs = 60_000;

/** Environment for CLI subprocesses: no colours, no port/baud from the developer's shell. */
export function cliEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...extra };
  delete env.ESPTOOL_PORT;
  delete env.ESPTOOL_BAUD;
  delete env.FORCE_COLOR;
  return env;
}

/** A child process whose output can be awaited. */
export class Proc {
  stdout = '';
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly waiters = new Set<() => void>();
  private ended = false;

  constructor(readonly child: ChildProcess, readonly label: string) {
    child.stdout?.on('data', (b: Buffer) => {
      this.stdout += b.toString('utf8');
      this.notify();
    });
    child.stderr?.on('data', (b: Buffer) => {
      this.stderr += b.toString('utf8');
      this.notify();
    });
    this.exited = new Promise((res) =>
      child.on('close', (code, signal) => {
        this.ended = true;
        res({ code, signal });
        this.notify();
      }),
    );
  }

  /** Writes to the child's stdin (spawned with a pipe there). */
  send(text: string): void {
    this.child.stdin!.write(text);
  }

  get running(): boolean {
    return !this.ended;
  }

  /** Resolves when `pred` holds; rejects (with the output) if the process ends first or after {@link waitMs}. */
  waitFor(what: string, pred: (p: Proc) => boolean): Promise<void> {
    return new Promise((res, rej) => {
      const fail = (why: string) => {
        done();
        rej(new Error(`${this.label}: ${why} waiting for ${what}\nstdout: ${this.stdout}\nstderr: ${this.stderr}`));
      };
      const check = (): void => {
        if (pred(this)) {
          done();
          res();
        } else if (this.ended) fail('exited');
      };
      const timer = setTimeout(() => fail('timed out'), waitMs);
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  /** Runs to the end; returns the exit code. */
  async result(): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const timer = setTimeout(() => this.child.kill('SIGKILL'), waitMs);
    const { code } = await this.exited;
    clearTimeout(timer);
    return { code, stdout: this.stdout, stderr: this.stderr };
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (!this.ended) this.child.kill(signal);
    await this.exited;
  }

  private notify(): void {
    for (const w of [...this.waiters]) w();
  }
}

/** Runs `esp-sse ARGS` (the compiled CLI) with stdin closed; `env` adds to {@link cliEnv}. */
export function esp(args: string[], label = `esp-sse ${args[0]}`, o: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Proc {
  return new Proc(spawn(process.execPath, [cliMain, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: cliEnv(o.env), ...(o.cwd ? { cwd: o.cwd } : {}) }), label);
}

/** `esp-sse emulate` as a subprocess, with the serial port names it printed. */
export interface EmulatorProc {
  proc: Proc;
  /** Empty with `--boot-mode download` (HTTP starts when the app runs). */
  httpUrl: string;
  /** `rfc2217://…`, `socket://…` or the pty path, as the emulator printed them. */
  ports: string[];
  port(kind: 'rfc2217' | 'socket' | 'pty'): string;
}

/**
 * Starts `esp-sse emulate --http-port 0 ARGS` and waits until it printed every serial port asked
 * for (and its URL, unless it powers up in the ROM loader with `--boot-mode download`).
 */
export async function startEmulatorCli(args: string[]): Promise<EmulatorProc> {
  const proc = esp(['emulate', '--http-port', '0', ...args], 'emulate');
  const wanted = args.filter((a) => a === '--rfc2217-port' || a === '--socket-port' || a === '--pty').length;
  const url = /serving (http:\/\/\S+\/)/;
  const up = (stderr: string) => url.test(stderr) || /waiting in the ROM loader/.test(stderr);
  await proc.waitFor('the URL and serial port lines', (p) => up(p.stderr) && (p.stderr.match(/^serial port /gm)?.length ?? 0) >= wanted);
  const ports = [...proc.stderr.matchAll(/^serial port (\S+)$/gm)].map((m) => m[1]!);
  return {
    proc,
    httpUrl: url.exec(proc.stderr)?.[1] ?? '',
    ports,
    port(kind) {
      const found = ports.find((p) => (kind === 'pty' ? p.startsWith('/') : p.startsWith(`${kind}://`)));
      if (!found) throw new Error(`emulator printed no ${kind} port: ${ports.join(', ')}`);
      return found;
    },
  };
}

/** Opens /sse with Last-Event-ID so the board prints its reconnect line; closes at the headers. */
export function sseReconnect(httpUrl: string, lastId: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = get(`${httpUrl}sse`, { headers: { Accept: 'text/event-stream', 'Last-Event-ID': String(lastId) } }, (res) => {
      resolve(res.statusCode ?? 0);
      req.destroy();
    });
    req.on('error', reject);
  });
}
