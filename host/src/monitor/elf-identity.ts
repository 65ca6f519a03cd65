/**
 * Is the ELF we decode with the one the board runs? The app image carries the SHA-256 of the
 * ELF it was made from (esptool `elf2image --elf-sha256-offset`), and ESP-IDF prints its first
 * hex digits in the boot log (`I (248) cpu_start: ELF file SHA256:  6fd6da770ef72528...`, hidden
 * at Arduino's log level) and after every panic (`ELF file SHA256: cc58cc88d58e4143`, 16 digits
 * on arduino-esp32 2.x, 9 on ESP-IDF 5). esp-idf-monitor compares that prefix with the build's
 * ELF and warns on a mismatch; so do we, with its words, since a backtrace decoded with another
 * build's ELF names the wrong functions.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';

const printed = /ELF file SHA256:\s+([0-9a-fA-F]{4,64})/;

/** The hex prefix an `ELF file SHA256:` line shows, lower-cased; undefined for any other line. */
export function printedElfSha256(line: string): string | undefined {
  return printed.exec(line)?.[1]?.toLowerCase();
}

/** esp-idf-monitor's warning when `prefix` (from the board) does not start `builtSha256`; undefined when it does. */
export function elfMismatchWarning(prefix: string, builtSha256: string): string | undefined {
  if (builtSha256.startsWith(prefix)) return undefined;
  return `--- Warning: Checksum mismatch between flashed and built applications. Checksum of built application is ${builtSha256}`;
}

/** SHA-256 of the ELF file, lower-case hex. */
export async function elfSha256(path: string): Promise<string> {
  return createHash('sha256').update(await readFile(path)).digest('hex');
}

/**
 * Checks the lines of one stream against one ELF: hashes the ELF on first need, then answers
 * each `ELF file SHA256:` line with the warning, or nothing when it matches.
 */
export class ElfIdentity {
  private sha: Promise<string> | undefined;

  constructor(private readonly elf: string) {}

  /** The warning for `line`, if it is an `ELF file SHA256:` line of another build. */
  async check(line: string): Promise<string | undefined> {
    const prefix = printedElfSha256(line);
    if (prefix === undefined) return undefined;
    this.sha ??= elfSha256(this.elf);
    return elfMismatchWarning(prefix, await this.sha);
  }
}
