/**
 * Which partition holds the filesystem, the one home of that rule and of its errors: PlatformIO
 * writes the image to the last fat/spiffs/littlefs data partition (`builder/main.py`
 * `fetch_fs_size` keeps overwriting while it scans); the board's `SPIFFS.begin()` mounts the
 * first spiffs one and `LittleFS.begin()` the one labelled `spiffs` (docs/littlefs.md §1).
 * `fs build`, `fs ls`, `fs pull`, `uploadfs`, `flash --fs` and the emulator's boot all ask here.
 */
import { UserError } from '../errors.js';
import { safeText } from '../safe-text.js';
import { isFsPartition } from './flash-layout.js';
import type { FsType } from './fs-type.js';
import { DATA, SPIFFS_SUBTYPE, SUBTYPES, subtypeName, type PartitionEntry } from './partition-types.js';

/** Where a partition is and what it holds: enough to tell which one the board mounts. */
export type PartitionPlace = Pick<PartitionEntry, 'label' | 'type' | 'subtype' | 'offset'>;

/** The label `LittleFS.begin()` mounts when the sketch names none (any data subtype). */
export const LITTLEFS_DEFAULT_LABEL = 'spiffs';

const hex = (n: number): string => `0x${n.toString(16)}`;

/** The filesystem partition PlatformIO uses: the last data partition of subtype fat, spiffs or littlefs. */
export function findFilesystemPartition<T extends PartitionPlace>(entries: readonly T[]): T | undefined {
  let found: T | undefined;
  for (const p of entries) if (isFsPartition(p)) found = p;
  return found;
}

/**
 * The partition the sketch's `SPIFFS.begin()` mounts: with no label, arduino-esp32 registers
 * ESP-IDF's SPIFFS VFS without one, which takes the first data partition of subtype spiffs
 * (`esp_partition_find_first`). The emulator mounts the same one.
 */
export function mountedSpiffsPartition<T extends PartitionPlace>(entries: readonly T[]): T | undefined {
  return entries.find((p) => p.type === DATA && p.subtype === SPIFFS_SUBTYPE);
}

/**
 * The partition a sketch's `begin()` without a label mounts for `type`: SPIFFS the first spiffs
 * partition; LittleFS the data partition labelled `spiffs`, whatever its subtype
 * (esp_littlefs: `esp_partition_find_first(DATA, SUBTYPE_ANY, "spiffs")`).
 */
export function mountedPartition<T extends PartitionPlace>(entries: readonly T[], type: FsType): T | undefined {
  return type === 'spiffs' ? mountedSpiffsPartition(entries) : entries.find((p) => p.type === DATA && p.label === LITTLEFS_DEFAULT_LABEL);
}

/** Where a table came from, for the messages of {@link pickFsPartition}. */
export interface TableSource {
  /** How messages name it: `the partition table`, `the board's partition table`, `partition table default.csv`. */
  name: string;
  /** The hint of every `fs.no-partition`: the other ways to point at the filesystem from here. */
  hint: string;
  /** Message and hint when there is no table at all (an erased board, a plain image). */
  empty?: { message: string; hint: string };
}

/** What {@link pickFsPartition} looks for. */
export interface FsPartitionQuery {
  /** The partition named with `--partition`; without it, `rule` picks. */
  label?: string;
  /** `written` (default): PlatformIO's, the last fat/spiffs/littlefs data partition; `mounted`: the one the board mounts for that filesystem. */
  rule?: 'written' | { mounted: FsType };
  /**
   * What the picked partition must be: `filesystem` a fat/spiffs/littlefs data partition
   * (`fs.not-filesystem`); `readable` a spiffs or littlefs one (`fs.unsupported-filesystem`).
   * Default: anything.
   */
  require?: 'filesystem' | 'readable';
}

function described(p: PartitionPlace): string {
  return `${p.type === DATA ? 'data' : `type ${p.type}`}, subtype ${subtypeName(p.type, p.subtype)}`;
}

/**
 * The filesystem partition of `entries` for `query`, or a `UserError` (exit 2):
 * `fs.no-partition` (no table, no partition of that label, none the rule picks),
 * `fs.not-filesystem` or `fs.unsupported-filesystem` (a partition that `require` refuses).
 */
export function pickFsPartition<T extends PartitionPlace>(entries: readonly T[], source: TableSource, query: FsPartitionQuery = {}): T {
  if (entries.length === 0 && source.empty) throw new UserError('fs.no-partition', source.empty.message, source.empty.hint);
  const have = `it has: ${entries.map((e) => safeText(e.label)).join(', ')}`;
  const rule = query.rule ?? 'written';
  let p: T | undefined;
  if (query.label !== undefined) p = entries.find((e) => e.label === query.label);
  else p = rule === 'written' ? findFilesystemPartition(entries) : mountedPartition(entries, rule.mounted);
  if (!p) {
    const what = query.label !== undefined ? `no partition named '${safeText(query.label)}' (${have})`
      : rule === 'written' ? `no filesystem partition (a data partition of subtype spiffs, fat or littlefs; ${have})`
        : rule.mounted === 'spiffs' ? `no spiffs partition, the one SPIFFS.begin() mounts (${have})`
          : `no partition labelled '${LITTLEFS_DEFAULT_LABEL}', the one LittleFS.begin() mounts (${have})`;
    throw new UserError('fs.no-partition', `${source.name} has ${what}`, source.hint);
  }
  if (query.require === 'filesystem' && !isFsPartition(p)) {
    throw new UserError('fs.not-filesystem', `partition '${safeText(p.label)}' is not a filesystem partition (${described(p)})`,
      'choose a data partition of subtype spiffs, fat or littlefs');
  }
  const readable = p.type === DATA && (p.subtype === SPIFFS_SUBTYPE || p.subtype === SUBTYPES[DATA]!.littlefs);
  if (query.require === 'readable' && !readable) {
    throw new UserError('fs.unsupported-filesystem', `partition '${safeText(p.label)}' is not a spiffs partition or a littlefs one (${described(p)}); esp-sse reads SPIFFS and LittleFS`,
      'read it raw with esp-sse read-flash');
  }
  return p;
}

/** What a filesystem image written to `target` means for the board, when that is not what it mounts. */
export interface FsTargetWarning {
  readonly code: 'fs.not-mounted';
  readonly message: string;
  readonly hint: string;
}

/**
 * An image written where the board's `begin()` without a label does not look. For SPIFFS, a
 * table with more than one spiffs partition makes PlatformIO's rule (the last) and the board's
 * (the first) disagree; for LittleFS, the board mounts the partition labelled `spiffs`.
 * Undefined when `target` is the mounted one, or when the board mounts none of them.
 */
export function fsTargetWarning(entries: readonly PartitionPlace[], target: PartitionPlace, type: FsType = 'spiffs'): FsTargetWarning | undefined {
  const mounted = mountedPartition(entries, type);
  if (!mounted || mounted.offset === target.offset) return undefined;
  if (type === 'spiffs' && (target.type !== DATA || target.subtype !== SPIFFS_SUBTYPE)) return undefined;
  const [cls, rule, args] = type === 'spiffs'
    ? ['SPIFFS', 'mounts the first spiffs partition', '"/spiffs", 10']
    : ['LittleFS', `mounts the partition labelled '${LITTLEFS_DEFAULT_LABEL}'`, '"/littlefs", 10'];
  return {
    code: 'fs.not-mounted',
    message: `the image is for ${type === 'spiffs' ? 'spiffs ' : ''}partition '${safeText(target.label)}' at ${hex(target.offset)}, but ${cls}.begin() ${rule}, '${safeText(mounted.label)}' at ${hex(mounted.offset)}: a sketch that calls it without a label will not see these files`,
    hint: `write the image to '${safeText(mounted.label)}', the partition the board mounts (uploadfs --partition ${safeText(mounted.label)}), or mount '${safeText(target.label)}' in the sketch: ${cls}.begin(false, ${args}, "${safeText(target.label)}")`,
  };
}
