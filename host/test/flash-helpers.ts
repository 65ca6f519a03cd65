/**
 * Helpers for the flasher's end-to-end tests: an emulated board whose UART is on an RFC 2217
 * port (or a pseudo-terminal), the built CLI run as a subprocess, and a PlatformIO-shaped
 * project folder with a build output and a data folder.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { VirtualBoard } from '../src/emulator/board.js';
import { FolderFileSource } from '../src/emulator/app/file-source.js';
import { defaultDataDir } from '../src/emulator/package-root.js';
import { attachUart, type AttachedUart, type UartOptions } from '../src/emulator/uart/attach.js';
import { encodePartitionTable } from '../src/formats/partition-binary.js';
import { builtinTable } from '../src/formats/partition-builtin.js';
import { parsePartitionCsv } from '../src/formats/partition-csv.js';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const cliPath = join(repoRoot, 'dist', 'cli', 'main.js');

/** Generous: waits are for events; the timeout only turns a hang into a failure. */
export const cliTimeoutMs = 120_000;

export interface EmulatedBoard {
  board: VirtualBoard;
  uart: AttachedUart;
  /** The name the CLI opens: `rfc2217://127.0.0.1:N` or the pty path. */
  port: string;
  close(): Promise<void>;
}

/** A virtual board with its UART on a free RFC 2217 port (default) or at `ptyPath`. */
export async function startBoard(o: Omit<UartOptions, 'rfc2217Port'> & { pty?: boolean } = {}): Promise<EmulatedBoard> {
  const board = new VirtualBoard({ httpPort: 0, loopTimer: false, files: new FolderFileSource(defaultDataDir()) });
  const ptyPath = o.pty ? join(mkdtempSync(join(tmpdir(), 'esp-sse-pty-')), 'ttyESP') : undefined;
  const uart = await attachUart(board, { ...o, ...(ptyPath ? { ptyPath, bootMode: 'download' as const } : { rfc2217Port: 0 }) });
  if (!uart.holdsBoard) await board.powerOn();
  return {
    board,
    uart,
    port: uart.portNames[0]!,
    async close() {
      await uart.close();
      await board.powerOff();
    },
  };
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node dist/cli/main.js ...args` and resolves when it exits (never rejects on exit codes). */
export function runCli(args: string[], o: { cwd?: string; env?: Record<string, string | undefined> } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', ESPTOOL_PORT: undefined, ESPTOOL_BAUD: undefined, ...o.env };
    for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
    const child = spawn(process.execPath, [cliPath, ...args], { cwd: o.cwd ?? repoRoot, env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), cliTimeoutMs);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Deterministic pseudo-random bytes. */
export function pattern(n: number, seed: number): Uint8Array {
  let x = seed >>> 0;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

/** An ESP32 image as far as the flasher checks it: magic 0xE9, chip id 0 in the extended header. */
export function fakeEspImage(n: number, seed: number): Uint8Array {
  const d = pattern(n, seed);
  d.set([0xe9, 0x03, 0x02, 0x20], 0);
  d.fill(0, 8, 24);
  d[8] = 0xee;
  return d;
}

export interface Project {
  dir: string;
  buildDir: string;
  dataDir: string;
  images: { bootloader: Uint8Array; partitions: Uint8Array; firmware: Uint8Array };
}

/**
 * A PlatformIO project: `platformio.ini` with one env, `.pio/build/esp32dev/` holding
 * bootloader.bin, partitions.bin (Arduino default.csv) and firmware.bin, and `data/` with
 * `files` (path → contents).
 */
export function makeProject(files: Record<string, string | Uint8Array>, o: { ini?: string; appSize?: number } = {}): Project {
  const dir = mkdtempSync(join(tmpdir(), 'esp-sse-flash-'));
  writeFileSync(join(dir, 'platformio.ini'), o.ini ?? '[env:esp32dev]\nplatform = espressif32\nboard = esp32dev\nframework = arduino\n');
  const buildDir = join(dir, '.pio', 'build', 'esp32dev');
  mkdirSync(buildDir, { recursive: true });
  const images = {
    bootloader: fakeEspImage(0x4000 + 123, 1),
    partitions: encodePartitionTable(parsePartitionCsv(builtinTable('default.csv')!)),
    firmware: fakeEspImage(o.appSize ?? 150_000, 2),
  };
  writeFileSync(join(buildDir, 'bootloader.bin'), images.bootloader);
  writeFileSync(join(buildDir, 'partitions.bin'), images.partitions);
  writeFileSync(join(buildDir, 'firmware.bin'), images.firmware);
  const dataDir = join(dir, 'data');
  mkdirSync(dataDir);
  for (const [name, body] of Object.entries(files)) {
    mkdirSync(dirname(join(dataDir, name)), { recursive: true });
    writeFileSync(join(dataDir, name), body);
  }
  return { dir, buildDir, dataDir, images };
}

/** `esp-sse emulate` as a subprocess: its URL, its serial port and its Serial output. */
export interface EmulatorProcess {
  url: string;
  port: string;
  /** Everything the board printed so far (stdout). */
  readonly serial: string;
  /** Resolves once `pattern` has matched `count` times in the Serial output. */
  waitForSerial(pattern: RegExp, count: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * `esp-sse emulate --http-port 0` with its UART on a free RFC 2217 port, or (`pty`) on a
 * pseudo-terminal, powered up in download mode; `project` emulates that PlatformIO project's sketch.
 */
export async function startEmulatorProcess(o: { pty?: boolean; project?: string } = {}): Promise<EmulatorProcess> {
  const serialArgs = o.pty ? ['--pty', join(mkdtempSync(join(tmpdir(), 'esp-sse-pty-')), 'ttyESP'), '--boot-mode', 'download'] : ['--rfc2217-port', '0'];
  const projectArgs = o.project ? ['--project', o.project] : [];
  const child = spawn(process.execPath, [cliPath, 'emulate', '--http-port', '0', ...serialArgs, ...projectArgs], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let serial = '';
  let stderr = '';
  const waiters = new Set<() => void>();
  const notify = () => { for (const w of [...waiters]) w(); };
  child.stdout.on('data', (d: Buffer) => { serial += d.toString('latin1'); notify(); });
  const exited = new Promise<void>((resolve) => child.once('exit', () => { notify(); resolve(); }));
  const ready = await new Promise<{ url: string; port: string }>((resolve, reject) => {
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      const url = /(http:\/\/[^\s/]+\/)/.exec(stderr)?.[1] ?? '';
      const port = /serial port (\S+)\n/.exec(stderr)?.[1];
      if ((url || o.pty) && port) resolve({ url, port });
    });
    child.once('exit', (code) => reject(new Error(`esp-sse emulate exited (${code}): ${stderr}`)));
  });
  const count = (p: RegExp) => serial.match(new RegExp(p.source, 'g'))?.length ?? 0;
  return {
    ...ready,
    get serial() { return serial; },
    waitForSerial(p, n) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (count(p) >= n) { waiters.delete(check); resolve(); } else if (child.exitCode !== null) { waiters.delete(check); reject(new Error(`emulator exited; serial so far:\n${serial}`)); }
        };
        waiters.add(check);
        check();
      });
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Runs the CLI on a pseudo-terminal (util-linux `script`), so stdout/stderr are TTYs; returns what the terminal showed. */
export function runCliInTerminal(args: string[], o: { cwd?: string } = {}): Promise<{ code: number | null; screen: string }> {
  const quote = (a: string) => `'${a.replace(/'/g, `'\\''`)}'`;
  const command = [process.execPath, cliPath, ...args].map(quote).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-q', '-e', '-c', command, '/dev/null'], { cwd: o.cwd ?? repoRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ESPTOOL_PORT: '', ESPTOOL_BAUD: '' } });
    let screen = '';
    child.stdout.on('data', (d: Buffer) => (screen += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), cliTimeoutMs);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, screen });
    });
  });
}
