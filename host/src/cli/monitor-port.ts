/**
 * One monitor session on one port, as `monitor` and `flash --monitor` run it: opening the port
 * (waiting for it with `--open-port-attempts`), the terminal in raw mode with signals turned
 * into Ctrl+], lending the port to esp-sse flasher commands, and the exit code.
 */
import pc from 'picocolors';
import { exitCodes, signalExitCodes, UserError } from '../errors.js';
import { keys, MenuKeys, runMonitor, type KeySource, type MonitorResult, type Paint } from '../monitor/index.js';
import { OPEN_RETRY_DELAY_MS, openWithAttempts } from '../transport/open-attempts.js';
import { createTransport } from '../transport/open-port.js';
import { PortLender } from '../transport/port-handover-server.js';
import type { ByteTransport } from '../transport/types.js';
import type { SessionSettings } from './monitor-options.js';
import { printError, printWarning } from './warn.js';

/** What one monitor session does: the shared session options plus the view and the reset. */
export interface MonitorSettings extends SessionSettings {
  hex?: boolean;
  /** Reset the board (EN via RTS) once the port is open. */
  reset?: boolean;
  /** Hand the port to an esp-sse flasher command that asks for it, and take it back after (default true). */
  lend?: boolean;
}

const openHint = 'check the cable and the port name (esp-sse ports lists them), and that no other program holds it; --open-port-attempts 0 waits for a port that is not there yet';

/** Creates and opens a transport; failures are `monitor.port-open` (exit 3) naming the port. */
export async function openPort(name: string, baud: number, warn: (code: string, message: string) => void): Promise<ByteTransport> {
  const t = createTransport(name, { baudRate: baud, warn });
  try {
    await t.open();
  } catch (e) {
    throw new UserError('monitor.port-open', `cannot open ${name}: ${(e as Error).message}`, openHint, exitCodes.port, { cause: e });
  }
  return t;
}

/**
 * Opens the port, waiting for it as esp-idf-monitor's `--open-port-attempts` does: `attempts`
 * opens (0 = no limit), {@link OPEN_RETRY_DELAY_MS} apart, one status line while waiting (and
 * another only when the reason changes). Returns undefined when `signal` aborted with reason
 * `quit`; a port that never opened is `monitor.port-open` (exit 3).
 */
export async function openPortWaiting(name: string, baud: number, o: {
  attempts: number;
  warn: (code: string, message: string) => void;
  status: (line: string) => void;
  signal: AbortSignal;
  quitKey: string;
  timeoutMs?: number;
}): Promise<ByteTransport | undefined> {
  createTransport(name); // a bad port name fails here, once, before any waiting
  let shown: string | undefined;
  const outcome = await openWithAttempts(async () => {
    const t = createTransport(name, { baudRate: baud, warn: o.warn });
    await t.open();
    return t;
  }, {
    attempts: o.attempts,
    signal: o.signal,
    onRetry: ({ error }) => {
      if (shown === undefined) {
        const limit = o.attempts === 0 ? '' : `, ${o.attempts} attempts in all`;
        o.status(`waiting for ${name}: ${error.message}; trying every ${OPEN_RETRY_DELAY_MS / 1000} s${limit} (${o.quitKey} to quit)`);
      } else if (shown !== error.message) o.status(`still waiting for ${name}: ${error.message}`);
      shown = error.message;
    },
  });
  switch (outcome.kind) {
    case 'open':
      if (outcome.attempts > 1) o.status(`${name} opened on attempt ${outcome.attempts}`);
      return outcome.transport;
    case 'failed': {
      const after = outcome.attempts > 1 ? ` after ${outcome.attempts} attempts` : '';
      throw new UserError('monitor.port-open', `cannot open ${name}${after}: ${outcome.error.message}`, openHint, exitCodes.port, { cause: outcome.error });
    }
    case 'aborted':
      if (o.signal.reason !== 'timeout') return undefined;
      throw new UserError('monitor.port-open', `${name} did not open within --timeout ${o.timeoutMs} ms (${outcome.attempts} attempts${outcome.error ? `; last: ${outcome.error.message}` : ''})`, openHint, exitCodes.port, { cause: outcome.error });
  }
}

export const colours: Paint = { panic: (s) => pc.bold(pc.red(s)), decoded: (s) => pc.yellow(s), dim: (s) => pc.dim(s) };

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
 * Monitors a port until quit, match, timeout or loss and sets the exit code: opens it (waiting
 * for it with `--open-port-attempts`), or takes `first` over. The port is closed at the end.
 * Shared by `monitor` and `flash --monitor` (which passes the port name it flashed).
 * `--timeout` counts from here, so it bounds the wait for the port too.
 */
export async function monitorPort(portName: string, baud: number, s: MonitorSettings, first?: ByteTransport): Promise<MonitorResult> {
  const started = Date.now();
  const interactive = process.stdin.isTTY === true;
  const warn = (code: string, message: string) => printWarning(code, message);
  if (s.elf !== undefined && s.addr2line === undefined) {
    warn('monitor.no-toolchain', 'no ESP32 addr2line on PATH or in ~/.platformio/packages: backtraces are shown raw (install the toolchain, or pass --addr2line)');
  }
  const term = terminalKeys();
  // A reader that goes away (`esp-sse monitor | head`) ends the session with its own exit code.
  let readerGone = false;
  const onStdoutError = () => {
    readerGone = true;
    term.quit();
  };
  process.stdout.on('error', onStdoutError);
  let lender: PortLender | undefined;
  try {
    const transport = first ?? (await openWhileListening(portName, baud, s, term.source, warn, interactive));
    if (!transport) {
      // Quit (key or signal) while waiting for the port.
      const signal = term.signalled();
      if (signal) process.exitCode = signalExitCodes[signal] ?? exitCodes.unmet;
      return { reason: 'exit' };
    }
    // Listening before the banner: a flasher started once the banner is out finds the monitor.
    if (s.lend !== false) lender = await PortLender.listen(portName, { holder: process.title || 'esp-sse monitor', warn: printWarning });
    const timeoutMs = s.timeoutMs !== undefined ? Math.max(1, s.timeoutMs - (Date.now() - started)) : undefined;
    process.stderr.write(pc.dim(`--- esp-sse monitor on ${transport.name} at ${baud} baud${interactive ? '; Ctrl+] quit, Ctrl+T h help' : ''}\n`));
    const result = await runMonitor(transport, {
      write: (text) => {
        if (!readerGone) process.stdout.write(text);
      },
      status: (text) => process.stderr.write(text),
      keys: term.source,
      timestamps: s.timestamps,
      resetOnStart: s.reset === true,
      hex: s.hex === true,
      ...(s.log !== undefined ? { logPath: s.log } : {}),
      // The ELF alone still checks the board's ELF checksum; decoding needs addr2line too.
      ...(s.elf !== undefined ? { elf: s.elf } : {}),
      ...(s.elf !== undefined && s.addr2line !== undefined ? { addr2line: s.addr2line } : {}),
      ...(s.until ? { until: s.until } : {}),
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
      ...(s.reconnect ? { reopen: () => openPort(portName, baud, warn) } : {}),
      ...(lender ? { loans: { source: lender, reopen: () => openPort(portName, baud, warn) } } : {}),
      ...(interactive ? { idleFlushMs: 100 } : {}),
      ...(process.stdout.isTTY ? { paint: colours } : {}),
    }).catch(async (e: unknown) => {
      // e.g. the log file cannot be written: let go of the port, or it keeps the process alive.
      await transport.close().catch(() => {});
      throw e;
    });
    // The last line (the `--until` match) may be the write that found the pipe closed.
    await stdoutSettled();
    const signal = term.signalled();
    if (signal) process.exitCode = signalExitCodes[signal] ?? exitCodes.unmet;
    else if (readerGone) {
      printError({ code: 'monitor.stdout-closed', message: 'stdout was closed (the program reading it ended); monitor stopped' });
      process.exitCode = exitCodes.stdoutClosed;
    } else if (result.reason === 'timeout') {
      printError({ code: 'monitor.timeout', message: s.until ? `no line matched /${s.until.source}/ within ${s.timeoutMs} ms` : `stopped after --timeout ${s.timeoutMs} ms` });
      process.exitCode = exitCodes.unmet;
    } else if (result.reason === 'closed') {
      printError({ code: 'monitor.port-lost', message: `${transport.name} closed${result.error ? `: ${result.error.message}` : ''}`, hint: 'leave out --no-reconnect to wait for the port to come back' });
      process.exitCode = exitCodes.connectionLost;
    }
    return result;
  } finally {
    await lender?.close();
    term.restore();
    process.stdout.off('error', onStdoutError);
  }
}

/**
 * Resolves once what was written to stdout has gone out or failed, and a failure's `error`
 * event has run (a closed pipe fails the write, then reports it on a later tick).
 */
function stdoutSettled(): Promise<void> {
  return new Promise((resolve) => {
    const next = () => setImmediate(resolve);
    if (process.stdout.destroyed || !process.stdout.writable) next();
    else process.stdout.write('', next);
  });
}

/** {@link openPortWaiting} with the quit keys (and signals, which arrive as Ctrl+]) and `--timeout` able to stop the wait. */
async function openWhileListening(portName: string, baud: number, s: MonitorSettings, keySource: KeySource, warn: (code: string, message: string) => void, interactive: boolean): Promise<ByteTransport | undefined> {
  const stop = new AbortController();
  const menu = new MenuKeys();
  const unsubscribe = keySource.onData((bytes) => {
    if (menu.feed(bytes).some((a) => a.type === 'exit')) stop.abort('quit');
  });
  const deadline = s.timeoutMs !== undefined ? setTimeout(() => stop.abort('timeout'), s.timeoutMs) : undefined;
  try {
    return await openPortWaiting(portName, baud, {
      attempts: s.openPortAttempts,
      warn,
      status: (line) => process.stderr.write(pc.dim(`--- ${line}\n`)),
      signal: stop.signal,
      quitKey: interactive ? 'Ctrl+]' : 'Ctrl+C',
      ...(s.timeoutMs !== undefined ? { timeoutMs: s.timeoutMs } : {}),
    });
  } finally {
    clearTimeout(deadline);
    unsubscribe();
  }
}
