/**
 * SPIFFS and LittleFS image build and read speed: a full-size image for the default 4 MB
 * table's spiffs partition (0x160000 bytes, the 1.4 MB partition) holding 100 files (~1.2 MB of
 * data), built with `buildSpiffs` / `buildLittlefs` (PlatformIO's mklittlefs layout) and read
 * back with `readSpiffs` / `readLittlefs`. Baselines measured in the same run on the same bytes:
 *   - `plain copy`: the file bytes copied back to back into a 0x160000-byte buffer (memcpy floor);
 *   - `page copy`: the same bytes cut into 251-byte chunks at 256-byte page strides (the data
 *     movement a SPIFFS layout needs, without any metadata).
 * Run: node --import tsx host/bench/spiffs-build.ts [iterations]
 */
import { buildLittlefs } from '../src/formats/littlefs-builder.js';
import { readLittlefs } from '../src/formats/littlefs-reader.js';
import { buildSpiffs, type SpiffsInput } from '../src/formats/spiffs-builder.js';
import { readSpiffs } from '../src/formats/spiffs-reader.js';

const SIZE = 0x160000;
const FILES = 100;
const FILE_BYTES = 12_000;
const iterations = Number(process.argv[2] ?? 30);

function makeFiles(): SpiffsInput[] {
  const files: SpiffsInput[] = [];
  let x = 0x12345678;
  for (let i = 0; i < FILES; i++) {
    const data = new Uint8Array(FILE_BYTES + (i % 7) * 13);
    for (let j = 0; j < data.length; j++) {
      x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
      data[j] = x & 0xff;
    }
    files.push({ name: `/d${i % 10}/file-${String(i).padStart(3, '0')}.bin`, data });
  }
  return files;
}

/** Times each operation `iterations` times, interleaved round by round so load on the machine hits all alike. */
function timeAll(ops: Array<[string, () => unknown]>): Array<[string, number[]]> {
  for (let i = 0; i < 3; i++) for (const [, fn] of ops) fn();
  const out = ops.map(([name]) => [name, [] as number[]] as [string, number[]]);
  for (let i = 0; i < iterations; i++) {
    ops.forEach(([, fn], k) => {
      const t0 = process.hrtime.bigint();
      fn();
      out[k]![1].push(Number(process.hrtime.bigint() - t0) / 1e6);
    });
  }
  for (const [, t] of out) t.sort((a, b) => a - b);
  return out;
}

const files = makeFiles();
const bytes = files.reduce((n, f) => n + f.data.length, 0);

const plainCopy = (): Uint8Array => {
  const out = new Uint8Array(SIZE).fill(0xff);
  let o = 0;
  for (const f of files) { out.set(f.data, o); o += f.data.length; }
  return out;
};
const pageCopy = (): Uint8Array => {
  const out = new Uint8Array(SIZE).fill(0xff);
  let page = 1;
  for (const f of files) {
    for (let o = 0; o < f.data.length; o += 251) {
      if (page % 16 === 0) page++;
      out.set(f.data.subarray(o, o + 251), page * 256 + 5);
      page++;
    }
  }
  return out;
};
let image = buildSpiffs(files, SIZE);
let lfs = buildLittlefs(files, SIZE);
const rows = timeAll([
  ['plain copy (baseline)', plainCopy],
  ['page copy (baseline)', pageCopy],
  ['buildSpiffs', () => { image = buildSpiffs(files, SIZE); }],
  ['readSpiffs', () => readSpiffs(image)],
  ['buildLittlefs', () => { lfs = buildLittlefs(files, SIZE); }],
  ['readLittlefs', () => readLittlefs(lfs)],
]);

const median = (xs: number[]): number => xs[Math.floor(xs.length / 2)]!;
const base = median(rows[0]![1]);
process.stdout.write(`SPIFFS and LittleFS ${SIZE} bytes (0x${SIZE.toString(16)}), ${FILES} files, ${bytes} bytes of data; ${iterations} runs each, median (min)\n`);
process.stdout.write(`${'operation'.padEnd(24)}${'ms'.padStart(16)}${'MB/s of data'.padStart(16)}${'× plain copy'.padStart(14)}\n`);
for (const [name, t] of rows) {
  const m = median(t);
  process.stdout.write(`${name.padEnd(24)}${`${m.toFixed(2)} (${t[0]!.toFixed(2)})`.padStart(16)}${(bytes / (m / 1000) / 1e6).toFixed(1).padStart(16)}${(m / base).toFixed(1).padStart(14)}\n`);
}
const check = readSpiffs(image).files;
if (check.length !== FILES || check.reduce((n, f) => n + f.size, 0) !== bytes) throw new Error('bench image does not read back');
const checkLfs = readLittlefs(lfs).files;
if (checkLfs.length !== FILES || checkLfs.reduce((n, f) => n + f.size, 0) !== bytes) throw new Error('bench LittleFS image does not read back');
