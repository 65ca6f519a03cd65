import { createHash } from 'node:crypto';
import { UserError } from '../errors.js';
import { safeText } from '../safe-text.js';
import {
  ENTRY_MAGIC, ENTRY_SIZE, FLAG_BITS, MD5_MAGIC, TABLE_LENGTH, fieldProblem, labelProblem, type PartitionEntry,
} from './partition-types.js';

const enc = new TextEncoder();
const dec = new TextDecoder('utf-8', { ignoreBOM: true });
const strictDec = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function binError(offset: number, message: string, hint?: string): UserError {
  return new UserError('partitions.bad-binary', `partition table byte 0x${offset.toString(16)}: ${message}`, hint ?? 'regenerate the table from its CSV with `esp-sse partitions FILE.csv --out partitions.bin`');
}

/**
 * Checks that every entry fits the binary form exactly: at least one entry (`partitions.empty`),
 * type and subtype whole numbers 0–0xff and offset and size 0–0xffffffff
 * (`partitions.out-of-range`), labels of at most 16 UTF-8 bytes (`partitions.label-too-long`)
 * without NUL or lone surrogates (`partitions.bad-label`). Each error names the entry.
 */
export function checkEntries(entries: readonly PartitionEntry[]): void {
  if (entries.length === 0) {
    throw new UserError('partitions.empty', 'the partition table has no partitions', 'a table needs at least one partition (a table with none cannot be read back: its first bytes are not an entry)');
  }
  entries.forEach((e, i) => {
    const which = `partition entry ${i} ('${safeText(e.label)}')`;
    const bad = labelProblem(e.label);
    if (bad) throw new UserError(`partitions.${bad.code}`, `${which}: the label ${bad.reason}`, 'shorten or rename the partition');
    for (const field of ['type', 'subtype', 'offset', 'size'] as const) {
      const problem = fieldProblem(field, e[field]);
      if (problem) {
        throw new UserError('partitions.out-of-range', `${which}: ${problem}`,
          'offsets and sizes are 32-bit (below 0x100000000, i.e. 4 GiB), type and subtype one byte (0x00–0xff)');
      }
    }
  });
}

/**
 * Encodes the 0xC00-byte table the bootloader reads at 0x8000: 32-byte entries
 * (`<2sBBLL16sL`: magic AA 50, type, subtype, offset, size, label, flags), the MD5 entry
 * (EB EB, 14 × FF, MD5 of the entries), then 0xFF. Exact or refused: see {@link checkEntries}.
 */
export function encodePartitionTable(entries: readonly PartitionEntry[], opts: { md5?: boolean } = {}): Uint8Array {
  const md5 = opts.md5 ?? true;
  checkEntries(entries);
  const used = (entries.length + (md5 ? 1 : 0)) * ENTRY_SIZE;
  if (used >= TABLE_LENGTH) {
    throw new UserError('partitions.too-many', `${entries.length} partitions${md5 ? ' and the MD5 entry' : ''} need ${used} bytes; a table must stay under ${TABLE_LENGTH} (0x${TABLE_LENGTH.toString(16)}) bytes`, 'merge or drop partitions (at most 94 with the MD5 entry, 95 without)');
  }
  const out = new Uint8Array(TABLE_LENGTH).fill(0xff);
  const view = new DataView(out.buffer);
  entries.forEach((e, i) => {
    const o = i * ENTRY_SIZE;
    const label = enc.encode(e.label);
    view.setUint16(o, ENTRY_MAGIC, true);
    out[o + 2] = e.type;
    out[o + 3] = e.subtype;
    view.setUint32(o + 4, e.offset, true);
    view.setUint32(o + 8, e.size, true);
    out.fill(0, o + 12, o + 28);
    out.set(label, o + 12);
    view.setUint32(o + 28, (e.encrypted ? FLAG_BITS.encrypted : 0) | (e.readonly ? FLAG_BITS.readonly : 0), true);
  });
  if (md5) {
    const o = entries.length * ENTRY_SIZE;
    view.setUint16(o, MD5_MAGIC, true);
    out.set(createHash('md5').update(out.subarray(0, o)).digest(), o + 16);
  }
  return out;
}

/** What a binary table held besides its entries. */
export interface DecodedTable {
  entries: PartitionEntry[];
  /** Whether an MD5 entry was present (and matched). */
  md5: boolean;
  /** Flag bits this tool does not know, per label. */
  unknownFlags: Array<{ label: string; bits: number }>;
  /**
   * What the entries do not capture, so that encoding them again would not give these bytes
   * back (empty when it would): unknown flag bits, label bytes after the NUL, a label that is
   * not UTF-8, an MD5 entry not made of EB EB + 14 × FF or not after the last entry, bytes
   * after the end marker that are not 0xFF. A conversion that must be exact refuses such a table.
   */
  inexact: string[];
}

/**
 * Decodes a binary table like the bootloader and `gen_esp32part.py`: entries until 32 × 0xFF,
 * an MD5 entry checked against the entries before it. Errors are `partitions.bad-binary`
 * (bad magic, no end marker) and `partitions.bad-md5`.
 */
export function decodePartitionTable(bin: Uint8Array): DecodedTable {
  const view = new DataView(bin.buffer, bin.byteOffset, bin.byteLength);
  const entries: PartitionEntry[] = [];
  const unknownFlags: DecodedTable['unknownFlags'] = [];
  const inexact: string[] = [];
  let md5 = false;
  const hash = createHash('md5');
  const end = Math.min(bin.length, TABLE_LENGTH);
  for (let o = 0; o < end; o += ENTRY_SIZE) {
    if (o + ENTRY_SIZE > bin.length) throw binError(o, 'table ends inside an entry (truncated?)');
    const row = bin.subarray(o, o + ENTRY_SIZE);
    if (row.every((b) => b === 0xff)) {
      const rest = bin.subarray(o + ENTRY_SIZE, end).findIndex((b) => b !== 0xff);
      if (rest >= 0) inexact.push(`byte 0x${(o + ENTRY_SIZE + rest).toString(16)}, after the end marker, is not 0xff`);
      return { entries, md5, unknownFlags, inexact };
    }
    const magic = view.getUint16(o, true);
    if (magic === MD5_MAGIC) {
      const want = hash.copy().digest();
      if (!Buffer.from(row.subarray(16)).equals(want)) {
        throw new UserError('partitions.bad-md5', `partition table MD5 at byte 0x${o.toString(16)} does not match its entries (stored ${Buffer.from(row.subarray(16)).toString('hex')}, computed ${want.toString('hex')})`, 'the table is damaged: write a fresh one from its CSV');
      }
      if (md5) inexact.push(`a second MD5 entry at byte 0x${o.toString(16)}`);
      if (!row.subarray(2, 16).every((b) => b === 0xff)) inexact.push(`the MD5 entry at byte 0x${o.toString(16)} has bytes 2–15 other than 0xff`);
      md5 = true;
      continue;
    }
    if (magic !== ENTRY_MAGIC) throw binError(o, `entry magic 0x${magic.toString(16)} is not 0x50aa`);
    if (md5) inexact.push(`entry at byte 0x${o.toString(16)} comes after the MD5 entry`);
    hash.update(row);
    const labelField = row.subarray(12, 28);
    const nul = labelField.indexOf(0);
    const labelBytes = nul < 0 ? labelField : labelField.subarray(0, nul);
    let label: string;
    try {
      label = strictDec.decode(labelBytes);
    } catch {
      label = dec.decode(labelBytes);
      inexact.push(`the label of the entry at byte 0x${o.toString(16)} is not UTF-8 (shown as '${safeText(label)}')`);
    }
    if (nul >= 0 && !labelField.subarray(nul).every((b) => b === 0)) inexact.push(`the label field of '${safeText(label)}' has bytes after its NUL terminator`);
    const flags = view.getUint32(o + 28, true);
    const rest = flags & ~(FLAG_BITS.encrypted | FLAG_BITS.readonly);
    if (rest) {
      unknownFlags.push({ label, bits: rest >>> 0 });
      inexact.push(`'${safeText(label)}' has flag bits this tool does not know (0x${(rest >>> 0).toString(16)})`);
    }
    entries.push({
      label, type: row[2]!, subtype: row[3]!,
      offset: view.getUint32(o + 4, true), size: view.getUint32(o + 8, true),
      encrypted: (flags & FLAG_BITS.encrypted) !== 0, readonly: (flags & FLAG_BITS.readonly) !== 0,
    });
  }
  throw binError(end, 'no end-of-table marker (32 × 0xFF) within 0xC00 bytes');
}

/** True if the bytes start like a binary table (entry or MD5 magic), as gen_esp32part decides. */
export function looksBinary(bytes: Uint8Array): boolean {
  return bytes[0] === 0xaa && bytes[1] === 0x50;
}

/**
 * Decodes a binary table read from `source` (a file name, for messages): the entries, with any
 * `partitions.*` error's message prefixed by where the bytes came from.
 */
export function parsePartitionBinary(bin: Uint8Array, source: string): PartitionEntry[] {
  try {
    return decodePartitionTable(bin).entries;
  } catch (e) {
    if (e instanceof UserError) throw new UserError(e.code, `${source}: ${e.message}`, e.hint, e.exitCode, { cause: e });
    throw e;
  }
}
