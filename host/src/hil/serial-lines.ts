import type { ByteTransport } from '../transport/types.js';
import { LineSplitter } from '../monitor/line-splitter.js';
import { waitOn } from './wait-on.js';

/** Collects serial lines from a transport so a check can wait for one. */
export class SerialLineLog {
  readonly lines: string[] = [];
  private readonly splitter = new LineSplitter();
  private readonly waiters = new Set<() => void>();
  private readonly off: () => void;
  private cursor = 0;

  constructor(transport: ByteTransport) {
    this.off = transport.onData((d) => {
      this.lines.push(...this.splitter.push(d));
      this.waiters.forEach((w) => w());
    });
  }

  /** Starts a new window: `waitFor` only looks at lines that arrive from now on. */
  mark(): void {
    this.cursor = this.lines.length;
  }

  /** Lines since the last `mark()`. */
  sinceMark(): string[] {
    return this.lines.slice(this.cursor);
  }

  /** Resolves with the first line since the mark that matches; rejects after `timeoutMs`. */
  waitFor(match: (line: string) => boolean, timeoutMs: number): Promise<string> {
    return waitOn(this.waiters, () => {
      const hit = this.sinceMark().find(match);
      return hit === undefined ? undefined : { value: hit };
    }, timeoutMs, () => new Error(`not seen within ${timeoutMs} ms`));
  }

  close(): void {
    this.off();
  }
}
