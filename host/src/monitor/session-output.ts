import { formatFrames, isUnknown, runAddr2line } from './addr2line.js';
import { ElfIdentity, printedElfSha256 } from './elf-identity.js';
import type { LogFile } from './log-file.js';
import { parseBacktrace } from './panic.js';
import { formatTimestamp, type Clock } from './timestamp.js';
import type { MonitorView, Paint, SerialLine } from './view.js';

/** Runs `fn` after `ms`; the returned function cancels it. Injected so a session needs no real timers in tests. */
export type Scheduler = (ms: number, fn: () => void) => () => void;

export const realScheduler: Scheduler = (ms, fn) => {
  const timer = setTimeout(fn, ms);
  return () => clearTimeout(timer);
};

/** What {@link SessionOutput} writes to and decodes with. */
export interface OutputOptions {
  /** Serial output for the screen/stdout. */
  write: (text: string) => void;
  /** Status lines for stderr. */
  status: (text: string) => void;
  view: MonitorView;
  paint: Paint;
  clock: Clock;
  schedule: Scheduler;
  log?: LogFile;
  elf?: string;
  addr2line?: string;
  until?: RegExp;
  /** Show an unterminated line after this much quiet; 0/absent = only whole lines. */
  idleFlushMs?: number;
}

/**
 * The session's output side: received bytes through the view to the screen and the log file,
 * backtrace decoding and the ELF checksum check, status lines and the menu's toggles. It knows
 * nothing of ports or of the session's state.
 */
export class SessionOutput {
  // While a backtrace is being decoded, later output waits in this chain so the decoded
  // frames appear right under their Backtrace line (the board keeps printing meanwhile).
  private chain: Promise<void> = Promise.resolve();
  private decoding = 0;
  private cancelIdle: (() => void) | undefined;
  private readonly identity: ElfIdentity | undefined;

  constructor(private readonly o: OutputOptions) {
    // The board's `ELF file SHA256:` lines against the ELF we decode with (esp-idf-monitor's check).
    this.identity = o.elf ? new ElfIdentity(o.elf) : undefined;
  }

  /**
   * Shows, logs and decodes the lines in `chunk`; stops at the first line that matches `until`
   * and returns it (the lines after it are not shown).
   */
  push(chunk: Uint8Array): string | undefined {
    const { view, clock } = this.o;
    const out = view.push(chunk, clock());
    this.show(out.screen);
    for (const line of out.lines) {
      this.show(line.screen);
      this.logLine(line);
      this.decode(line);
      this.checkElf(line);
      if (this.o.until?.test(line.text)) return line.text;
    }
    if (this.o.idleFlushMs) {
      this.cancelIdle?.();
      this.cancelIdle = this.o.schedule(this.o.idleFlushMs, () => this.show(view.idle(clock())));
    }
    return undefined;
  }

  /** A `--- text` status line. */
  say(text: string): void {
    this.o.status(this.o.view.status(`--- ${text}`));
  }

  /** The menu's switches; each says its new setting. */
  toggle(what: 'timestamps' | 'hex' | 'log'): void {
    const { view, log } = this.o;
    if (what === 'timestamps') {
      view.timestamps = !view.timestamps;
      return this.say(`timestamps ${view.timestamps ? 'on' : 'off'}`);
    }
    if (what === 'hex') {
      this.show(view.setHex(!view.hexView));
      return this.say(`hex view ${view.hexView ? 'on' : 'off'}`);
    }
    if (!log) return this.say('no log file: start with --log FILE');
    if (log.active) log.stop();
    else log.start();
    this.say(`logging to ${log.path} ${log.active ? 'on' : 'off'}`);
  }

  /** Shows the rest of an unterminated line; resolves once decoding is done and the log file is closed. */
  async end(): Promise<void> {
    this.cancelIdle?.();
    const end = this.o.view.end(this.o.clock());
    this.show(end.screen + end.lines.map((l) => l.screen).join(''));
    end.lines.forEach((l) => this.logLine(l));
    await this.chain;
    this.o.log?.stop();
  }

  private emit(fn: () => void): void {
    if (this.decoding === 0) fn();
    else this.chain = this.chain.then(fn);
  }

  private show(text: string): void {
    if (text) this.emit(() => this.o.write(text));
  }

  private logLine(l: SerialLine): void {
    // Through the same queue as the screen, so decoded frames sit under their line in the log too.
    const { log } = this.o;
    if (log) this.emit(() => log.write(`${formatTimestamp(l.at)} ${l.text}`));
  }

  /**
   * Lines found out about a line after it is shown (decoded frames, an ELF checksum warning):
   * `work` runs in the output chain, so they appear right under it, on screen and in the log.
   */
  private annotate(failure: string, paintLine: (s: string) => string, work: () => Promise<string[]>): void {
    this.decoding++;
    this.chain = this.chain.then(async () => {
      try {
        const lines = await work();
        if (lines.length === 0) return;
        this.o.write(lines.map((t) => paintLine(t) + '\n').join(''));
        lines.forEach((t) => this.o.log?.write(t));
      } catch (e) {
        this.say(`${failure}: ${(e as Error).message}`);
      } finally {
        this.decoding--;
      }
    });
  }

  private checkElf(line: SerialLine): void {
    const identity = this.identity;
    if (!identity || printedElfSha256(line.text) === undefined) return;
    this.annotate('ELF checksum not checked', this.o.paint.panic, async () => {
      const warning = await identity.check(line.text);
      return warning ? [warning] : [];
    });
  }

  private decode(line: SerialLine): void {
    const { elf, addr2line } = this.o;
    if (!elf || !addr2line || line.kind !== 'backtrace') return;
    const addresses = parseBacktrace(line.text);
    if (addresses.length === 0) return;
    this.annotate('backtrace not decoded', this.o.paint.decoded, async () => {
      const frames = await runAddr2line(addr2line, elf, addresses);
      return frames.every(isUnknown) ? [] : formatFrames(frames);
    });
  }
}
