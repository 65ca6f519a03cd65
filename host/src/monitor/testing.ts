import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ByteTransport, ControlSignals } from '../transport/types.js';
import { TransportClosedError } from '../transport/types.js';
import type { KeySource } from './session.js';

/**
 * A scripted in-memory port for monitor tests: `feed()` delivers bytes as if the board sent
 * them, `drop()` simulates an unplug, `written` and `signals` record what the monitor did.
 */
export class ScriptedPort implements ByteTransport {
  isOpen = true;
  baudRate = 115200;
  readonly written: Uint8Array[] = [];
  readonly signals: ControlSignals[] = [];
  private readonly data = new Set<(d: Uint8Array) => void>();
  private readonly closes = new Set<(e?: Error) => void>();

  constructor(readonly name = 'mem://board') {}

  async open(): Promise<void> {
    this.isOpen = true;
  }
  async write(d: Uint8Array): Promise<void> {
    if (!this.isOpen) throw new TransportClosedError('closed');
    this.written.push(d);
  }
  async close(): Promise<void> {
    if (!this.isOpen) return;
    this.isOpen = false;
    for (const l of [...this.closes]) l();
  }
  async setSignals(s: ControlSignals): Promise<void> {
    this.signals.push(s);
  }
  async setBaudRate(b: number): Promise<void> {
    this.baudRate = b;
  }
  onData(l: (d: Uint8Array) => void): () => void {
    this.data.add(l);
    return () => this.data.delete(l);
  }
  onClose(l: (e?: Error) => void): () => void {
    this.closes.add(l);
    return () => this.closes.delete(l);
  }
  feed(text: string | Uint8Array): void {
    const bytes = typeof text === 'string' ? new TextEncoder().encode(text) : text;
    for (const l of [...this.data]) l(bytes);
  }
  drop(message = 'device disconnected'): void {
    this.isOpen = false;
    for (const l of [...this.closes]) l(new Error(message));
  }
}

/** Scripted keyboard for monitor tests: `press()` delivers key bytes as a terminal would. */
export class ScriptedKeys implements KeySource {
  private l: ((b: Uint8Array) => void) | undefined;
  onData(l: (b: Uint8Array) => void): () => void {
    this.l = l;
    return () => (this.l = undefined);
  }
  press(...bytes: number[]): void {
    this.l?.(Uint8Array.from(bytes));
  }
  /** True while the monitor listens for keys. */
  get listening(): boolean {
    return this.l !== undefined;
  }
}

/**
 * For decoding tests: a host ELF (gcc, debug info) with a `crash_here` function at line 1 of
 * crash.c, written into `dir`, and that function's address as the 8 hex digits of a backtrace.
 */
export function crashElf(dir: string): { elf: string; addr: string } {
  const src = join(dir, 'crash.c');
  writeFileSync(src, 'int crash_here(int x) {\n  return x * 3;\n}\nint main(void) { return crash_here(2); }\n');
  const elf = join(dir, 'firmware.elf');
  execFileSync('gcc', ['-g', '-O0', '-no-pie', '-o', elf, src]);
  const addr = /^([0-9a-f]+) T crash_here$/m.exec(execFileSync('nm', [elf], { encoding: 'utf8' }))![1]!.slice(-8);
  return { elf, addr };
}
