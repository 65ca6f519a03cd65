/**
 * `esp-sse monitor`: the board's serial log on the terminal (keys: Ctrl+] / Ctrl+C quit,
 * Ctrl+T menu), or, when stdin is not a terminal, a pipe for CI (`--until`, `--timeout`).
 * The port is chosen as `flash` chooses it; the baud rate is `--baud`, `monitor_speed` or
 * 115200. The terminal is put back in cooked mode on every way out.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import pc from 'picocolors';
import { UserError } from '../errors.js';
import { exitCodes } from '../flasher/exit-codes.js';
import { listPorts } from '../flasher/ports.js';
import { decodeLog, findAddr2line, keys, runMonitor, type KeySource, type MonitorResult, type Paint } from '../monitor/index.js';
import { createTransport } from '../transport/open-port.js';
import type { ByteTransport } from '../transport/types.js';
import { resolveTargets } from './board-target.js';
import { parseBaud } from './options.js';
import { loadProjectSettings } from './project-settings.js';

/** `monitor_speed`'s default in PlatformIO, and the firmware's `Serial.begin` rate. */
export const DEFAULT_MONITOR_BAUD = 115200;

/** Exit codes of `monitor` besides 0 (quit, or `--until` matched) and the port errors (3). */
export const monitorExitCodes = {
  /** `--timeout` passed (without a `--until` match). */
  timeout: 1,
  /** The port dropped and `--no-reconnect` was given. */
  lost: exitCodes.connectionLost,
  /** Ended by SIGINT/SIGTERM/SIGHUP (128 + signal number). */
  signal: { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 } as Record<string, number>,
} as const;

export interface MonitorFlags {
  port?: string[];
  baud?: string;
  project: string;
  env?: string;
  timestamps?: boolean;
  log?: string;
  hex?: boolean;
  elf?: string;
  addr2line?: string;
  until?: string;
  timeout?: string;
  reconnect: boolean;
  reset?: boolean;
  decode?: string;
}

/** Parses `--timeout`: `1500` / `1500ms` (ms), `30s`, `2m`. */
export function parseDuration(text: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  const n = m ? Number(m[1]) * (m[2] === 's' ? 1000 : m[2] === 'm' ? 60_000 : 1) : Number.NaN;
  if (!(n > 0) || !Number.isFinite(n)) {
    throw new UserError('monitor.bad-timeout', `${flag} "${text}" is not a duration`, `use milliseconds or a unit, e.g. ${flag} 30s or ${flag} 1500`, exitCodes.usage);
  }
  return Math.round(n);
}

export function parseUntil(text: string): RegExp {
  try {
    return new RegExp(text);
  } catch (e) {
    throw new UserError('monitor.bad-regex', `--until "${text}" is not a regular expression: ${(e as Error).message}`, 'quote it for the shell, e.g. --until "HTTP server started"', exitCodes.usage);
  }
}

/** Port and baud: the port as `flash` picks it (`--port`, ESPTOOL_PORT, upload_port, the only adapter); baud `--baud` > `monitor_speed` > 115200. */
export async function resolveMonitorTarget(flags: MonitorFlags): Promise<{ port: string; baud: number; elfDefault?: string }> {
  const project = await loadProjectSettings(flags.project, flags.env);
  const targets = await resolveTargets({
    flags: flags.port ? { port: flags.port } : {},
    env: { ESPTOOL_PORT: process.env.ESPTOOL_PORT },
    ini: project.upload.uploadPort !== undefined ? { uploadPort: project.upload.uploadPort } : {},
    listPorts,
  }, { multi: false });
  const baud = flags.baud !== undefined ? parseBaud(flags.baud, '--baud')
    : project.monitorSpeed !== undefined ? parseBaud(project.monitorSpeed, 'monitor_speed in platformio.ini')
      : DEFAULT_MONITOR_BAUD;
  const elf = join(project.buildDir, 'firmware.elf');
  return { port: targets.ports[0]!, baud, ...(existsSync(elf) ? { elfDefault: elf } : {}) };
}

/** Creates and opens a transport; failures are `monitor.port-open` (exit 3) naming the port. */
export async function openPort(name: string, baud: number, warn: (code: string, message: string) => void): Promise<ByteTransport> {
  const t = createTransport(name, { baudRate: baud, warn });
  try {
    await t.open();
  } catch (e) {
    throw new UserError('monitor.port-open', `cannot open ${name}: ${(e as Error).message}`, 'check the cable and the port name (esp-sse ports lists them), and that no other program holds it', exitCodes.port, { cause: e });
  }
  return t;
}

const colours: Paint = { panic: (s) => pc.bold(pc.red(s)), decoded: (s) => pc.yellow(s), dim: (s) => pc.dim(s) };

/**
 * Keys for the session: stdin in raw mode when it is a terminal, plus an injected Ctrl+]
 * when a signal arrives (so SIGINT/SIGTERM end the session through the same clean path).
 * `restore()` puts the terminal back; it is idempotent and also runs on process exit.
 */
function terminalKeys(): { source: KeySource; restore: () => void; signalled: () => NodeJS.Signals | undefined; quit: () => void } {
  const stdin = process.stdin;
  const tty = stdin.isTTY === true;
  const listeners = new Set<(b: Uint8Array) => void>();
  let signal: NodeJS.Signals | undefined;
  const onStdin = (b: Buffer) => listeners.forEach((l) => l(new Uint8Array(b)));
  const onSignal = (s: NodeJS.Signals) => {
    signal ??= s;
    listeners.forEach((l) => l(Uint8Array.of(keys.exit)));
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  signals.forEach((s) => process.on(s, onSignal));
  if (tty) {
    stdin.setRawMode(true);
    stdin.on('data', onStdin);
    stdin.resume();
  }
  let restored = false;
  const restore = () => {
    if (restored) return;
    restored = true;
    signals.forEach((s) => process.off(s, onSignal));
    process.off('exit', restore);
    if (tty) {
      stdin.off('data', onStdin);
      stdin.setRawMode(false);
      stdin.pause();
    }
  };
  process.on('exit', restore);
  return {
    source: {
      onData(l) {
        listeners.add(l);
        return () => listeners.delete(l);
      },
    },
    restore,
    signalled: () => signal,
    /** Ends the session as Ctrl+] does. */
    quit: () => listeners.forEach((l) => l(Uint8Array.of(keys.exit))),
  };
}

/**
 * Monitors an open transport until quit, match, timeout or loss and sets the exit code. The
 * port is closed at the end. Shared by `monitor` and `flash --monitor` (which passes the port
 * name it flashed).
 */
export async function monitorPort(portName: string, baud: number, flags: Omit<MonitorFlags, 'port' | 'baud' | 'project' | 'env'>, first?: ByteTransport): Promise<MonitorResult> {
  const interactive = process.stdin.isTTY === true;
  const warn = (code: string, message: string) => process.stderr.write(`${pc.yellow('warning')}[${code}]: ${message}\n`);
  const until = flags.until !== undefined ? parseUntil(flags.until) : undefined;
  const timeoutMs = flags.timeout !== undefined ? parseDuration(flags.timeout, '--timeout') : undefined;
  if (flags.elf !== undefined && !existsSync(flags.elf)) {
    throw new UserError('monitor.elf-missing', `--elf ${flags.elf} does not exist`, 'build the firmware first (pio run) or point --elf at firmware.elf', exitCodes.usage);
  }
  const addr2line = flags.elf !== undefined ? (flags.addr2line ?? findAddr2line()) : undefined;
  if (flags.elf !== undefined && addr2line === undefined) {
    warn('monitor.no-toolchain', 'no ESP32 addr2line on PATH or in ~/.platformio/packages: backtraces are shown raw (install the toolchain, or pass --addr2line)');
  }
  const transport = first ?? (await openPort(portName, baud, warn));
  const term = terminalKeys();
  // A reader that goes away (`esp-sse monitor | head`) ends the session quietly, exit 0.
  let readerGone = false;
  const onStdoutError = () => {
    readerGone = true;
    term.quit();
  };
  process.stdout.on('error', onStdoutError);
  try {
    process.stderr.write(pc.dim(`--- esp-sse monitor on ${transport.name} at ${baud} baud${interactive ? '; Ctrl+] quit, Ctrl+T h help' : ''}\n`));
    const result = await runMonitor(transport, {
      write: (s) => {
        if (!readerGone) process.stdout.write(s);
      },
      status: (s) => process.stderr.write(s),
      keys: term.source,
      timestamps: flags.timestamps === true,
      resetOnStart: flags.reset === true,
      hex: flags.hex === true,
      ...(flags.log !== undefined ? { logPath: flags.log } : {}),
      ...(flags.elf !== undefined && addr2line !== undefined ? { elf: flags.elf, addr2line } : {}),
      ...(until ? { until } : {}),
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
      ...(flags.reconnect ? { reopen: () => openPort(portName, baud, warn) } : {}),
      ...(interactive ? { idleFlushMs: 100 } : {}),
      ...(process.stdout.isTTY ? { paint: colours } : {}),
    }).catch(async (e: unknown) => {
      // e.g. the log file cannot be written: let go of the port, or it keeps the process alive.
      await transport.close().catch(() => {});
      throw e;
    });
    const signal = term.signalled();
    if (signal) process.exitCode = monitorExitCodes.signal[signal] ?? 1;
    else if (result.reason === 'timeout') {
      process.stderr.write(`error[monitor.timeout]: ${until ? `no line matched /${until.source}/ within ${timeoutMs} ms` : `stopped after --timeout ${timeoutMs} ms`}\n`);
      process.exitCode = monitorExitCodes.timeout;
    } else if (result.reason === 'closed') {
      process.stderr.write(`error[monitor.port-lost]: ${transport.name} closed${result.error ? `: ${result.error.message}` : ''}\n`);
      process.stderr.write('  hint: leave out --no-reconnect to wait for the port to come back\n');
      process.exitCode = monitorExitCodes.lost;
    }
    return result;
  } finally {
    term.restore();
    process.stdout.off('error', onStdoutError);
  }
}

/** `monitor --decode FILE`: decodes the backtraces of a saved log, no port involved. */
async function decodeSavedLog(flags: MonitorFlags): Promise<void> {
  const file = flags.decode!;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UserError('monitor.decode-unreadable', `cannot read ${file}: ${(e as Error).message}`, 'pass a saved serial log, e.g. one written by --log', exitCodes.usage, { cause: e });
  }
  let elf = flags.elf;
  if (elf === undefined) {
    const project = await loadProjectSettings(flags.project, flags.env);
    const built = join(project.buildDir, 'firmware.elf');
    if (existsSync(built)) elf = built;
  }
  if (elf === undefined || !existsSync(elf)) {
    throw new UserError('monitor.elf-missing', elf === undefined ? '--decode needs the firmware ELF and none was found in the build folder' : `--elf ${elf} does not exist`, 'pass --elf path/to/firmware.elf (the build that produced the log)', exitCodes.usage);
  }
  const addr2line = flags.addr2line ?? findAddr2line();
  if (addr2line === undefined) {
    throw new UserError('monitor.no-toolchain', 'no ESP32 addr2line on PATH or in ~/.platformio/packages', 'install the ESP32 toolchain (pio pkg install) or pass --addr2line PATH', exitCodes.usage);
  }
  process.stdout.write(await decodeLog(text, { elf, addr2line, ...(process.stdout.isTTY ? { paint: colours } : {}) }));
}

export function registerMonitor(program: Command): void {
  program
    .command('monitor')
    .description('show the board\'s serial output (Ctrl+] quit, Ctrl+T menu); a pipe for CI with --until/--timeout when stdin is not a terminal')
    .option('-p, --port <port>', 'serial port: /dev/ttyUSB0, COM3, socket://host:port or rfc2217://host:port; default: ESPTOOL_PORT, upload_port, or the only ESP32 adapter', (v: string, prev: string[] | undefined) => [...(prev ?? []), v])
    .option('-b, --baud <rate>', `baud rate; default: monitor_speed from platformio.ini, else ${DEFAULT_MONITOR_BAUD}`)
    .option('--project <dir>', 'PlatformIO project directory (platformio.ini)', '.')
    .option('-e, --env <name>', 'platformio.ini environment (default: default_envs or the first [env:...])')
    .option('--reset', 'reset the board (EN via RTS) once the port is open, to see the boot log from the start')
    .option('--timestamps', 'prefix each line with the wall-clock time (Ctrl+T i toggles)')
    .option('--log <file>', 'also write every line, time-stamped, to FILE (Ctrl+T l toggles)')
    .option('--hex', 'start in the hex view (Ctrl+T a toggles)')
    .option('--elf <file>', 'firmware ELF for decoding panic backtraces (default: firmware.elf of the build folder, if present)')
    .option('--addr2line <path>', 'addr2line to decode with (default: the ESP32 toolchain on PATH or in PlatformIO\'s packages)')
    .option('--until <regex>', 'exit 0 as soon as a line matches')
    .option('--timeout <duration>', 'give up after this long (1500 = ms, or 30s, 2m); exit 1')
    .option('--decode <file>', 'do not open a port: print a saved log (e.g. from --log) with its backtraces decoded (needs --elf or the build folder\'s firmware.elf)')
    .option('--no-reconnect', 'exit (code 5) when the port drops instead of waiting for it to come back')
    .action(async (flags: MonitorFlags) => {
      if (flags.decode !== undefined) return decodeSavedLog(flags);
      const target = await resolveMonitorTarget(flags);
      // The build folder's ELF is used only when a toolchain can decode with it (no warning otherwise).
      const implicitElf = flags.elf === undefined && target.elfDefault !== undefined && (flags.addr2line ?? findAddr2line()) !== undefined;
      await monitorPort(target.port, target.baud, { ...flags, ...(implicitElf ? { elf: target.elfDefault } : {}) });
    });
}

/**
 * `flash --monitor`, before flashing: one board, no `--json` (the log goes to stdout). With the
 * default `--after hard_reset` the flasher leaves the chip alone and the monitor resets it once
 * it is listening, so the boot log is seen from its first line (a reset before the port is
 * handed over would print lines nobody reads). Returns whether the monitor must reset.
 */
export function prepareFlashMonitor(flags: { port?: string[]; all?: boolean; json?: boolean; after: string }): { resetOnStart: boolean } {
  if ((flags.port?.length ?? 0) > 1 || flags.all) {
    throw new UserError('flash.monitor-one-board', '--monitor works on one board, but several ports were given', 'flash them without --monitor, then run esp-sse monitor -p PORT for the one to watch', exitCodes.usage);
  }
  if (flags.json) {
    throw new UserError('flash.monitor-json', '--monitor and --json cannot be combined (the serial log goes to stdout)', 'drop --json, or run esp-sse monitor separately', exitCodes.usage);
  }
  if (flags.after !== 'hard_reset') return { resetOnStart: false };
  flags.after = 'no_reset';
  return { resetOnStart: true };
}

/** `flash --monitor`, after a successful flash: monitor the same port at `monitor_speed` (or 115200). */
export async function monitorAfterFlash(port: string, monitorSpeed: string | undefined, resetOnStart: boolean): Promise<void> {
  const baud = monitorSpeed !== undefined ? parseBaud(monitorSpeed, 'monitor_speed in platformio.ini') : DEFAULT_MONITOR_BAUD;
  await monitorPort(port, baud, { reconnect: true, reset: resetOnStart });
}
