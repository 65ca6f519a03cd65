/**
 * The virtual ESP32: flash, UART output, clock and the app, with power and reset.
 * `reset()` is what the EN pin does: the app stops (its HTTP listener and every connection
 * go away, as on a reboot), the clock restarts and the board boots again. The boot stage is
 * pluggable so the bootloader model (partition table, app image, SPIFFS from flash) and the
 * ROM download mode can hook in.
 */
import { Flash } from './flash.js';
import { MillisClock, systemTime, type TimeSource } from './clock.js';
import { SerialOut } from './serial-out.js';
import type { FileSource } from './app/file-source.js';
import type { LoopTimer } from './app/loop-scheduler.js';
import type { WarnFn } from '../errors.js';
import { runSketch, type RunningSketch, type SketchOptions } from './app/sketch.js';
import type { HttpServerTuning } from './http/web-server.js';
import type { SseWriterProgram } from './http/sse-writer-pool.js';
import type { ResetReason } from './boot/rom-boot.js';
import { boardMaxActiveTcp, defaultProfileId, profiles, type ProfileId, type WireProfile } from '../protocol/http-profiles.js';
import type { PartitionEntry } from '../formats/partition-types.js';

/**
 * A boot that does not reach the app and loops as a chip does: `repeat` is printed `times` more
 * times, `everyMs` apart; `afterMs` after the last one the chip resets with `reset` and boots
 * again (the ROM's `invalid header` lines until the RTC watchdog fires; a bootloader that finds
 * no app resets by software).
 */
export interface BootLoop {
  readonly repeat: string;
  readonly times: number;
  readonly everyMs: number;
  readonly afterMs: number;
  readonly reset: ResetReason;
}

/**
 * What the boot stage decided: run the app with this filesystem, or stay halted (blank flash,
 * download mode). `spiffsLog`: why SPIFFS did not mount (the line `SPIFFS.begin()` prints);
 * `partitions`: the table the bootloader read, from which `LittleFS.begin()` mounts.
 */
export type BootOutcome =
  | { readonly run: true; readonly files: FileSource | undefined; readonly spiffsLog?: string; readonly partitions?: readonly PartitionEntry[] }
  | { readonly run: false; readonly loop?: BootLoop };

/** Runs before the app on every power-on/reset (prints boot lines, mounts the filesystem). */
export type BootStage = (board: VirtualBoard, reason: ResetReason) => Promise<BootOutcome>;

/**
 * What runs as the board's app after a boot: the TypeScript model of the shipped sketch
 * (`runSketch`, the default) or the user's compiled sketch (`runNativeSketch`). `restart` is
 * how the app reboots the board (ESP.restart, a panic, the task watchdog).
 */
export type AppRunner = (o: SketchOptions & AppLifecycle) => Promise<RunningSketch>;

/** Why the app restarted the board: `esp_reset_reason()` after the reboot says so. */
export type AppRestart = 'software' | 'panic' | 'watchdog';

/** What a runner gets besides the sketch's options: how to reboot, and why this boot happened. */
export interface AppLifecycle {
  readonly restart: (why: AppRestart) => void;
  /** `esp_reset_reason()` of this boot: `poweron`, or the last app restart's reason. */
  readonly resetReason: 'poweron' | AppRestart;
}

/** Timers the boot loop uses (tests may inject their own). */
export interface BoardTimer {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimer: BoardTimer = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

export interface BoardOptions {
  readonly profile?: ProfileId;
  /** Address the HTTP server binds (loopback by default). */
  readonly host?: string;
  /** 0 picks a free port on the first boot; later boots reuse it. */
  readonly httpPort?: number;
  /** Active TCP connection limit; default 16 (lwIP), 0 = unlimited. */
  readonly maxConnections?: number;
  /** `millis()` right after boot (tests use values near 2^32 to reach the wrap). */
  readonly bootMillis?: number;
  readonly timeSource?: TimeSource;
  /** Loop timer; `false` = the loop does not run by itself (tests call `sketch.loopOnce()`). */
  readonly loopTimer?: LoopTimer | false;
  /** The filesystem the default boot stage mounts. */
  readonly files?: FileSource;
  /** Replaces the default boot stage. */
  readonly boot?: BootStage;
  readonly flash?: Flash;
  readonly serial?: SerialOut;
  /** Starts mDNS at boot; resolves with the name announced. */
  readonly startMdns?: () => Promise<string | undefined>;
  /** Timers for boot loops; default the real ones. */
  readonly timer?: BoardTimer;
  /** SSE writer processes for many clients (see `SseWriterPool`); default none. */
  readonly sseWriters?: number;
  /** The writers' program (default the Node writer). */
  readonly sseWriterProgram?: SseWriterProgram;
  /** Host-side diagnostics a real board cannot print. */
  readonly warn?: WarnFn;
  /** The web server's limits and timers; default the board's (tests shorten the timers). */
  readonly http?: HttpServerTuning;
  /** The app; default the TypeScript model of the shipped sketch. */
  readonly app?: AppRunner;
}

export type BoardState = 'off' | 'booting' | 'running' | 'halted';

export class VirtualBoard {
  readonly flash: Flash;
  readonly serial: SerialOut;
  readonly clock: MillisClock;
  readonly profile: WireProfile;
  private sketchInstance: RunningSketch | undefined;
  private boardState: BoardState = 'off';
  private port: number;
  private queue: Promise<unknown> = Promise.resolve();
  private loopTimer: unknown;
  private loopGeneration = 0;
  /** Why the app last restarted the board (what the next SW_CPU_RESET boot reports). */
  private lastRestart: AppRestart | undefined;

  constructor(readonly options: BoardOptions = {}) {
    this.flash = options.flash ?? new Flash();
    this.serial = options.serial ?? new SerialOut();
    this.clock = new MillisClock(options.timeSource ?? systemTime, options.bootMillis ?? 0);
    this.profile = profiles[options.profile ?? defaultProfileId];
    this.port = options.httpPort ?? 8080;
  }

  get state(): BoardState {
    return this.boardState;
  }

  /** The running app, if any. */
  get sketch(): RunningSketch | undefined {
    return this.sketchInstance;
  }

  /** The HTTP port (the bound one once the app has started). */
  get httpPort(): number {
    return this.port;
  }

  get host(): string {
    return this.options.host ?? '127.0.0.1';
  }

  /** Boots from power-off. Rejects (board left off) if the app cannot bind its port. */
  powerOn(): Promise<void> {
    return this.serialize(async () => {
      if (this.boardState !== 'off') return;
      await this.boot('powerOn');
    });
  }

  /** EN-pin reset (the ROM reports it as POWERON_RESET): stop everything, boot again. */
  reset(): Promise<void> {
    return this.serialize(async () => {
      await this.halt();
      await this.boot('powerOn');
    });
  }

  /**
   * A software reset from the app (`esp_restart()`: ESP.restart, a panic, the task watchdog):
   * the app stops and the board boots again, the ROM reporting SW_CPU_RESET.
   */
  restart(why: AppRestart = 'software'): Promise<void> {
    return this.serialize(async () => {
      if (this.boardState === 'off') return;
      await this.halt();
      this.lastRestart = why;
      await this.boot('swCpu');
    });
  }

  /** Bytes that arrived on UART0's receive line while the app runs (`Serial.read`). */
  serialIn(bytes: Uint8Array): void {
    this.sketchInstance?.serialIn?.(bytes);
  }

  powerOff(): Promise<void> {
    return this.serialize(async () => {
      await this.halt();
      this.boardState = 'off';
    });
  }

  private async boot(reason: ResetReason): Promise<void> {
    this.boardState = 'booting';
    this.clock.restart();
    const outcome = await (this.options.boot ?? defaultBoot)(this, reason);
    if (!outcome.run) {
      this.boardState = 'halted';
      if (outcome.loop) this.startLoop(outcome.loop);
      return;
    }
    try {
      const run = this.options.app ?? runSketch;
      this.sketchInstance = await run({
        profile: this.profile,
        serial: this.serial,
        clock: this.clock,
        files: outcome.files,
        ...(outcome.spiffsLog !== undefined ? { spiffsLog: outcome.spiffsLog } : {}),
        ...(outcome.partitions ? { partitions: outcome.partitions, flash: this.flash } : {}),
        host: this.host,
        port: this.port,
        maxConnections: this.options.maxConnections ?? boardMaxActiveTcp,
        localIp: this.host,
        loopTimer: this.options.loopTimer,
        startMdns: this.options.startMdns,
        sseWriters: this.options.sseWriters,
        ...(this.options.sseWriterProgram ? { sseWriterProgram: this.options.sseWriterProgram } : {}),
        warn: this.options.warn,
        http: this.options.http,
        resetReason: reason === 'swCpu' ? (this.lastRestart ?? 'software') : 'poweron',
        restart: (why) => {
          void this.restart(why).catch((e: unknown) => this.options.warn?.('emulate.boot-failed', `the board did not boot again: ${(e as Error).message}`));
        },
      });
    } catch (e) {
      this.boardState = 'off';
      throw e;
    }
    this.port = this.sketchInstance.port;
    this.boardState = 'running';
  }

  /** Runs a boot loop until it resets the chip, unless a reset or power-off comes first. */
  private startLoop(loop: BootLoop): void {
    const timer = this.options.timer ?? realTimer;
    const generation = ++this.loopGeneration;
    let left = loop.times;
    const tick = (): void => {
      if (generation !== this.loopGeneration) return;
      if (left > 0) {
        left--;
        this.serial.print(loop.repeat);
        this.loopTimer = timer.setTimeout(tick, left > 0 ? loop.everyMs : loop.afterMs);
        return;
      }
      this.loopTimer = undefined;
      void this.serialize(async () => {
        if (generation !== this.loopGeneration || this.boardState !== 'halted') return;
        await this.boot(loop.reset);
      }).catch(() => undefined);
    };
    this.loopTimer = timer.setTimeout(tick, left > 0 ? loop.everyMs : loop.afterMs);
  }

  private stopLoop(): void {
    this.loopGeneration++;
    if (this.loopTimer !== undefined) (this.options.timer ?? realTimer).clearTimeout(this.loopTimer);
    this.loopTimer = undefined;
  }

  private async halt(): Promise<void> {
    this.stopLoop();
    const sketch = this.sketchInstance;
    this.sketchInstance = undefined;
    if (sketch) await sketch.stop();
    this.boardState = 'halted';
  }

  private serialize<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }
}

const defaultBoot: BootStage = async (board) => ({ run: true, files: board.options.files });
