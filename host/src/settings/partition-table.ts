import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { UserError } from '../errors.js';
import { decodePartitionTable, looksBinary } from '../formats/partition-binary.js';
import { builtinTable, builtinTables } from '../formats/partition-builtin.js';
import { parsePartitionCsv } from '../formats/partition-csv.js';
import type { PartitionEntry } from '../formats/partition-types.js';
import { validatePartitions } from '../formats/partition-validate.js';

/** A partition table read from a file or the built-in list, with where it came from. */
export interface LoadedTable {
  entries: PartitionEntry[];
  /** The file read, or `built-in NAME`. */
  source: string;
  /** What the file held. */
  format: 'csv' | 'binary';
  /**
   * For a binary table: what its entries do not capture (unknown flag bits, bytes after a
   * label's NUL, …; see `DecodedTable.inexact`). Converting such a table is refused.
   */
  inexact?: string[];
}

/** Prefixes a table error with the file it came from. */
function fromSource(e: unknown, source: string): unknown {
  if (e instanceof UserError && !e.message.startsWith(source)) return new UserError(e.code, `${source}: ${e.message}`, e.hint, e.exitCode, { cause: e });
  return e;
}

/** A CSV file's text: UTF-8 (a leading BOM is dropped); other bytes are refused, as gen_esp32part's `data.decode()` refuses them. */
function csvText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (e) {
    throw new UserError('partitions.bad-csv', 'the partition CSV is not UTF-8 text', 'save the file as UTF-8 (a binary table starts with the bytes AA 50)', 2, { cause: e });
  }
}

/** Parses table bytes in either form (binary when it starts with the entry magic AA 50, as gen_esp32part decides). */
export function parsePartitionBytes(bytes: Uint8Array, source: string, tableOffset?: number): LoadedTable {
  try {
    if (looksBinary(bytes)) {
      const { entries, inexact } = decodePartitionTable(bytes);
      return { entries, source, format: 'binary', inexact };
    }
    return { entries: parsePartitionCsv(csvText(bytes), tableOffset), source, format: 'csv' };
  } catch (e) {
    throw fromSource(e, source);
  }
}

/** Reads a CSV or binary table file (`tableOffset` places a CSV's blank offsets); a missing file is `partitions.not-found`. */
export async function readPartitionFile(path: string, tableOffset?: number): Promise<LoadedTable> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError('partitions.not-found', code === 'ENOENT' ? `partition table ${path} does not exist` : `cannot read partition table ${path}: ${(e as Error).message}`,
      'check the path (board_build.partitions is relative to the project folder)', 2, { cause: e });
  }
  return parsePartitionBytes(bytes, path, tableOffset);
}

/**
 * The table `board_build.partitions = NAME` selects, as PlatformIO resolves it: a table the
 * Arduino core ships (`tools/partitions/NAME`) when there is one of that name, else a file
 * relative to the project folder. Validated (alignment, overlaps, fits `flashSize`).
 */
export async function resolvePartitionTable(name: string, projectDir: string, flashSize?: number): Promise<LoadedTable> {
  const builtin = builtinTable(name);
  let table: LoadedTable;
  if (builtin !== undefined && !name.includes('/') && !name.includes('\\')) {
    table = { entries: parsePartitionCsv(builtin), source: `built-in ${name}`, format: 'csv' };
  } else {
    const path = isAbsolute(name) ? name : join(projectDir, name);
    try {
      table = await readPartitionFile(path);
    } catch (e) {
      if (e instanceof UserError && e.code === 'partitions.not-found') {
        throw new UserError(e.code, `${e.message} (board_build.partitions = ${name})`,
          `give a file in the project folder or a built-in table: ${Object.keys(builtinTables).join(', ')}`, e.exitCode, { cause: e });
      }
      throw e;
    }
  }
  try {
    validatePartitions(table.entries, flashSize === undefined ? {} : { flashSize });
  } catch (e) {
    throw fromSource(e, table.source);
  }
  return table;
}
