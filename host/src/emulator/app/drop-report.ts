/**
 * Reports work the host had to drop (missed loop passes, superseded broadcasts) without a line
 * per drop: at once the first time, then at most every `everyMs` of the given clock, each time
 * with the count dropped since the last report.
 */
export class DropReport {
  private unreported = 0;
  private last = -Infinity;

  constructor(
    private readonly report: (dropped: number) => void,
    private readonly everyMs = 10_000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** `count` more were dropped. */
  add(count: number): void {
    this.unreported += count;
    const t = this.now();
    if (t - this.last < this.everyMs) return;
    this.last = t;
    const dropped = this.unreported;
    this.unreported = 0;
    this.report(dropped);
  }
}

/**
 * The `emulate.loop-behind` message, for either app: `what` the host fell behind and dropped,
 * the clients connected, and the remedy while the event streams have no writer processes.
 */
export function loopBehindMessage(what: string, clients: number, sseWriters: number | undefined): string {
  return `the host fell behind ${what} (${clients} client${clients === 1 ? '' : 's'} connected)`
    + (sseWriters ? '' : '; --sse-writers 2 writes the event streams from two more processes');
}
