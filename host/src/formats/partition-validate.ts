import { UserError } from '../errors.js';
import { safeText } from '../safe-text.js';
import {
  APP, DATA, DEFAULT_TABLE_OFFSET, LABEL_BYTES, SUBTYPES, TABLE_SECTOR, offsetAlignment,
  type PartitionEntry,
} from './partition-types.js';

const hex = (n: number): string => `0x${n.toString(16)}`;

/**
 * Checks a table the way `gen_esp32part.py verify` (and the `--flash-size` check) does:
 * alignment, labels unique and ≤ 16 bytes, nothing below the table's sector, no overlaps, one
 * otadata of 0x2000 bytes, app sizes in whole 4 KiB sectors, and the table inside the flash.
 * Throws the first problem as a `UserError` with a `partitions.*` code.
 */
export function validatePartitions(entries: readonly PartitionEntry[], opts: { flashSize?: number; tableOffset?: number } = {}): void {
  const tableEnd = (opts.tableOffset ?? DEFAULT_TABLE_OFFSET) + TABLE_SECTOR;
  const fail = (code: string, msg: string, hint: string): never => { throw new UserError(`partitions.${code}`, msg, hint); };
  const seen = new Set<string>();
  for (const p of entries) {
    if (new TextEncoder().encode(p.label).length > LABEL_BYTES) fail('label-too-long', `partition label '${safeText(p.label)}' is longer than ${LABEL_BYTES} bytes`, 'shorten the name');
    if (seen.has(p.label)) fail('duplicate-label', `two partitions are named '${safeText(p.label)}'`, 'partition names must be unique');
    seen.add(p.label);
    const a = offsetAlignment(p.type);
    if (p.offset % a !== 0) fail('misaligned', `partition '${safeText(p.label)}' at ${hex(p.offset)} is not aligned to ${hex(a)}`, `move it to a multiple of ${hex(a)} (or leave the offset blank)`);
    if (p.type === APP && p.size % 0x1000 !== 0) fail('misaligned', `app partition '${safeText(p.label)}' size ${hex(p.size)} is not a multiple of 0x1000`, 'round the size to whole 4 KiB sectors');
    if (p.size <= 0) fail('bad-size', `partition '${safeText(p.label)}' has size ${p.size}`, 'give a positive size');
    if (p.offset < tableEnd) fail('overlap', `partition '${safeText(p.label)}' at ${hex(p.offset)} is below ${hex(tableEnd)}, the end of the partition table's sector`, `start partitions at ${hex(tableEnd)} or later`);
  }
  const sorted = [...entries].sort((x, y) => x.offset - y.offset);
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1]!;
    const cur = sorted[i]!;
    if (cur.offset < prev.offset + prev.size) {
      fail('overlap', `partition '${safeText(cur.label)}' at ${hex(cur.offset)} overlaps '${safeText(prev.label)}' (${hex(prev.offset)}–${hex(prev.offset + prev.size - 1)})`, 'move it past the end of the previous partition');
    }
  }
  const ota = entries.filter((p) => p.type === DATA && p.subtype === SUBTYPES[DATA]!.ota);
  if (ota.length > 1) fail('duplicate-otadata', `${ota.length} otadata partitions (type data, subtype ota)`, 'keep exactly one');
  if (ota.length === 1 && ota[0]!.size !== 0x2000) fail('bad-size', `otadata partition '${safeText(ota[0]!.label)}' is ${hex(ota[0]!.size)} bytes; it must be 0x2000`, 'set its size to 0x2000');
  const end = sorted.reduce((m, p) => Math.max(m, p.offset + p.size), 0);
  if (opts.flashSize !== undefined && end > opts.flashSize) {
    fail('too-big-for-flash', `the partitions end at ${hex(end)} (${(end / 0x100000).toFixed(2)} MB), past the ${opts.flashSize / 0x100000} MB flash`, 'shrink a partition or use a table for this flash size');
  }
}
