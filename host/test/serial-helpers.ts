/**
 * Helpers for the serial end-to-end tests: collect what a transport receives and wait for it
 * (events, not sleeps; the timeout only turns a hang into a failure), and a socat pty pair.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ByteTransport } from '../src/transport/types.js';

export const waitTimeoutMs = 20_000;

/** Everything a transport (or any byte source) delivers, with a way to wait for a condition. */
export class Collector {
  bytes = Buffer.alloc(0);
  private waiters = new Set<() => void>();

  push = (b: Uint8Array): void => {
    this.bytes = Buffer.concat([this.bytes, b]);
    for (const w of [...this.waiters]) w();
  };

  static on(t: ByteTransport): Collector {
    const c = new Collector();
    t.onData(c.push);
    return c;
  }

  /** Bytes as latin1 (one char per byte: safe for binary). */
  get text(): string {
    return this.bytes.toString('latin1');
  }

  get utf8(): string {
    return this.bytes.toString('utf8');
  }

  /** Resolves once `pred` holds for the bytes so far. */
  until(pred: (c: Collector) => boolean, what = 'the expected bytes', timeoutMs = waitTimeoutMs): Promise<void> {
    if (pred(this)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`timed out waiting for ${what}; got ${JSON.stringify(this.text.slice(-300))}`));
      }, timeoutMs);
      const check = (): void => {
        if (!pred(this)) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve();
      };
      this.waiters.add(check);
    });
  }

  untilText(s: string | RegExp, timeoutMs = waitTimeoutMs): Promise<void> {
    return this.until((c) => (typeof s === 'string' ? c.text.includes(s) : s.test(c.text)), JSON.stringify(String(s)), timeoutMs);
  }

  clear(): void {
    this.bytes = Buffer.alloc(0);
  }
}

/** Two linked pseudo-terminals made by socat; `close()` ends the socat we started. */
export async function ptyPair(): Promise<{ a: string; b: string; close(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'esp-sse-pty-'));
  const a = join(dir, 'a');
  const b = join(dir, 'b');
  const child: ChildProcess = spawn('socat', ['-d', '-d', `PTY,link=${a},rawer`, `PTY,link=${b},rawer`], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  await new Promise<void>((resolve, reject) => {
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      if (/starting data transfer loop/.test(err) && existsSync(a) && existsSync(b)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`socat exited (${code}): ${err}`)));
    child.once('error', reject);
  });
  return {
    a,
    b,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
