import { execFile } from 'node:child_process';

/** One decoded program counter. */
export interface DecodedFrame {
  address: string;
  /** `loop()`; `??` when unknown. */
  function: string;
  /** `src/main.cpp:42`; `??:0` when unknown. */
  location: string;
  /** Inlined callers, innermost first (`(inlined by)` lines). */
  inlinedBy: { function: string; location: string }[];
}

/**
 * Parses `addr2line -pfiaC` output: one `0xADDR: func at file:line` line per address, followed
 * by ` (inlined by) func at file:line` lines for inlined frames. Pure.
 */
export function parseAddr2line(output: string): DecodedFrame[] {
  const frames: DecodedFrame[] = [];
  for (const raw of output.split(/\r?\n/)) {
    const line = raw.trimEnd();
    const head = /^(0x[0-9a-fA-F]+):\s+(.*?)(?: at (.*))?$/.exec(line);
    if (head) {
      const address = `0x${BigInt(head[1]!).toString(16).padStart(8, '0')}`;
      // Unknown addresses print as `?? ??:0` (no " at ").
      const unknown = head[3] === undefined ? /^(\?\?) (\?\?:\d+)$/.exec(head[2] ?? '') : null;
      frames.push({
        address,
        function: unknown ? unknown[1]! : (head[2] ?? '??'),
        location: unknown ? unknown[2]! : (head[3] ?? '??:0'),
        inlinedBy: [],
      });
      continue;
    }
    const inl = /^\s*\(inlined by\)\s+(.*?)(?: at (.*))?$/.exec(line);
    if (inl && frames.length > 0) frames[frames.length - 1]!.inlinedBy.push({ function: inl[1] ?? '??', location: inl[2] ?? '??:0' });
  }
  return frames;
}

/** True when addr2line knew nothing about the address. */
export function isUnknown(f: DecodedFrame): boolean {
  return f.function === '??' && f.location.startsWith('??');
}

/** Runs `<addr2line> -pfiaC -e <elf> <addresses…>` and parses it (5 s limit). */
export function runAddr2line(addr2line: string, elf: string, addresses: string[]): Promise<DecodedFrame[]> {
  return new Promise((resolve, reject) => {
    execFile(addr2line, ['-pfiaC', '-e', elf, ...addresses], { timeout: 5000 }, (err, stdout) => {
      if (err) reject(err);
      else resolve(parseAddr2line(stdout));
    });
  });
}

/** Renders frames the way esp-idf-monitor/PlatformIO print them under the backtrace. */
export function formatFrames(frames: DecodedFrame[]): string[] {
  const out: string[] = [];
  frames.forEach((f, i) => {
    out.push(`  #${i} ${f.address} in ${f.function} at ${f.location}`);
    for (const inl of f.inlinedBy) out.push(`     (inlined by) ${inl.function} at ${inl.location}`);
  });
  return out;
}
