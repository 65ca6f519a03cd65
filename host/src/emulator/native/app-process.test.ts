/**
 * AppProcess with a stand-in app (a Node script as the executable) that writes a burst of frames
 * to the link at once, as a sketch does when the board has fallen behind: broadcasts a newer one
 * of the same key supersedes are counted, not handled; everything else is handled in order.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeFrame, frame, T, text, type Frame } from '../../protocol/sketch-link.js';
import { AppProcess } from './app-process.js';

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

describe('AppProcess', () => {
  it('skips broadcasts that a newer one of the same source and event follows in the waiting frames', async () => {
    const frames = [
      ...Array.from({ length: 10 }, (_, i) => broadcast(1, 'time_reading', i)),
      broadcast(1, 'reset', 100),
      frame(T.sseSend, 0, { a: 1, b: 7, c: 5, s1: 'hello!', s3: 'm' }),
      broadcast(1, 'time_reading', 10),
    ];
    const bytes = Buffer.concat(frames.map((f) => Buffer.from(encodeFrame(f))));
    const handled: Frame[] = [];
    let superseded = 0;
    const app = new AppProcess({
      executable: standIn(bytes),
      env: { bootMonoNs: 0n, bootMillis: 0, mac: '240ac4abcdef', ip: '127.0.0.1', resetReason: 1 },
      onFrame: (f) => void handled.push(f),
      supersedeKey: (f) => (f.type === T.sseSend && f.b === 0 ? `${f.a}:${text(f.s2)}` : undefined),
      onSuperseded: (n) => (superseded += n),
      onProblem: () => undefined,
      onExit: () => undefined,
    });
    try {
      await expect.poll(() => handled.length + superseded, { timeout: 10_000 }).toBe(frames.length);
    } finally {
      await app.kill();
    }
    // Every frame is handled or counted once; the last time_reading is always handled, the
    // one-off reset and the client's hello! never skipped, and the order is kept.
    expect(superseded).toBeGreaterThan(0);
    expect(handled.map((f) => f.c).slice(-3)).toEqual([100, 5, 10]);
    expect(handled.filter((f) => text(f.s2) === 'time_reading').map((f) => f.c)).toEqual([...handled.filter((f) => text(f.s2) === 'time_reading').map((f) => f.c)].sort((a, b) => a - b));
  });
});
