import { HexDumper } from './hex-view.js';
import { LineSplitter } from './line-splitter.js';
import { classifyLine, type PanicLineKind } from './panic.js';
import { formatTimestamp } from './timestamp.js';

/** Colours for highlighted lines; identity functions when colour is off. */
export interface Paint {
  panic(s: string): string;
  decoded(s: string): string;
  dim(s: string): string;
}

export const noPaint: Paint = { panic: (s) => s, decoded: (s) => s, dim: (s) => s };

/** A complete line from the board with its arrival time and panic classification. */
export interface SerialLine {
  text: string;
  at: Date;
  kind: PanicLineKind;
}

/** A completed line with the screen text that shows it ('' in the hex view). */
export interface ShownLine extends SerialLine {
  screen: string;
}

/**
 * What the view produced for one chunk: hex rows (`screen`, '' in the text view) and the
 * completed lines, each with its own screen text so a caller can stop after any of them.
 */
export interface ViewOutput {
  screen: string;
  lines: ShownLine[];
}

/**
 * Turns received bytes into screen text (pure; time is passed in). Text view: lines get an
 * optional wall-clock prefix, panic and backtrace lines are highlighted, other lines pass
 * through untouched; an unterminated tail is shown at idle (`idle()`) and completed later
 * without repeating it. Hex view: 16-byte rows. Completed lines are always reported, in both
 * views, for the log file, `--until` and backtrace decoding.
 */
export class MonitorView {
  timestamps: boolean;
  private hex: HexDumper | undefined;
  private readonly splitter = new LineSplitter();
  /** Characters of the pending line already on screen. */
  private shown = 0;

  constructor(private readonly paint: Paint = noPaint, opts: { timestamps?: boolean; hex?: boolean } = {}) {
    this.timestamps = opts.timestamps ?? false;
    if (opts.hex) this.hex = new HexDumper();
  }

  get hexView(): boolean {
    return this.hex !== undefined;
  }

  /** Switches the hex view; returns screen text that finishes the current row/line. */
  setHex(on: boolean): string {
    let out = '';
    if (!on && this.hex) {
      const last = this.hex.flush();
      if (last !== undefined) out += last + '\n';
      this.hex = undefined;
    } else if (on && !this.hex) {
      if (this.shown > 0) out += '\n';
      this.shown = 0;
      this.hex = new HexDumper();
    }
    return out;
  }

  private prefix(at: Date): string {
    return this.timestamps ? this.paint.dim(formatTimestamp(at)) + ' ' : '';
  }

  private render(line: SerialLine): string {
    const body = line.kind === 'normal' ? line.text : this.paint.panic(line.text);
    if (this.shown > 0) {
      // The start of this line is on screen already (idle flush); finish it.
      const rest = line.text.slice(this.shown);
      this.shown = 0;
      return (line.kind === 'normal' ? rest : this.paint.panic(rest)) + '\n';
    }
    return this.prefix(line.at) + body + '\n';
  }

  push(chunk: Uint8Array, at: Date): ViewOutput {
    const lines = this.splitter.push(chunk).map((text): SerialLine => ({ text, at, kind: classifyLine(text) }));
    if (this.hex) {
      this.shown = 0;
      return { screen: this.hex.push(chunk).map((r) => r + '\n').join(''), lines: lines.map((l) => ({ ...l, screen: '' })) };
    }
    return { screen: '', lines: lines.map((l) => ({ ...l, screen: this.render(l) })) };
  }

  /** At idle: puts the not-yet-shown part of an unterminated line on screen. */
  idle(at: Date): string {
    if (this.hex) return '';
    const pending = this.splitter.pending.replace(/\r$/, '');
    if (pending.length <= this.shown) return '';
    const out = (this.shown === 0 ? this.prefix(at) : '') + pending.slice(this.shown);
    this.shown = pending.length;
    return out;
  }

  /** At the end: the rest of an unterminated line (as a line) and the last hex row. */
  end(at: Date): ViewOutput {
    const tail = this.splitter.flush();
    let screen = '';
    if (this.hex) {
      const last = this.hex.flush();
      if (last !== undefined) screen += last + '\n';
    }
    if (tail === undefined) return { screen: screen + (this.shown > 0 ? '\n' : ''), lines: [] };
    const line: SerialLine = { text: tail, at, kind: classifyLine(tail) };
    return { screen, lines: [{ ...line, screen: this.hex ? '' : this.render(line) }] };
  }

  /** Text to print a status line cleanly (ends an on-screen partial line first). */
  status(text: string): string {
    const nl = this.shown > 0 ? '\n' : '';
    // The partial line is still pending; it will be re-shown from its start with the rest.
    this.shown = 0;
    return `${nl}${this.paint.dim(text)}\n`;
  }
}
