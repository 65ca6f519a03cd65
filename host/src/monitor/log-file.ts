import { closeSync, existsSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { UserError } from '../errors.js';

/**
 * The monitor's log file. Lines go to `<file>.partial` while logging is on and the file is
 * renamed to its final name when logging stops, so the named file is never half-written
 * (docs/architecture.md §8). Each stop → start cycle appends to the same final file: a new start
 * resumes by renaming the existing file back to `.partial` first.
 */
export class LogFile {
  private fd: number | undefined;

  constructor(readonly path: string) {}

  get partialPath(): string {
    return `${this.path}.partial`;
  }

  get active(): boolean {
    return this.fd !== undefined;
  }

  start(): void {
    if (this.fd !== undefined) return;
    try {
      mkdirSync(dirname(this.path), { recursive: true });
      if (existsSync(this.path) && !existsSync(this.partialPath)) renameSync(this.path, this.partialPath);
      this.fd = openSync(this.partialPath, 'a');
    } catch (e) {
      throw new UserError('monitor.log-open', `cannot write the log file ${this.path}: ${(e as Error).message}`, 'choose a writable path with --log FILE', 2, { cause: e });
    }
  }

  write(line: string): void {
    if (this.fd !== undefined) writeSync(this.fd, line + '\n');
  }

  stop(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
    renameSync(this.partialPath, this.path);
  }
}
