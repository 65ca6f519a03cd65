import { formatFrames, isUnknown, runAddr2line } from './addr2line.js';
import { ElfIdentity } from './elf-identity.js';
import { classifyLine, parseBacktrace } from './panic.js';
import { noPaint, type Paint } from './view.js';

/** A `--timestamps`/`--log` prefix (`2026-11-25 13:40:01.123 `), skipped when looking for panics. */
const stampPrefix = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} /;

/**
 * Decodes the backtraces in a saved serial log (a `--log` file, a CI artifact, a paste): every
 * line is returned as it was (panic lines highlighted), and under each `Backtrace:` line the
 * frames addr2line resolves with `elf`. Time stamps written by `--log`/`--timestamps` are
 * allowed in front of the lines. A backtrace addr2line knows nothing about stays raw. An
 * `ELF file SHA256:` line of another build than `elf` gets esp-idf-monitor's mismatch warning.
 */
export async function decodeLog(text: string, o: { elf: string; addr2line: string; paint?: Paint }): Promise<string> {
  const paint = o.paint ?? noPaint;
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  const out: string[] = [];
  const identity = new ElfIdentity(o.elf);
  for (const line of lines) {
    const body = line.replace(stampPrefix, '');
    const kind = classifyLine(body);
    out.push(kind === 'normal' ? line : paint.panic(line));
    const mismatch = await identity.check(body);
    if (mismatch) out.push(paint.panic(mismatch));
    if (kind !== 'backtrace') continue;
    const addresses = parseBacktrace(body);
    if (addresses.length === 0) continue;
    const frames = await runAddr2line(o.addr2line, o.elf, addresses);
    if (!frames.every(isUnknown)) out.push(...formatFrames(frames).map((f) => paint.decoded(f)));
  }
  return out.map((l) => `${l}\n`).join('');
}
