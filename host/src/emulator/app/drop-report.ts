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
