/**
 * The partition tables the Arduino core ships (`board_build.partitions = NAME` picks one),
 * as CSV text, with the flash size each is made for. Source: espressif/arduino-esp32
 * `tools/partitions/*.csv` (read from the repository; commits named per table). Two older forms
 * of `default.csv` are kept under their own names for boards flashed by old cores; see
 * docs/partition-tables.md §2.
 */
const nvsOta = 'nvs,      data, nvs,     0x9000,  0x5000,\notadata,  data, ota,     0xe000,  0x2000,\n';
const head = '# Name,   Type, SubType, Offset,  Size, Flags\n';
const MB = 0x100000;

interface Builtin { csv: string; flashSize: number }

const tables: Readonly<Record<string, Builtin>> = {
  /** Current 4 MB default (commit acf6c7b9): two 1.25 MB OTA apps, 1.375 MB SPIFFS, 64 KB coredump. */
  'default.csv': { flashSize: 4 * MB, csv: `${head}${nvsOta}app0,     app,  ota_0,   0x10000, 0x140000,\napp1,     app,  ota_1,   0x150000,0x140000,\nspiffs,   data, spiffs,  0x290000,0x160000,\ncoredump, data, coredump,0x3F0000,0x10000,\n` },
  /** `default.csv` before the coredump partition (arduino-esp32 ~1.0.2 to 2.0.x; issue #2779 quotes it). */
  'default-2019.csv': { flashSize: 4 * MB, csv: `${head}${nvsOta}app0,     app,  ota_0,   0x10000, 0x140000,\napp1,     app,  ota_1,   0x150000,0x140000,\nspiffs,   data, spiffs,  0x290000,0x170000,\n` },
  /** The 2017 `default.csv` (commit 08b30665) with a 4 KB `eeprom` partition (subtype 0x99) before SPIFFS; tabs as in the file. */
  'default-2017.csv': { flashSize: 4 * MB, csv: `# Name,   Type, SubType, Offset,   Size, Flags\nnvs,      data, nvs,     0x9000,   0x5000,\notadata,  data, ota,     0xe000,   0x2000,\napp0,     app,  ota_0,   0x10000,  0x140000,\napp1,\t    app,\tota_1,\t 0x150000, 0x140000,\neeprom,   data, 0x99,    0x290000, 0x1000,\nspiffs,   data, spiffs,  0x291000, 0x16F000,` },
  /** Two 1.875 MB OTA apps, 128 KB SPIFFS (current form, with coredump). */
  'min_spiffs.csv': { flashSize: 4 * MB, csv: `${head}${nvsOta}app0,     app,  ota_0,   0x10000, 0x1E0000,\napp1,     app,  ota_1,   0x1F0000,0x1E0000,\nspiffs,   data, spiffs,  0x3D0000,0x20000,\ncoredump, data, coredump,0x3F0000,0x10000,\n` },
  /** One 3 MB app, no OTA (commit 0982989f). */
  'huge_app.csv': { flashSize: 4 * MB, csv: `${head}${nvsOta}app0,     app,  ota_0,   0x10000, 0x300000,\nspiffs,   data, spiffs,  0x310000,0xE0000,\ncoredump, data, coredump,0x3F0000,0x10000,` },
  /** One 2 MB app, 1.875 MB SPIFFS (commit 161b1673). */
  'no_ota.csv': { flashSize: 4 * MB, csv: `${head}${nvsOta}app0,     app,  ota_0,   0x10000, 0x200000,\nspiffs,   data, spiffs,  0x210000,0x1E0000,\ncoredump, data, coredump,0x3F0000,0x10000,` },
  /** One 1 MB app, 2.875 MB SPIFFS (commit 14d9c41e). */
  'noota_3g.csv': { flashSize: 4 * MB, csv: `${head}${nvsOta}app0,     app,  ota_0,   0x10000, 0x100000,\nspiffs,   data, spiffs,  0x110000,0x2E0000,\ncoredump, data, coredump,0x3F0000,0x10000,` },
  /** One 2 MB app, 1.875 MB FAT (commit 14d9c41e). */
  'noota_ffat.csv': { flashSize: 4 * MB, csv: `${head}${nvsOta}app0,     app,  ota_0,   0x10000, 0x200000,\nffat,     data, fat,     0x210000,0x1E0000,\ncoredump, data, coredump,0x3F0000,0x10000,\n# to create/use ffat, see https://github.com/marcmerlin/esp32_fatfsimage\n` },
  /** Two 1.94 MB OTA apps, no filesystem (commit 605db20d). */
  'no_fs.csv': { flashSize: 4 * MB, csv: `${head}${nvsOta}app0,     app,  ota_0,   0x10000, 0x1F0000,\napp1,     app,  ota_1,   0x200000,0x1F0000,\ncoredump, data, coredump,0x3F0000,0x10000,\n` },
  /** `default.csv` with FAT instead of SPIFFS (commit 0571883d). */
  'default_ffat.csv': { flashSize: 4 * MB, csv: `${head}${nvsOta}app0,     app,  ota_0,   0x10000, 0x140000,\napp1,     app,  ota_1,   0x150000,0x140000,\nffat,     data, fat,     0x290000,0x160000,\ncoredump, data, coredump,0x3F0000,0x10000,` },
  /** The 2 MB table: one 1.25 MB app, 640 KB SPIFFS (commit 14d9c41e). */
  'minimal.csv': { flashSize: 2 * MB, csv: `# Name,   Type, SubType, Offset,   Size, Flags\nnvs,      data, nvs,     0x9000,   0x5000,\notadata,  data, ota,     0xe000,   0x2000,\napp0,     app,  ota_0,   0x10000,  0x140000,\nspiffs,   data, spiffs,  0x150000, 0xA0000,\ncoredump, data, coredump,0x1F0000, 0x10000,` },
  /** 2 MB, factory app only, sizes with K suffixes (commit ac5c889f). */
  'bare_minimum_2MB.csv': { flashSize: 2 * MB, csv: `${head}nvs,      data, nvs,     36K,     20K,\nfactory,  app,  factory, 64K,     1900K,\n` },
  /** 8 MB: two 3.2 MB OTA apps, 1.5 MB SPIFFS (commit 8de5fc2a). */
  'default_8MB.csv': { flashSize: 8 * MB, csv: `${head}${nvsOta}app0,     app,  ota_0,   0x10000, 0x330000,\napp1,     app,  ota_1,   0x340000,0x330000,\nspiffs,   data, spiffs,  0x670000,0x180000,\ncoredump, data, coredump,0x7F0000,0x10000,` },
  /** 16 MB: two 6.25 MB OTA apps, 3.375 MB SPIFFS (current form, with coredump). */
  'default_16MB.csv': { flashSize: 16 * MB, csv: `${head}${nvsOta}app0,     app,  ota_0,   0x10000, 0x640000,\napp1,     app,  ota_1,   0x650000,0x640000,\nspiffs,   data, spiffs,  0xc90000,0x360000,\ncoredump, data, coredump,0xFF0000,0x10000,\n` },
};

/** Built-in table CSVs by file name. */
export const builtinTables: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(tables).map(([k, v]) => [k, v.csv]));

/** Flash size each built-in table is made for. */
export const builtinFlashSize: Readonly<Record<string, number>> = Object.fromEntries(Object.entries(tables).map(([k, v]) => [k, v.flashSize]));

export const DEFAULT_TABLE = 'default.csv';

/** The CSV of a built-in table by its Arduino name (with or without `.csv`), or undefined. */
export function builtinTable(name: string): string | undefined {
  return builtinTables[name.endsWith('.csv') ? name : `${name}.csv`];
}
