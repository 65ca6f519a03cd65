import { UserError } from '../errors.js';
import {
  APP, DEFAULT_TABLE_OFFSET, SUBTYPES, TABLE_SECTOR, TYPES, offsetAlignment, subtypeName, typeName,
  type PartitionEntry,
} from './partition-types.js';

function csvError(line: number, message: string): UserError {
  return new UserError('partitions.bad-csv', `partition CSV line ${line}: ${message}`, 'fix the line; the syntax is ESP-IDF\'s: Name, Type, SubType, Offset, Size, Flags');
}

/** Python's `int(v, 0)` (0x/0o/0b prefixes, underscores, no leading zeros) with gen_esp32part's k/m suffixes. */
export function parseNumber(text: string): number | undefined {
  const v = text.trim();
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
  const k = keywords[text.toLowerCase()];
  if (k !== undefined) return k;
  const known = Object.keys(keywords);
  throw csvError(line, `${what} '${text}' is not valid${known.length ? `; known: ${known.join(', ')}` : ''}`);
}

/**
 * Parses a partition CSV the way `gen_esp32part.py` does: '#' comments, fields trimmed, missing
 * trailing fields empty, type/subtype names or numbers, sizes and offsets with k/M suffixes, a
 * blank offset placed after the previous partition (aligned to 64 KiB for apps, 4 KiB
 * otherwise; the first one after the table's sector), a negative size meaning "up to this
 * address". Does not validate the whole table: see `validatePartitions`.
 */
export function parsePartitionCsv(text: string, tableOffset = DEFAULT_TABLE_OFFSET): PartitionEntry[] {
  const rows: Array<PartitionEntry & { line: number; offsetGiven: boolean }> = [];
  text.split(/\r\n|\r|\n/).forEach((raw, i) => {
    const lineNo = i + 1;
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    if (/(^|[^\\])\$[A-Za-z_]/.test(line)) throw csvError(lineNo, 'environment variables ($NAME) are not supported');
    const f = `${line},,,,`.split(',').map((s) => s.trim());
    const [label = '', typeText = '', subText = '', offText = '', sizeText = '', flagText = ''] = f;
    if (typeText === '') throw csvError(lineNo, "field 'type' can't be left empty");
    const type = parseField(typeText, TYPES, lineNo, 'type');
    let subtype: number;
    if (subText === '') {
      if (type === APP) throw csvError(lineNo, 'app partition cannot have an empty subtype');
      subtype = SUBTYPES[1]!.undefined!;
    } else {
      subtype = parseField(subText, SUBTYPES[type] ?? {}, lineNo, 'subtype');
    }
    const offset = offText === '' ? undefined : parseField(offText, {}, lineNo, 'offset');
    if (sizeText === '') throw csvError(lineNo, "size field can't be empty");
    const size = parseField(sizeText, {}, lineNo, 'size');
    let encrypted = false;
    let readonly = false;
    for (const flag of flagText.split(':')) {
      if (flag === 'encrypted') encrypted = true;
      else if (flag === 'readonly') readonly = true;
      else if (flag !== '') throw csvError(lineNo, `unknown flag '${flag}' (known: encrypted, readonly)`);
    }
    rows.push({ label, type, subtype, offset: offset ?? -1, size, encrypted, readonly, line: lineNo, offsetGiven: offset !== undefined });
  });
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
    }
    const size = r.size < 0 ? -r.size - offset : r.size;
    lastEnd = offset + size;
    return { label: r.label, type: r.type, subtype: r.subtype, offset, size, encrypted: r.encrypted, readonly: r.readonly };
  });
}

function sizeText(n: number): string {
  if (n > 0 && n % 0x100000 === 0) return `${n / 0x100000}M`;
  if (n > 0 && n % 0x400 === 0) return `${n / 0x400}K`;
  return `0x${n.toString(16)}`;
}

/** Writes the CSV form `gen_esp32part.py` prints for a binary table. */
export function formatPartitionCsv(entries: readonly PartitionEntry[]): string {
  const rows = ['# ESP-IDF Partition Table', '# Name, Type, SubType, Offset, Size, Flags'];
  for (const e of entries) {
    const flags = [e.encrypted && 'encrypted', e.readonly && 'readonly'].filter(Boolean).join(':');
    rows.push([e.label, typeName(e.type), subtypeName(e.type, e.subtype), `0x${e.offset.toString(16)}`, sizeText(e.size), flags].join(','));
  }
  return `${rows.join('\n')}\n`;
}
