/**
 * Time for the virtual board. `millis()` is arduino-esp32's
 * `(unsigned long)(esp_timer_get_time() / 1000)`: milliseconds since boot as a uint32 that
 * wraps to 0 after 2^32 ms (wire doc §7). A start offset (`--boot-millis`) makes the wrap
 * reachable in a test; the time source is injectable so tests need no wall clock.
 */

/** A monotonic millisecond time source (fractional allowed), e.g. `performance.now`. */
export type TimeSource = () => number;

export const systemTime: TimeSource = () => performance.now();

export class MillisClock {
  private bootAt: number;

  constructor(
    private readonly now: TimeSource = systemTime,
    /** `millis()` right after boot; added modulo 2^32. */
    readonly bootMillis = 0,
  ) {
    this.bootAt = now();
  }

  /** Restarts the count, as a reset does. */
  restart(): void {
    this.bootAt = this.now();
  }

  /** Milliseconds since the last (re)start, fractional, without the offset. */
  msSinceBoot(): number {
    return this.now() - this.bootAt;
  }

  /** Milliseconds since boot plus the offset, as uint32. */
  millis(): number {
    return (Math.floor(this.now() - this.bootAt) + this.bootMillis) % 0x1_0000_0000;
  }
}
