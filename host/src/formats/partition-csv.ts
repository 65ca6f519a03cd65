import { UserError } from '../errors.js';
import { safeText } from '../safe-text.js';
import { checkEntries } from './partition-binary.js';
import { ENV_VAR, csvLabelProblem, pyStrip, splitLines } from './partition-csv-text.js';
import {
  APP, DEFAULT_TABLE_OFFSET, SUBTYPES, TABLE_SECTOR, TYPES, fieldProblem, labelProblem, offsetAlignment, showNumber, subtypeName,
  typeName, type PartitionEntry,
} from './partition-types.js';

function csvError(line: number, message: string): UserError {
  return new UserError('partitions.bad-csv', `partition CSV line ${line}: ${message}`, 'fix the line; the syntax is ESP-IDF\'s: Name, Type, SubType, Offset, Size, Flags');
}

/** Python's `int(v, 0)` (0x/0o/0b prefixes, underscores, no leading zeros) with gen_esp32part's k/m suffixes. */
export function parseNumber(text: string): number | undefined {
  const v = pyStrip(text);
  const suffix = v.slice(-1).toLowerCase();
  if (suffix === 'k' || suffix === 'm') {
    const n = parseNumber(v.slice(0, -1));
    return n === undefined ? undefined : n * (suffix === 'k' ? 1024 : 1024 * 1024);
  }
  const m = /^([+-]?)(0x[0-9a-f](?:_?[0-9a-f])*|0o[0-7](?:_?[0-7])*|0b[01](?:_?[01])*|[1-9](?:_?[0-9])*|0(?:_?0)*)$/i.exec(v);
  if (!m) return undefined;
  const body = m[2]!.replace(/_/g, '').toLowerCase();
  const n = body.startsWith('0o') ? parseInt(body.slice(2), 8) : body.startsWith('0b') ? parseInt(body.slice(2), 2) : Number(body);
  return m[1] === '-' ? -n : n;
}

function parseField(text: string, keywords: Readonly<Record<string, number>>, line: number, what: string): number {
  const n = parseNumber(text);
  if (n !== undefined) return n;
  const key = text.toLowerCase();
  if (Object.hasOwn(keywords, key)) return keywords[key]!;
  const known = Object.keys(keywords);
  throw csvError(line, `${what} '${text}' is not valid${known.length ? `; known: ${known.join(', ')}` : ''}`);
}

/** A CSV value that does not fit its binary field: `partitions.out-of-range`, naming the line and partition. */
function rangeError(line: number, label: string, problem: string, text?: string): UserError {
  const shown = text === undefined ? '' : ` (written '${text.length > 40 ? `${text.slice(0, 20)}…${text.slice(-8)}, ${text.length} characters` : text}')`;
  return new UserError('partitions.out-of-range', `partition CSV line ${line} ('${safeText(label)}'): ${problem}${shown}`,
    'offsets and sizes are 32-bit (below 0x100000000, i.e. 4 GiB), type and subtype one byte (0x00–0xff)');
}

interface Row extends PartitionEntry {
  line: number;
  offsetGiven: boolean;
  offsetText: string;
  sizeText: string;
}

/** One non-comment line, as `PartitionDefinition.from_csv` reads it. */
function parseRow(line: string, lineNo: number): Row {
  if (ENV_VAR.test(line)) throw csvError(lineNo, 'environment variables ($NAME) are not supported');
  const f = `${line},,,,`.split(',').map(pyStrip);
  const [label = '', typeText = '', subText = '', offText = '', sizeText = '', flagText = ''] = f;
  const bad = labelProblem(label);
  if (bad) throw new UserError(`partitions.${bad.code}`, `partition CSV line ${lineNo}: label '${safeText(label)}' ${bad.reason}`, 'shorten or rename the partition');
  if (typeText === '') throw csvError(lineNo, "field 'type' can't be left empty");
  const type = parseField(typeText, TYPES, lineNo, 'type');
  const typeBad = fieldProblem('type', type);
  if (typeBad) throw rangeError(lineNo, label, typeBad, typeText);
  let subtype: number;
  if (subText === '') {
    if (type === APP) throw csvError(lineNo, 'app partition cannot have an empty subtype');
    subtype = SUBTYPES[1]!.undefined!;
  } else {
    subtype = parseField(subText, SUBTYPES[type] ?? {}, lineNo, 'subtype');
  }
  const subBad = fieldProblem('subtype', subtype);
  if (subBad) throw rangeError(lineNo, label, subBad, subText);
  const offset = offText === '' ? undefined : parseField(offText, {}, lineNo, 'offset');
  const offBad = offset === undefined ? undefined : fieldProblem('offset', offset);
  if (offBad) throw rangeError(lineNo, label, offBad, offText);
  if (sizeText === '') throw csvError(lineNo, "size field can't be empty");
  const size = parseField(sizeText, {}, lineNo, 'size');
  // A negative size means "up to that address", so only its magnitude is checked here.
  const sizeBad = fieldProblem('size', Math.abs(size));
  if (sizeBad) throw rangeError(lineNo, label, sizeBad, sizeText);
  let encrypted = false;
  let readonly = false;
  for (const flag of flagText.split(':')) {
    if (flag === 'encrypted') encrypted = true;
    else if (flag === 'readonly') readonly = true;
    else if (flag !== '') throw csvError(lineNo, `unknown flag '${flag}' (known: encrypted, readonly)`);
  }
  return { label, type, subtype, offset: offset ?? -1, size, encrypted, readonly, line: lineNo, offsetGiven: offset !== undefined, offsetText: offText, sizeText };
}

/**
 * Parses a partition CSV the way `gen_esp32part.py` does: lines split by Python's
 * `splitlines()` (so also at \v, \f, \x1c–\x1e, \x85, U+2028, U+2029) and stripped as Python
 * strips, '#' comments, fields trimmed, missing trailing fields empty, type/subtype names or
 * numbers, sizes and offsets with k/M suffixes, a blank offset placed after the previous
 * partition (aligned to 64 KiB for apps, 4 KiB otherwise; the first one after the table's
 * sector), a negative size meaning "up to this address".
 *
 * Exact or refused: every value must fit its binary field (`partitions.out-of-range`, naming the
 * line: offsets and sizes below 2^32, type and subtype ≤ 0xff, whole numbers), labels must fit
 * theirs (`partitions.label-too-long`, `partitions.bad-label`), a table with no partitions is
 * `partitions.empty`; other syntax errors are `partitions.bad-csv`. Does not validate the whole
 * table (alignment, overlaps by offset order, otadata): see `validatePartitions`.
 */
export function parsePartitionCsv(text: string, tableOffset = DEFAULT_TABLE_OFFSET): PartitionEntry[] {
  const rows: Row[] = [];
  splitLines(text).forEach((raw, i) => {
    const line = pyStrip(raw);
    if (line === '' || line.startsWith('#')) return;
    rows.push(parseRow(line, i + 1));
  });
  if (rows.length === 0) {
    throw new UserError('partitions.empty', 'the partition CSV defines no partitions', 'add at least one line: Name, Type, SubType, Offset, Size, Flags (a table with no partitions cannot be written as a binary that reads back)');
  }
  let lastEnd = tableOffset + TABLE_SECTOR;
  return rows.map((r, i) => {
    let offset = r.offset;
    if (r.offsetGiven && offset < lastEnd) {
      throw csvError(r.line, i === 0
        ? `first partition offset 0x${offset.toString(16)} overlaps the partition table, which ends at 0x${lastEnd.toString(16)}`
        : `offset 0x${offset.toString(16)} overlaps the previous partition, which ends at 0x${lastEnd.toString(16)}`);
    }
    if (!r.offsetGiven) {
      const a = offsetAlignment(r.type);
      offset = Math.ceil(lastEnd / a) * a;
      const bad = fieldProblem('offset', offset);
      if (bad) throw rangeError(r.line, r.label, `${bad}: a blank offset goes after the previous partition, which ends at ${showNumber(lastEnd)}`);
    }
    let size = r.size;
    if (size < 0) {
      size = -r.size - offset;
      if (size < 0) throw rangeError(r.line, r.label, `size ${showNumber(r.size)} means "up to ${showNumber(-r.size)}", which is below the offset ${showNumber(offset)}`, r.sizeText);
    }
    lastEnd = offset + size;
    return { label: r.label, type: r.type, subtype: r.subtype, offset, size, encrypted: r.encrypted, readonly: r.readonly };
  });
}

function sizeText(n: number): string {
  if (n > 0 && n % 0x100000 === 0) return `${n / 0x100000}M`;
  if (n > 0 && n % 0x400 === 0) return `${n / 0x400}K`;
  return `0x${n.toString(16)}`;
}

function notExact(message: string): UserError {
  return new UserError('partitions.not-exact', message, 'keep the binary table (esp-sse partitions TABLE.bin prints it), or fix the entry named and convert again');
}

/**
 * Writes the CSV form `gen_esp32part.py` prints for a binary table. Exact or refused: the CSV
 * must read back (with `parsePartitionCsv` at `tableOffset`) as exactly these entries, so a
 * table the CSV form cannot express is `partitions.not-exact` naming the entry and why (entries
 * out of offset order or overlapping the one before them, a first partition inside the table's
 * sector, labels with commas, line breaks, edge whitespace, a leading '#' or `$NAME`), values
 * that do not fit their fields are `partitions.out-of-range`, and no entries is `partitions.empty`.
 */
export function formatPartitionCsv(entries: readonly PartitionEntry[], tableOffset = DEFAULT_TABLE_OFFSET): string {
  checkEntries(entries);
  const rows = ['# ESP-IDF Partition Table', '# Name, Type, SubType, Offset, Size, Flags'];
  let lastEnd = tableOffset + TABLE_SECTOR;
  entries.forEach((e, i) => {
    const which = `entry ${i} ('${safeText(e.label)}')`;
    const labelBad = csvLabelProblem(e.label);
    if (labelBad) throw notExact(`partition ${which} cannot be written as CSV: its label ${labelBad}`);
    if (e.offset < lastEnd) {
      throw notExact(i === 0
        ? `partition ${which} at ${showNumber(e.offset)} is inside the partition table's sector (it ends at ${showNumber(lastEnd)}); a CSV with that offset is refused when read`
        : `partition ${which} at ${showNumber(e.offset)} comes before the end of the previous entry (${showNumber(lastEnd)}); the CSV form lists partitions in ascending offset order without overlaps, so this order cannot be written as CSV`);
    }
    lastEnd = e.offset + e.size;
    const flags = [e.encrypted && 'encrypted', e.readonly && 'readonly'].filter(Boolean).join(':');
    rows.push([e.label, typeName(e.type), subtypeName(e.type, e.subtype), `0x${e.offset.toString(16)}`, sizeText(e.size), flags].join(','));
  });
  const csv = `${rows.join('\n')}\n`;
  // Belt and braces: what is written must read back as the same entries.
  let back: PartitionEntry[];
  try {
    back = parsePartitionCsv(csv, tableOffset);
  } catch (e) {
    throw notExact(`the CSV written for these partitions does not read back: ${(e as Error).message}`);
  }
  const same = back.length === entries.length && back.every((b, i) => {
    const e = entries[i]!;
    return b.label === e.label && b.type === e.type && b.subtype === e.subtype && b.offset === e.offset && b.size === e.size && b.encrypted === e.encrypted && b.readonly === e.readonly;
  });
  if (!same) throw notExact('the CSV written for these partitions reads back as different entries');
  return csv;
}
