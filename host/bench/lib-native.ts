/**
 * Bench helper: the bench's C++ programs (built with g++ once per run) and a line reader for
 * their stdout.
 */
import { execFileSync, spawn, type ChildProcessByStdio } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** Compiles one of the bench's C++ programs with g++ (once per run); returns its path. */
export function buildNative(name: 'fanout-client' | 'fanout-floor-server'): string {
  const bin = join(mkdtempSync(join(tmpdir(), 'esp-sse-bench-')), name);
  execFileSync('g++', ['-O2', '-o', bin, join(here, `${name}.cpp`)], { stdio: 'inherit' });
  return bin;
}

/** Reads a child's stdout line by line; after the child closed, every read gives `exit CODE`. */
export function lines(child: ChildProcessByStdio<Writable | null, Readable, null>): () => Promise<string> {
  const queue: string[] = [];
  const waiters: Array<(l: string) => void> = [];
  let ended = false;
  const rl = createInterface({ input: child.stdout });
  rl.on('line', (l) => (waiters.length ? waiters.shift()!(l) : queue.push(l)));
  // 'close', not 'exit': the last line may still be in the pipe when the process exits.
  child.on('close', (code) => {
    ended = true;
    for (const w of waiters.splice(0)) w(`exit ${code}`);
  });
  return () => (queue.length ? Promise.resolve(queue.shift()!) : ended ? Promise.resolve('exit') : new Promise((r) => waiters.push(r)));
}

/**
 * One fanout-client process with no streaming clients: only probes, one every `everyMs` for
 * `windowMs` (each connects, writes the request, waits for `hello!` and closes). Returns each
 * probe's request written → `hello!` received (kernel receive time), ms.
 */
export async function probeFirstEvents(bin: string, port: number, windowMs: number, everyMs: number): Promise<number[]> {
  const child = spawn(bin, ['127.0.0.1', String(port), '0', String(windowMs), String(everyMs)], { stdio: ['pipe', 'pipe', 'inherit'] });
  try {
    const next = lines(child);
    const ready = await next();
    if (!ready.startsWith('connected ')) throw new Error(`fanout-client: ${ready}`);
    child.stdin.write('start\n');
    const result = await next();
    if (!result.startsWith('{')) throw new Error(`fanout-client: ${result}`);
    return (JSON.parse(result) as { firstEventMs: number[] }).firstEventMs;
  } finally {
    if (child.exitCode === null) child.kill();
  }
}
