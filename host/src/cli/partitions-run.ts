/**
 * `esp-sse partitions` when it runs (partitions.ts declares its options): reads the table (a
 * file, a built-in name or platformio.ini's choice), checks it, and prints or converts it.
 */
import { existsSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { decodePartitionTable, encodePartitionTable } from '../formats/partition-binary.js';
import { builtinFlashSize, builtinTable, builtinTables } from '../formats/partition-builtin.js';
import { formatPartitionCsv, parsePartitionCsv } from '../formats/partition-csv.js';
import { subtypeName, typeName, type PartitionEntry } from '../formats/partition-types.js';
import { validatePartitions } from '../formats/partition-validate.js';
import { parseFlashSize } from '../formats/platformio-ini.js';
import { writeFileAtomic } from '../settings/atomic-write.js';
import { readPartitionFile, type LoadedTable } from '../settings/partition-table.js';
import { loadProjectSettings } from '../settings/project.js';
import { safeJson, safeText } from '../safe-text.js';
import { parseNumber } from './options.js';
import type { PartitionsFlags } from './partitions.js';
import { printWarning } from './warn.js';

const hex = (n: number): string => `0x${n.toString(16)}`;

/** `1.25 MB`, `20 KB`, `100 B`. */
export function humanSize(n: number): string {
  if (n >= 0x100000) return `${+(n / 0x100000).toFixed(3)} MB`;
  if (n >= 0x400) return `${+(n / 0x400).toFixed(2)} KB`;
  return `${n} B`;
}

/** The table as aligned columns: name, type, subtype, offset, size (hex and human), end, flags. Labels are escaped (they come from files and boards). */
export function formatTable(entries: readonly PartitionEntry[]): string {
  const rows = [
    ['NAME', 'TYPE', 'SUBTYPE', 'OFFSET', 'SIZE', '', 'END', 'FLAGS'],
    ...entries.map((e) => [
      safeText(e.label), typeName(e.type), subtypeName(e.type, e.subtype), hex(e.offset), hex(e.size), humanSize(e.size), hex(e.offset + e.size),
      [e.encrypted && 'encrypted', e.readonly && 'readonly'].filter(Boolean).join(':'),
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => (i >= 3 && i <= 6 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd()).join('\n') + '\n';
}


/** FILE as a path, else a built-in name; no FILE: the table platformio.ini selects. */
async function loadInput(file: string | undefined, flags: PartitionsFlags, tableOffset: number): Promise<LoadedTable & { flashSize?: number }> {
  if (file === undefined) {
    const p = await loadProjectSettings(flags.project, flags.env);
    const builtin = builtinTable(p.partitions);
    if (builtin !== undefined && !p.partitions.includes('/')) {
      return { entries: parsePartitionCsv(builtin, tableOffset), source: `built-in ${p.partitions}`, format: 'csv', flashSize: p.flashSize };
    }
    return { ...(await readPartitionFile(resolve(p.projectDir, p.partitions), tableOffset)), flashSize: p.flashSize };
  }
  if (!existsSync(file)) {
    const builtin = builtinTable(file);
    if (builtin !== undefined) {
      const name = file.endsWith('.csv') ? file : `${file}.csv`;
      return { entries: parsePartitionCsv(builtin, tableOffset), source: `built-in ${name}`, format: 'csv', flashSize: builtinFlashSize[name]! };
    }
    throw new UserError('partitions.not-found', `${file} is neither a file nor a built-in table`,
      `give a CSV or binary table, or one of: ${Object.keys(builtinTables).join(', ')}`);
  }
  return readPartitionFile(file, tableOffset);
}

function outFormat(out: string, flags: PartitionsFlags, input: LoadedTable): 'csv' | 'binary' {
  if (flags.format !== undefined) {
    if (flags.format !== 'csv' && flags.format !== 'bin') {
      throw new UserError('partitions.bad-format', `--format ${flags.format} is not csv or bin`, 'use --format csv or --format bin');
    }
    return flags.format === 'bin' ? 'binary' : 'csv';
  }
  const ext = extname(out).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.bin') return 'binary';
  return input.format === 'csv' ? 'binary' : 'csv';
}

/** Prints, checks or converts the table, as `esp-sse partitions [file]` was asked. */
export async function runPartitions(file: string | undefined, flags: PartitionsFlags): Promise<void> {
  const tableOffset = parseNumber(flags.offset, '--offset');
  const input = await loadInput(file, flags, tableOffset);
  let flashSize = input.flashSize;
  if (flags.flashSize !== undefined) {
    flashSize = parseFlashSize(flags.flashSize);
    if (flashSize === undefined) throw new UserError('partitions.bad-flash-size', `--flash-size ${flags.flashSize} is not a size`, 'write it like 4MB or 16MB');
  }
  if (flags.verify) {
    try {
      validatePartitions(input.entries, { tableOffset, ...(flashSize !== undefined ? { flashSize } : {}) });
    } catch (e) {
      if (e instanceof UserError) throw new UserError(e.code, `${input.source}: ${e.message}`, e.hint, e.exitCode, { cause: e });
      throw e;
    }
  }
  if (flags.out !== undefined) {
    const fmt = outFormat(flags.out, flags, input);
    if (input.inexact?.length) {
      throw new UserError('partitions.not-exact', `${input.source}: the binary table holds what its entries do not capture, so --out would not be an exact copy: ${input.inexact.join('; ')}`,
        'keep the binary as it is (copy the file), or rewrite it from a CSV you have checked');
    }
    const data = fmt === 'binary' ? encodePartitionTable(input.entries, { md5: flags.md5 }) : formatPartitionCsv(input.entries, tableOffset);
    if (fmt === 'binary') decodePartitionTable(data as Uint8Array); // what we write must read back
    await writeFileAtomic(resolve(flags.out), data);
    process.stdout.write(`wrote ${flags.out}: ${input.entries.length} partitions as ${fmt === 'binary' ? `binary (${hex((data as Uint8Array).length)} bytes${flags.md5 ? ', MD5 entry' : ''})` : 'CSV'}\n`);
    return;
  }
  if (flags.json) {
    process.stdout.write(`${safeJson({ source: input.source, format: input.format, entries: input.entries.map((e) => ({ ...e, typeName: typeName(e.type), subtypeName: subtypeName(e.type, e.subtype) })), ...(input.inexact?.length ? { inexact: input.inexact } : {}) })}\n`);
    return;
  }
  if (input.inexact?.length) printWarning('partitions.not-exact', `${input.source}: the table holds what this listing does not show: ${input.inexact.join('; ')}`);
  const end = input.entries.reduce((m, e) => Math.max(m, e.offset + e.size), 0);
  process.stdout.write(`# ${safeText(input.source)} (${input.format}), ${input.entries.length} partitions, ending at ${hex(end)} (${humanSize(end)})${flashSize !== undefined ? ` of ${humanSize(flashSize)} flash` : ''}\n`);
  process.stdout.write(formatTable(input.entries));
}
