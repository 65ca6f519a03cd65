/**
 * The sketch's app process: the user's firmware built for the host (see `build.ts`), started
 * once per boot and killed on every reset, as the board's app is. The board and the app talk
 * over the sketch link (`protocol/sketch-link.ts`) on a socket pair at the app's fd 3; the
 * app's stdout and stderr are diagnostics only (the board's UART is a link frame).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { encodeFrame, FrameDecoder, type Frame } from '../../protocol/sketch-link.js';

/** What the app is told at start (environment variables of the process). */
export interface AppEnvironment {
  /** `CLOCK_MONOTONIC` in ns at the instant `millis()` was `bootMillis`. */
  readonly bootMonoNs: bigint;
  readonly bootMillis: number;
  /** Station MAC, 12 hex digits. */
  readonly mac: string;
  /** `WiFi.localIP()`. */
  readonly ip: string;
  /** `esp_reset_reason()`: an `esp_reset_reason_t` value. */
  readonly resetReason: number;
}

/** How the app process ended. */
export interface AppExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface AppProcessOptions {
  readonly executable: string;
  readonly env: AppEnvironment;
  /**
   * Every frame from the app, in order. Returning `'yield'` (a frame that cost the board real
   * work, such as a broadcast to every client) lets the event loop serve sockets before the
   * next frame is handled. The link is read on while frames wait, up to {@link maxWaitingFrames};
   * beyond that it is not read, so a sketch that sends faster than the board can write blocks in
   * its `send`, as a board's loop would, instead of piling up.
   */
  readonly onFrame: (frame: Frame) => void | 'yield';
  /**
   * Called for each frame as soon as it is read, before the frames waiting ahead of it are
   * handled; returns true when it has handled the frame (it is then not given to `onFrame`).
   * For frames whose order with the waiting ones cannot matter: what the app sends to an event
   * stream client no broadcast reaches yet (one whose onConnect is still running), so a client
   * joining a busy board is not kept waiting behind broadcasts to everyone else.
   */
  readonly early?: (frame: Frame) => boolean;
  /**
   * After a costly frame the event loop gets one turn before the next frame; asked after each
   * turn, true gives it another (for {@link maxIoYieldMs} at most): the board's network work in
   * progress (connections being accepted one per turn, clients waiting for their onConnect) is
   * not left behind a broadcast to everyone.
   */
  readonly moreIo?: () => boolean;
  /**
   * A frame a later one makes stale (a broadcast reading, keyed by source and event name), or
   * `undefined`. When frames wait because the board is slower than the app sends, a frame with
   * at least `supersedeAfter` newer frames of its key waiting behind it is not handled but
   * counted to `onSuperseded`: the board catches up on a short stall (every reading, late) and
   * serves the newest reading instead of falling further behind on a long one.
   */
  readonly supersedeKey?: (frame: Frame) => string | undefined;
  /** Newer frames of the same key that make a waiting one stale (default 1: any). */
  readonly supersedeAfter?: number;
  /** Frames skipped as superseded since the last report (see `supersedeKey`). */
  readonly onSuperseded?: (count: number) => void;
  /** The link broke (bad frame) or the app wrote to stderr: host diagnostics. */
  readonly onProblem: (message: string) => void;
  /** The process ended (after a kill, a crash or by itself). */
  readonly onExit: (exit: AppExit) => void;
}

/** Bytes of the app's stderr kept for a diagnostic before older ones are dropped. */
const stderrKeep = 4096;

/**
 * Frames read and waiting to be handled before the link is no longer read (the app's sends then
 * block). One read may go over it: what a read brought is always taken.
 */
export const maxWaitingFrames = 64;

/** Longest the frames wait, after a costly one, while {@link AppProcessOptions.moreIo} asks for turns. */
export const maxIoYieldMs = 2;

export class AppProcess {
  private readonly child: ChildProcess;
  private readonly link: Socket;
  private readonly decoder = new FrameDecoder();
  private exited = false;
  private readonly exitPromise: Promise<AppExit>;
  /** Frames read but not yet handled: up to {@link maxWaitingFrames}, and one read beyond. */
  private inbox: Array<{ frame: Frame; key: string | undefined }> = [];
  private next = 0;
  private pumping = false;
  /** A costly frame was handled: the rest wait for the event loop's next check phase. */
  private yielded = false;
  /** Waiting frames (read, not yet handled or skipped) of each supersede key. */
  private waitingOfKey = new Map<string, number>();

  constructor(private readonly o: AppProcessOptions) {
    this.child = spawn(o.executable, [], {
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
      detached: true,
      env: {
        ...process.env,
        ESP_SSE_LINK_FD: '3',
        ESP_SSE_BOOT_MONO_NS: String(o.env.bootMonoNs),
        ESP_SSE_BOOT_MILLIS: String(o.env.bootMillis >>> 0),
        ESP_SSE_MAC: o.env.mac,
        ESP_SSE_IP: o.env.ip,
        ESP_SSE_RESET_REASON: String(o.env.resetReason),
      },
    });
    this.link = this.child.stdio[3] as Socket;
    this.link.on('data', (chunk: Buffer) => {
      for (const f of this.decoder.push(chunk)) {
        if ('problem' in f) {
          o.onProblem(`the sketch's link sent a bad frame (${f.problem}); the app is stopped`);
          this.kill();
          return;
        }
        if (o.early?.(f)) continue;
        const key = o.supersedeKey?.(f);
        if (key !== undefined) this.waitingOfKey.set(key, (this.waitingOfKey.get(key) ?? 0) + 1);
        this.inbox.push({ frame: f, key });
      }
      if (this.waitingFrames >= maxWaitingFrames) this.link.pause();
      if (!this.yielded) this.pump();
    });
    this.link.on('error', () => undefined);
    let stderr = '';
    this.child.stderr?.setEncoding('utf8');
    this.child.stderr?.on('data', (t: string) => {
      stderr = (stderr + t).slice(-stderrKeep);
      const lines = stderr.split('\n');
      stderr = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) o.onProblem(`sketch stderr: ${line}`);
    });
    this.exitPromise = new Promise((resolve) => {
      this.child.once('error', (e) => {
        o.onProblem(`could not start the sketch ${o.executable}: ${e.message}`);
      });
      this.child.once('close', (code, signal) => {
        // What the app said last (a panic frame) is handled before its exit.
        this.pump(true);
        this.exited = true;
        const exit = { code, signal };
        o.onExit(exit);
        resolve(exit);
      });
    });
  }

  /** Handles waiting frames, yielding to I/O after a costly one; `all` handles every one now. */
  private pump(all = false): void {
    if (this.pumping) return;
    this.pumping = true;
    let superseded = 0;
    try {
      while (this.next < this.inbox.length) {
        const at = this.next++;
        const { frame: f, key } = this.inbox[at]!;
        if (key !== undefined) {
          const waiting = this.waitingOfKey.get(key)!;
          if (waiting > 1) this.waitingOfKey.set(key, waiting - 1);
          else this.waitingOfKey.delete(key);
          if (waiting - 1 >= (this.o.supersedeAfter ?? 1)) {
            superseded++;
            continue;
          }
        }
        if (this.o.onFrame(f) === 'yield' && !all && this.next < this.inbox.length) {
          this.yieldToIo();
          return;
        }
      }
    } finally {
      this.pumping = false;
      this.compact();
      if (superseded > 0) this.o.onSuperseded?.(superseded);
    }
  }

  /**
   * Lets the event loop turn, then handles the frames waiting; while `moreIo` asks, the loop
   * waits for I/O instead (asked again every timer tick, ~1 ms), for maxIoYieldMs at most. Each
   * readiness wakes the loop for a turn of its own, so nothing spins.
   */
  private yieldToIo(): void {
    this.yielded = true;
    const until = performance.now() + maxIoYieldMs;
    const turn = (): void => {
      if (this.o.moreIo?.() && performance.now() < until) {
        setTimeout(turn, 0);
        return;
      }
      this.yielded = false;
      this.pump();
    };
    setImmediate(turn);
  }

  /**
   * Drops the handled frames from the inbox once they are at least half of it (so each frame is
   * moved a bounded number of times, however many wait), and reads the link again once few wait.
   */
  private compact(): void {
    if (this.next > 0 && this.next * 2 >= this.inbox.length) {
      this.inbox = this.inbox.slice(this.next);
      this.next = 0;
    }
    if (this.waitingFrames < maxWaitingFrames && this.link.isPaused() && !this.link.destroyed) this.link.resume();
  }

  /** Frames read from the link and not yet handled or skipped. */
  get waitingFrames(): number {
    return this.inbox.length - this.next;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return !this.exited;
  }

  /** Sends one frame; dropped once the app has gone. */
  send(frame: Frame): void {
    if (this.exited || this.link.destroyed) return;
    this.link.write(encodeFrame(frame));
  }

  /** Ends the app at once, threads and all (SIGKILL to its process group), as a reset does. */
  kill(): Promise<AppExit> {
    if (!this.exited && this.child.pid !== undefined) {
      try {
        process.kill(-this.child.pid, 'SIGKILL');
      } catch {
        this.child.kill('SIGKILL');
      }
    }
    this.link.destroy();
    return this.exitPromise;
  }

  /** Resolves when the process has ended. */
  whenExited(): Promise<AppExit> {
    return this.exitPromise;
  }
}
