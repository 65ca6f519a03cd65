import { createHash } from 'node:crypto';
import { UserError } from '../errors.js';
import {
  ENTRY_MAGIC, ENTRY_SIZE, FLAG_BITS, LABEL_BYTES, MD5_MAGIC, TABLE_LENGTH, type PartitionEntry,
} from './partition-types.js';

const enc = new TextEncoder();
const dec = new TextDecoder();

function binError(offset: number, message: string, hint?: string): UserError {
  return new UserError('partitions.bad-binary', `partition table byte 0x${offset.toString(16)}: ${message}`, hint ?? 'regenerate the table from its CSV with `esp-sse partitions FILE.csv --out partitions.bin`');
}

/**
 * Encodes the 0xC00-byte table the bootloader reads at 0x8000: 32-byte entries
 * (`<2sBBLL16sL`: magic AA 50, type, subtype, offset, size, label, flags), the MD5 entry
 * (EB EB, 14 × FF, MD5 of the entries), then 0xFF.
 */
export function encodePartitionTable(entries: readonly PartitionEntry[], opts: { md5?: boolean } = {}): Uint8Array {
  const md5 = opts.md5 ?? true;
  const used = (entries.length + (md5 ? 1 : 0)) * ENTRY_SIZE;
  if (used >= TABLE_LENGTH) {
    throw new UserError('partitions.too-many', `${entries.length} partitions${md5 ? ' and the MD5 entry' : ''} need ${used} bytes; a table must stay under ${TABLE_LENGTH} (0x${TABLE_LENGTH.toString(16)}) bytes`, 'merge or drop partitions (at most 94 with the MD5 entry, 95 without)');
  }
  const out = new Uint8Array(TABLE_LENGTH).fill(0xff);
  const view = new DataView(out.buffer);
  entries.forEach((e, i) => {
    const o = i * ENTRY_SIZE;
    const label = enc.encode(e.label);
    if (label.length > LABEL_BYTES) throw new UserError('partitions.label-too-long', `partition label '${e.label}' is ${label.length} bytes; the limit is ${LABEL_BYTES}`, 'shorten the name');
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
  let md5 = false;
  const hash = createHash('md5');
  for (let o = 0; o < Math.min(bin.length, TABLE_LENGTH); o += ENTRY_SIZE) {
    if (o + ENTRY_SIZE > bin.length) throw binError(o, 'table ends inside an entry (truncated?)');
    const row = bin.subarray(o, o + ENTRY_SIZE);
    if (row.every((b) => b === 0xff)) return { entries, md5, unknownFlags };
    const magic = view.getUint16(o, true);
    if (magic === MD5_MAGIC) {
      const want = hash.copy().digest();
      if (!Buffer.from(row.subarray(16)).equals(want)) {
        throw new UserError('partitions.bad-md5', `partition table MD5 at byte 0x${o.toString(16)} does not match its entries (stored ${Buffer.from(row.subarray(16)).toString('hex')}, computed ${want.toString('hex')})`, 'the table is damaged: write a fresh one from its CSV');
      }
      md5 = true;
      continue;
    }
    if (magic !== ENTRY_MAGIC) throw binError(o, `entry magic 0x${magic.toString(16)} is not 0x50aa`);
    hash.update(row);
    const labelField = row.subarray(12, 28);
    const nul = labelField.indexOf(0);
    const flags = view.getUint32(o + 28, true);
    const label = dec.decode(nul < 0 ? labelField : labelField.subarray(0, nul));
    const rest = flags & ~(FLAG_BITS.encrypted | FLAG_BITS.readonly);
    if (rest) unknownFlags.push({ label, bits: rest >>> 0 });
    entries.push({
      label, type: row[2]!, subtype: row[3]!,
      offset: view.getUint32(o + 4, true), size: view.getUint32(o + 8, true),
      encrypted: (flags & FLAG_BITS.encrypted) !== 0, readonly: (flags & FLAG_BITS.readonly) !== 0,
    });
  }
  throw binError(Math.min(bin.length, TABLE_LENGTH), 'no end-of-table marker (32 × 0xFF) within 0xC00 bytes');
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
