import { spawn } from 'node:child_process';

export interface ProcessResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The program could not be started at all (not found, not executable). */
export class SpawnError extends Error {
  override readonly name = 'SpawnError';
  constructor(readonly program: string, readonly errno: string | undefined, options?: { cause?: unknown }) {
    super(`cannot run ${program}: ${errno ?? 'unknown error'}`, options);
  }
}

export interface RunOptions {
  cwd?: string;
  signal?: AbortSignal;
  /** Kill the process after this many milliseconds. */
  timeoutMs?: number;
}

/**
 * Runs `argv` to completion and collects its output. The compiler runs with `LC_ALL=C`, so its
 * diagnostics are the English ones this module's parsers read.
 */
export function runProcess(argv: readonly string[], o: RunOptions = {}): Promise<ProcessResult> {
  return new Promise((resolvePromise, reject) => {
    const [program, ...args] = argv;
    const child = spawn(program!, args, {
      cwd: o.cwd,
      env: { ...process.env, LC_ALL: 'C' },
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(o.signal ? { signal: o.signal } : {}),
      ...(o.timeoutMs !== undefined ? { timeout: o.timeoutMs } : {}),
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e: NodeJS.ErrnoException) => {
      if (e.name === 'AbortError') reject(e);
      else if (e.syscall?.startsWith('spawn')) reject(new SpawnError(program!, e.code, { cause: e }));
      else reject(e);
    });
    child.on('close', (code, signal) => {
      resolvePromise({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}
