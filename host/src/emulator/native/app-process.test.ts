/**
 * AppProcess with a stand-in app (a Node script as the executable) that writes a burst of frames
 * to the link at once, as a sketch does when the board has fallen behind: broadcasts a newer one
 * of the same key supersedes are counted, not handled; everything else is handled in order,
 * except the early frames taken as they are read; the link is not read beyond a bound of waiting
 * frames; after a costly frame the event loop turns while `moreIo` asks, for a bounded time.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeFrame, frame, T, text, type Frame } from '../../protocol/sketch-link.js';
import { AppProcess, maxIoYieldMs, maxWaitingFrames, type AppProcessOptions } from './app-process.js';

let dir = '';
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** An executable that writes `bytes` to fd 3 in one write, then waits to be killed. */
function standIn(bytes: Uint8Array): string {
  dir = mkdtempSync(join(tmpdir(), 'esp-sse-app-'));
  writeFileSync(join(dir, 'burst.bin'), bytes);
  const exe = join(dir, 'app');
  writeFileSync(exe, `#!${process.execPath}\nconst fs = require('node:fs');\nfs.writeSync(3, fs.readFileSync(${JSON.stringify(join(dir, 'burst.bin'))}));\nsetInterval(() => {}, 1000);\n`);
  chmodSync(exe, 0o755);
  return exe;
}

const broadcast = (source: number, event: string, id: number): Frame => frame(T.sseSend, 0, { a: source, b: 0, c: id, s1: `{"n":${id}}`, s2: event, s3: 'me' });

const env = { bootMonoNs: 0n, bootMillis: 0, mac: '240ac4abcdef', ip: '127.0.0.1', resetReason: 1 };
const bytesOf = (frames: Frame[]) => Buffer.concat(frames.map((f) => Buffer.from(encodeFrame(f))));

type Handlers = Pick<AppProcessOptions, 'onFrame' | 'early' | 'moreIo' | 'supersedeKey' | 'supersedeAfter' | 'onSuperseded'>;

/**
 * Runs a stand-in app that writes `frames` in one write, until `finished()`; `handlers` may be
 * given the running AppProcess.
 */
async function replay(frames: Frame[], handlers: Handlers | ((app: () => AppProcess) => Handlers), finished: () => boolean, timeout = 10_000): Promise<void> {
  let app: AppProcess | undefined;
  const h = typeof handlers === 'function' ? handlers(() => app!) : handlers;
  app = new AppProcess({ executable: standIn(bytesOf(frames)), env, onProblem: () => undefined, onExit: () => undefined, ...h });
  try {
    await expect.poll(finished, { timeout }).toBe(true);
  } finally {
    await app.kill();
  }
}

describe('AppProcess', () => {
  it('skips broadcasts that a newer one of the same source and event follows in the waiting frames', async () => {
    const frames = [
      ...Array.from({ length: 10 }, (_, i) => broadcast(1, 'time_reading', i)),
      broadcast(1, 'reset', 100),
      frame(T.sseSend, 0, { a: 1, b: 7, c: 5, s1: 'hello!', s3: 'm' }),
      broadcast(1, 'time_reading', 10),
    ];
    const handled: Frame[] = [];
    let superseded = 0;
    await replay(
      frames,
      {
        onFrame: (f) => void handled.push(f),
        supersedeKey: (f) => (f.type === T.sseSend && f.b === 0 ? `${f.a}:${text(f.s2)}` : undefined),
        onSuperseded: (n) => (superseded += n),
      },
      () => handled.length + superseded === frames.length,
    );
    // Every frame is handled or counted once; the last time_reading is always handled, the
    // one-off reset and the client's hello! never skipped, and the order is kept.
    expect(superseded).toBeGreaterThan(0);
    expect(handled.map((f) => f.c).slice(-3)).toEqual([100, 5, 10]);
    expect(handled.filter((f) => text(f.s2) === 'time_reading').map((f) => f.c)).toEqual([...handled.filter((f) => text(f.s2) === 'time_reading').map((f) => f.c)].sort((a, b) => a - b));
  });
});

describe('AppProcess catching up', () => {
  const key = (f: Frame) => (f.type === T.sseSend && f.b === 0 ? `${f.a}:${text(f.s2)}` : undefined);

  it('with supersedeAfter N, a short backlog (N readings waiting) is handled in full, late; a longer one loses only the readings N newer ones wait behind', async () => {
    for (const [count, skipped] of [[10, 0], [14, 4]] as const) {
      const frames = Array.from({ length: count }, (_, i) => broadcast(1, 'time_reading', i));
      const handled: number[] = [];
      let superseded = 0;
      await replay(
        frames,
        { onFrame: (f) => void handled.push(f.c), supersedeKey: key, supersedeAfter: 10, onSuperseded: (n) => (superseded += n) },
        () => handled.length + superseded === frames.length,
      );
      // Written in one write; if the kernel split the read, fewer wait at once and fewer are skipped.
      expect(superseded).toBeLessThanOrEqual(skipped);
      expect(handled.slice(-10)).toEqual(Array.from({ length: 10 }, (_, i) => count - 10 + i));
      if (count === 10) expect(handled).toEqual(Array.from({ length: 10 }, (_, i) => i));
    }
  });
});

describe('AppProcess while the board is behind', () => {
  const toClient = (client: number, id: number): Frame => frame(T.sseSend, 0, { a: 1, b: client, c: id, s1: 'hello!', s3: 'm' });

  it('takes an early frame as soon as it is read, ahead of the costly frames waiting', async () => {
    const frames = [broadcast(1, 'a', 1), broadcast(1, 'b', 2), broadcast(1, 'c', 3), toClient(7, 4), frame(T.done, 9), broadcast(1, 'd', 5)];
    const seen: string[] = [];
    await replay(
      frames,
      {
        onFrame: (f) => {
          seen.push(`frame ${f.c || `done ${f.id}`}`);
          return f.type === T.sseSend ? 'yield' : undefined;
        },
        early: (f) => {
          if (f.type !== T.sseSend || f.b !== 7) return false;
          seen.push(`early ${f.c}`);
          return true;
        },
      },
      () => seen.length === frames.length,
    );
    // Read with the others in one read, the client's frame goes before every frame that waits;
    // the rest keep their order.
    expect(seen).toEqual(['early 4', 'frame 1', 'frame 2', 'frame 3', 'frame done 9', 'frame 5']);
  });

  it('stops reading the link while many frames wait, so a sketch that sends faster than the board blocks', async () => {
    // 100,000 client frames (~4 MB): the stand-in's write blocks until the board has read them all.
    const frames = Array.from({ length: 100_000 }, (_, i) => toClient(3, i + 1));
    let handled = 0;
    let mostWaiting = 0;
    await replay(
      frames,
      (app) => ({
        onFrame: () => {
          handled++;
          mostWaiting = Math.max(mostWaiting, app().waitingFrames);
          return 'yield';
        },
      }),
      () => handled === frames.length,
      60_000,
    );
    // Never more than the bound and what one read of the link brought (64 KB: ~1,600 frames).
    expect(mostWaiting).toBeGreaterThanOrEqual(maxWaitingFrames);
    expect(mostWaiting).toBeLessThan(maxWaitingFrames + 2_000);
  }, 90_000);

  it.each([
    [true, 'asks every turn until maxIoYieldMs has passed'],
    [false, 'asks once and goes on'],
  ] as const)('after a costly frame with more waiting, moreIo %s: %s', async (answer, _what) => {
    const frames = [broadcast(1, 'a', 1), broadcast(1, 'b', 2), broadcast(1, 'c', 3)];
    const at: number[] = [];
    let asked = 0;
    await replay(
      frames,
      {
        onFrame: () => {
          at.push(performance.now());
          return 'yield';
        },
        moreIo: () => {
          asked++;
          return answer;
        },
      },
      () => at.length === frames.length,
    );
    // Two yields (the last frame has nothing after it).
    if (answer) {
      expect(asked).toBeGreaterThan(2);
      expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(maxIoYieldMs);
      expect(at[2]! - at[1]!).toBeGreaterThanOrEqual(maxIoYieldMs);
    } else {
      expect(asked).toBe(2);
    }
  });
});
