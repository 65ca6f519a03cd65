/**
 * The partition tables the Arduino core ships (`board_build.partitions = NAME` picks one),
 * as CSV text. Source: espressif/arduino-esp32 `tools/partitions/*.csv`; `default.csv` at
 * commit acf6c7b9 (current), its ~2019–2023 form (issue #2779 quotes it) and its 2017 form
 * at commit 08b30665 (with the `eeprom` partition). See docs/esp32-serial-protocol.md §6.2.
 */
const header = '# Name,   Type, SubType, Offset,  Size, Flags\nnvs,      data, nvs,     0x9000,  0x5000,\notadata,  data, ota,     0xe000,  0x2000,\n';

export const builtinTables: Readonly<Record<string, string>> = {
  /** Current 4 MB default: two 1.25 MB OTA apps, 1.375 MB SPIFFS, 64 KB coredump. */
  'default.csv': `${header}app0,     app,  ota_0,   0x10000, 0x140000,\napp1,     app,  ota_1,   0x150000,0x140000,\nspiffs,   data, spiffs,  0x290000,0x160000,\ncoredump, data, coredump,0x3F0000,0x10000,\n`,
  /** The default before the coredump partition (arduino-esp32 ~1.0.2 to 2.0.x). */
  'default-2019.csv': `${header}app0,     app,  ota_0,   0x10000, 0x140000,\napp1,     app,  ota_1,   0x150000,0x140000,\nspiffs,   data, spiffs,  0x290000,0x170000,\n`,
  /** The 2017 default with a 4 KB `eeprom` partition (subtype 0x99) before SPIFFS. */
  'default-2017.csv': `${header}app0,     app,  ota_0,   0x10000,  0x140000,\napp1,     app,  ota_1,   0x150000, 0x140000,\neeprom,   data, 0x99,    0x290000, 0x1000,\nspiffs,   data, spiffs,  0x291000, 0x16F000,\n`,
  'min_spiffs.csv': `${header}app0,     app,  ota_0,   0x10000, 0x1E0000,\napp1,     app,  ota_1,   0x1F0000,0x1E0000,\nspiffs,   data, spiffs,  0x3D0000,0x30000,\n`,
  'huge_app.csv': `${header}app0,     app,  ota_0,   0x10000, 0x300000,\nspiffs,   data, spiffs,  0x310000,0xE0000,\ncoredump, data, coredump,0x3F0000,0x10000,\n`,
  'no_ota.csv': `${header}app0,     app,  ota_0,   0x10000, 0x200000,\nspiffs,   data, spiffs,  0x210000,0x1E0000,\ncoredump, data, coredump,0x3F0000,0x10000,\n`,
  'minimal.csv': `${header}app0,     app,  ota_0,   0x10000, 0x140000,\nspiffs,   data, spiffs,  0x150000,0xA0000,\ncoredump, data, coredump,0x1F0000,0x10000,\n`,
  'default_ffat.csv': `${header}app0,     app,  ota_0,   0x10000, 0x140000,\napp1,     app,  ota_1,   0x150000,0x140000,\nffat,     data, fat,     0x290000,0x160000,\ncoredump, data, coredump,0x3F0000,0x10000,\n`,
};

/** Flash size each built-in table is made for (`minimal.csv` is the 2 MB one). */
export const builtinFlashSize: Readonly<Record<string, number>> = Object.fromEntries(
  Object.keys(builtinTables).map((k) => [k, k === 'minimal.csv' ? 0x200000 : 0x400000]),
);

export const DEFAULT_TABLE = 'default.csv';

/** The CSV of a built-in table by its Arduino name (with or without `.csv`), or undefined. */
export function builtinTable(name: string): string | undefined {
  return builtinTables[name.endsWith('.csv') ? name : `${name}.csv`];
}
