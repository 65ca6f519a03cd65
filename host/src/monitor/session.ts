import type { LendHandler, LoanSource } from '../transport/port-handover.js';
import type { ByteTransport } from '../transport/types.js';
import { formatFrames, isUnknown, runAddr2line } from './addr2line.js';
import { ElfIdentity, printedElfSha256 } from './elf-identity.js';
import { LogFile } from './log-file.js';
import { MenuKeys, menuHelp, type MenuAction } from './menu.js';
import { parseBacktrace } from './panic.js';
import { playReset, realSleep, resetSequences, type Sleep } from './reset.js';
import { formatTimestamp, type Clock } from './timestamp.js';
import { MonitorView, noPaint, type Paint, type SerialLine } from './view.js';

/** Why {@link runMonitor} returned. */
export type MonitorEnd = 'exit' | 'until' | 'timeout' | 'closed';

/** Result of a monitor session. */
export interface MonitorResult {
  reason: MonitorEnd;
  /** The line that matched `until`. */
  matched?: string;
  /** The error that closed the port when reconnecting was off (reason `closed`). */
  error?: Error;
}

/** A source of key presses (the terminal in raw mode); absent in pipe mode. */
export interface KeySource {
  onData(listener: (bytes: Uint8Array) => void): () => void;
}

/** Options of {@link runMonitor}. */
export interface MonitorOptions {
  /** Serial output for the screen/stdout. */
  write: (text: string) => void;
  /** Diagnostics (`--- reconnecting …`) for stderr. */
  status?: (text: string) => void;
  keys?: KeySource;
  timestamps?: boolean;
  hex?: boolean;
  /** Log file; logging starts on when given (Ctrl+T l toggles it). */
  logPath?: string;
  /** ELF for backtrace decoding, and the addr2line to use (both needed to decode). */
  elf?: string;
  addr2line?: string;
  /** Ends the session (reason `until`) at the first complete line that matches. */
  until?: RegExp;
  /** Ends the session (reason `timeout`) after this many ms. */
  timeoutMs?: number;
  /**
   * Reopens the port after it dropped (unplug, reset of a native-USB board, emulator restart).
   * Without it a dropped port ends the session with reason `closed`.
   */
  reopen?: () => Promise<ByteTransport>;
  /**
   * Lends the port to an esp-sse flasher that asks (transport/port-handover.ts): closes it,
   * waits for the flasher to end, reopens it with `reopen` (retrying, also without `--reconnect`)
   * and resets the board when the flasher left its hard reset to the monitor.
   */
  loans?: { source: LoanSource; reopen: () => Promise<ByteTransport> };
  /** Delay between reopen attempts (esp-idf-monitor: 0.5 s). */
  reconnectDelayMs?: number;
  /** Show an unterminated line after this much quiet (interactive); 0 = only whole lines. */
  idleFlushMs?: number;
  /** Reset the board (EN pulse) once listening, to see its boot log from the start. */
  resetOnStart?: boolean;
  /** Leave the transport open at the end (the caller owns it); default: close it. */
  keepOpen?: boolean;
  paint?: Paint;
  clock?: Clock;
  sleep?: Sleep;
  /** Called when a port was reopened after a drop (tests, status bars). */
  onReconnect?: (transport: ByteTransport) => void;
}

/**
 * Runs the serial monitor on an already-open transport until the user exits, `until` matches,
 * `timeoutMs` passes or the port drops for good. This is also what `flash --monitor` calls to
 * take the port over from the flasher without closing it in between.
 */
export function runMonitor(transport: ByteTransport, options: MonitorOptions): Promise<MonitorResult> {
  const clock = options.clock ?? (() => new Date());
  const sleep = options.sleep ?? realSleep;
  const paint = options.paint ?? noPaint;
  const status = options.status ?? options.write;
  const view = new MonitorView(paint, { timestamps: options.timestamps ?? false, hex: options.hex ?? false });
  const menu = new MenuKeys();
  const log = options.logPath ? new LogFile(options.logPath) : undefined;
  let current = transport;
  let done = false;
  let unsubscribe: Array<() => void> = [];
  let keySub: (() => void) | undefined;
  let idleTimer: NodeJS.Timeout | undefined;
  let timeoutTimer: NodeJS.Timeout | undefined;
  let offLoans: (() => void) | undefined;
  // Port handover: who has the port while it is lent; `epoch` ends the reopen loops of an
  // earlier state when the port is lent again; `opening` is the reopen in flight.
  let lentTo: string | undefined;
  let epoch = 0;
  let opening: Promise<unknown> = Promise.resolve();
  // While a backtrace is being decoded, later output waits in this chain so the decoded
  // frames appear right under their Backtrace line (the board keeps printing meanwhile).
  let outChain: Promise<void> = Promise.resolve();
  let decoding = 0;
  const emit = (fn: () => void) => {
    if (decoding === 0) fn();
    else outChain = outChain.then(fn);
  };
  const show = (text: string) => {
    if (text) emit(() => options.write(text));
  };

  return new Promise<MonitorResult>((resolve) => {
    const say = (text: string) => status(view.status(`--- ${text}`));

    const finish = (result: MonitorResult) => {
      if (done) return;
      done = true;
      clearTimeout(idleTimer);
      clearTimeout(timeoutTimer);
      unsubscribe.forEach((u) => u());
      unsubscribe = [];
      keySub?.();
      offLoans?.();
      const end = view.end(clock());
      show(end.screen + end.lines.map((l) => l.screen).join(''));
      end.lines.forEach(logLine);
      void outChain.then(async () => {
        log?.stop();
        if (!options.keepOpen) await current.close().catch(() => {});
        resolve(result);
      });
    };

    function logLine(l: SerialLine) {
      // Through the same queue as the screen, so decoded frames sit under their line in the log too.
      if (log) emit(() => log.write(`${formatTimestamp(l.at)} ${l.text}`));
    }

    // Lines found out about a line after it is shown (decoded frames, an ELF checksum warning):
    // `work` runs in the output chain, so they appear right under it, on screen and in the log.
    const annotate = (failure: string, paintLine: (s: string) => string, work: () => Promise<string[]>) => {
      decoding++;
      outChain = outChain.then(async () => {
        try {
          const lines = await work();
          if (lines.length === 0) return;
          options.write(lines.map((t) => paintLine(t) + '\n').join(''));
          lines.forEach((t) => log?.write(t));
        } catch (e) {
          say(`${failure}: ${(e as Error).message}`);
        } finally {
          decoding--;
        }
      });
    };

    // The board's `ELF file SHA256:` lines against the ELF we decode with (esp-idf-monitor's check).
    const identity = options.elf ? new ElfIdentity(options.elf) : undefined;
    const checkElf = (line: SerialLine) => {
      if (!identity || printedElfSha256(line.text) === undefined) return;
      annotate('ELF checksum not checked', paint.panic, async () => {
        const warning = await identity.check(line.text);
        return warning ? [warning] : [];
      });
    };

    const decode = (line: SerialLine) => {
      if (!options.elf || !options.addr2line || line.kind !== 'backtrace') return;
      const addresses = parseBacktrace(line.text);
      if (addresses.length === 0) return;
      const { elf, addr2line } = options;
      annotate('backtrace not decoded', paint.decoded, async () => {
        const frames = await runAddr2line(addr2line, elf, addresses);
        return frames.every(isUnknown) ? [] : formatFrames(frames);
      });
    };

    const onData = (chunk: Uint8Array) => {
      if (done) return;
      const out = view.push(chunk, clock());
      show(out.screen);
      for (const line of out.lines) {
        show(line.screen);
        logLine(line);
        decode(line);
        checkElf(line);
        if (options.until?.test(line.text)) return finish({ reason: 'until', matched: line.text });
      }
      if (options.idleFlushMs) {
        clearTimeout(idleTimer);
        idleTimer = setTimeout(() => {
          const s = view.idle(clock());
          show(s);
        }, options.idleFlushMs);
      }
    };

    const onClose = (error?: Error) => {
      if (done) return;
      unsubscribe.forEach((u) => u());
      unsubscribe = [];
      if (!error) return finish({ reason: 'closed' });
      if (!options.reopen) return finish({ reason: 'closed', error });
      void reconnect(error);
    };

    const attach = (t: ByteTransport) => {
      current = t;
      unsubscribe.push(t.onData(onData), t.onClose(onClose));
    };

    /** Reopens until it works, the session ends or the port is lent (a newer epoch); undefined then. */
    async function reopenUntilBack(open: () => Promise<ByteTransport>, firstDelay: boolean, onFail: (e: Error) => void = () => {}): Promise<ByteTransport | undefined> {
      const mine = epoch;
      for (let first = true; ; first = false) {
        if (!first || firstDelay) await sleep(options.reconnectDelayMs ?? 500);
        if (done || epoch !== mine) return undefined;
        const attempt = (async () => {
          const t = await open();
          if (!done && epoch === mine) return t;
          await t.close().catch(() => {});
          return undefined;
        })();
        opening = attempt.catch(() => undefined);
        try {
          return await attempt;
        } catch (e) {
          onFail(e as Error);
        }
      }
    }

    async function reconnect(error: Error) {
      say(`${current.name} lost (${error.message}); waiting for it to come back (Ctrl+] to quit)`);
      const t = await reopenUntilBack(options.reopen!, true);
      if (!t) return;
      attach(t);
      say(`reconnected to ${t.name}`);
      options.onReconnect?.(t);
    }

    const lend: LendHandler = async (request, back) => {
      if (done) return 'the monitor is ending';
      if (lentTo !== undefined) return `the port is lent to ${lentTo}`;
      const who = `${request.client} (pid ${request.pid})`;
      lentTo = who;
      epoch++;
      unsubscribe.forEach((u) => u());
      unsubscribe = [];
      await opening;
      await current.close().catch(() => {});
      say(`port released to ${who}; waiting for it to finish`);
      void back.then(async (r) => {
        lentTo = undefined;
        let told = false;
        const t = await reopenUntilBack(options.loans!.reopen, false, (e) => {
          if (!told) say(`waiting for ${current.name} to come back from ${request.client}: ${e.message}`);
          told = true;
        });
        if (!t) return;
        attach(t);
        say(`port back from ${request.client}${r.finished ? '' : ' (it ended without handing the port back)'}`);
        if (r.reset) await act({ type: 'reset' });
      });
      return undefined;
    };

    const act = async (a: MenuAction) => {
      switch (a.type) {
        case 'send':
          if (current.isOpen) await current.write(a.bytes).catch(() => {});
          return;
        case 'exit':
          return finish({ reason: 'exit' });
        case 'reset':
          say('reset');
          return playReset(current, resetSequences.hard, sleep).catch((e: Error) => say(`reset failed: ${e.message}`));
        case 'bootloader':
          say('reset into the bootloader');
          return playReset(current, resetSequences.bootloader, sleep).catch((e: Error) => say(`reset failed: ${e.message}`));
        case 'toggle-timestamps':
          view.timestamps = !view.timestamps;
          return say(`timestamps ${view.timestamps ? 'on' : 'off'}`);
        case 'toggle-hex':
          show(view.setHex(!view.hexView));
          return say(`hex view ${view.hexView ? 'on' : 'off'}`);
        case 'toggle-log':
          if (!log) return say('no log file: start with --log FILE');
          if (log.active) log.stop();
          else log.start();
          return say(`logging to ${log.path} ${log.active ? 'on' : 'off'}`);
        case 'help':
          return say(menuHelp());
        case 'unknown-menu-key':
          return say(`unknown menu key 0x${a.key.toString(16)}; Ctrl+T h for help`);
      }
    };

    // Throwing here (log file not writable) rejects the promise with the UserError.
    log?.start();
    attach(transport);
    if (options.keys) {
      let queue = Promise.resolve();
      keySub = options.keys.onData((bytes) => {
        for (const a of menu.feed(bytes)) queue = queue.then(() => act(a));
      });
    }
    offLoans = options.loans?.source.onRequest(lend);
    if (options.timeoutMs !== undefined) timeoutTimer = setTimeout(() => finish({ reason: 'timeout' }), options.timeoutMs);
    if (!transport.isOpen) onClose(new Error('port is not open'));
    else if (options.resetOnStart) void act({ type: 'reset' });
  });
}
