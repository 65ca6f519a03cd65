import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeLog } from './decode-log.js';
import { crashElf } from './testing.js';
import { elfMismatchWarning, printedElfSha256 } from './elf-identity.js';

const dir = mkdtempSync(join(tmpdir(), 'esp-sse-decode-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('decodeLog', () => {
  it('decodes Backtrace lines of a saved (time-stamped) log with addr2line, leaving every line as it was', async () => {
    const { elf, addr } = crashElf(dir);
    const log = [
      '2026-11-25 13:40:01.100 HTTP server started',
      "2026-11-25 13:40:02.123 Guru Meditation Error: Core  1 panic'ed (LoadProhibited). Exception was unhandled.",
      `2026-11-25 13:40:02.124 Backtrace: 0x${addr}:0x3ffb1f50 0x00000000:0x00000000`,
      'Backtrace: 0x00000010:0x3ffb1f50',
      '2026-11-25 13:40:02.300 ets Jul 29 2019 12:21:46',
    ];
    const out = (await decodeLog(`${log.join('\r\n')}\r\n`, { elf, addr2line: 'addr2line' })).split('\n');
    expect(out.slice(0, 3)).toEqual(log.slice(0, 3));
    expect(out[3]).toMatch(new RegExp(`^  #0 0x0*${addr.replace(/^0+/, '')} in crash_here at .*crash\\.c:1$`));
    // An address the ELF knows nothing about: the line stays raw, nothing added.
    expect(out.slice(4)).toEqual([log[3], log[4], '']);
  });

  it('an ELF file SHA256 line of another build gets esp-idf-monitor\'s mismatch warning with the ELF\'s checksum; the same build none', async () => {
    const elf = join(dir, 'app.elf');
    writeFileSync(elf, 'not really an ELF, but hashed as one');
    const sha = createHash('sha256').update('not really an ELF, but hashed as one').digest('hex');
    const log = [
      `I (248) cpu_start: ELF file SHA256:  ${sha.slice(0, 16)}...`, // the boot log's form
      `ELF file SHA256: ${sha.slice(0, 16).toUpperCase()}`, // after a panic, arduino-esp32 2.x
      '2026-11-25 13:40:02.300 ELF file SHA256: 6e83b5b77', // ESP-IDF 5 prints 9 digits; another build
    ];
    const out = (await decodeLog(`${log.join('\n')}\n`, { elf, addr2line: 'addr2line' })).split('\n');
    expect(out).toEqual([
      log[0], log[1], log[2],
      `--- Warning: Checksum mismatch between flashed and built applications. Checksum of built application is ${sha}`,
      '',
    ]);
  });
});

describe('printedElfSha256', () => {
  it('reads the prefix from the boot-log and panic forms, nothing from other lines', () => {
    expect(printedElfSha256('I (432) cpu_start: ELF file SHA256:  6dc6be99a...')).toBe('6dc6be99a');
    expect(printedElfSha256('I (780) app_init: ELF file SHA256:  A5E0090B4...')).toBe('a5e0090b4');
    expect(printedElfSha256('ELF file SHA256: cc58cc88d58e4143')).toBe('cc58cc88d58e4143');
    expect(printedElfSha256('Backtrace: 0x400833dd:0x3ffb21b0')).toBeUndefined();
    expect(printedElfSha256('ELF file SHA256: ')).toBeUndefined();
    expect(elfMismatchWarning('cc58', 'cc58cc88')).toBeUndefined();
  });
});
