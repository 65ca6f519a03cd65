import { describe, expect, it } from 'vitest';
import { parseAppImage } from '../../formats/app-image.js';
import { buildAppImage } from '../../formats/app-image-build.js';
import { decodePartitionTable, encodePartitionTable } from '../../formats/partition-binary.js';
import { readSpiffs } from '../../formats/spiffs-reader.js';
import { defaultFlashImage, defaultPartitions, flashLayout, writeSpiffsImage } from './default-flash.js';
import { emulatorAppImage, emulatorBootloaderImage } from './default-images.js';
import { activeOtaSequence, bootApp0, romCrc32Le } from './otadata.js';
import { romLoadBootloader, romResetBanner } from './rom-boot.js';
import { secondStageBoot } from './second-stage.js';
import { mountSpiffs } from './spiffs-mount.js';

const enc = new TextEncoder();
const files = [{ name: '/index.html', data: enc.encode('<p>page</p>') }, { name: '/css/a.css', data: enc.encode('p{}') }];
const image = (): Uint8Array => defaultFlashImage(files);
const text = (b: Uint8Array | undefined): string | undefined => (b ? new TextDecoder().decode(b) : undefined);

describe('default flash layout (PlatformIO offsets, Arduino default.csv)', () => {
  const flash = image();
  it('holds the bootloader, the table, boot_app0, the app and the SPIFFS image where PlatformIO writes them', () => {
    expect(flash.length).toBe(4 << 20);
    expect(parseAppImage(flash.subarray(0x1000, 0x8000)).entry).toBe(0x400805e4);
    const table = decodePartitionTable(flash.subarray(0x8000, 0x8c00));
    expect(table.md5).toBe(true);
    expect(table.entries.map((p) => [p.label, p.offset, p.size])).toEqual([
      ['nvs', 0x9000, 0x5000], ['otadata', 0xe000, 0x2000], ['app0', 0x10000, 0x140000],
      ['app1', 0x150000, 0x140000], ['spiffs', 0x290000, 0x160000], ['coredump', 0x3f0000, 0x10000],
    ]);
    expect(activeOtaSequence(flash.subarray(0xe000, 0x10000))).toBe(1);
    const app = parseAppImage(flash.subarray(0x10000, 0x150000));
    expect(app.description).toMatchObject({ projectName: 'esp-sse', version: '0.1.0' });
    expect(readSpiffs(flash.subarray(0x290000, 0x3f0000)).files.map((f) => [f.name, text(f.data)])).toEqual([
      ['/css/a.css', 'p{}'], ['/index.html', '<p>page</p>'],
    ]);
    expect(flash.subarray(0x150000, 0x290000).every((b) => b === 0xff)).toBe(true); // app1 never written
    expect(flashLayout).toEqual({ bootloader: 0x1000, partitions: 0x8000, bootApp0: 0xe000, app: 0x10000 });
  });

  it('writeSpiffsImage replaces only the spiffs partition, and refuses a flash without a table', () => {
    const f = image();
    const before = f.slice();
    writeSpiffsImage(f, [{ name: '/index.html', data: enc.encode('new') }]);
    expect(Buffer.compare(f.subarray(0, 0x290000), before.subarray(0, 0x290000))).toBe(0);
    expect(Buffer.compare(f.subarray(0x3f0000), before.subarray(0x3f0000))).toBe(0);
    expect(text(readSpiffs(f.subarray(0x290000, 0x3f0000)).files[0]?.data)).toBe('new');
    expect(() => writeSpiffsImage(new Uint8Array(4 << 20).fill(0xff), files)).toThrow(expect.objectContaining({ code: 'emulate.no-spiffs-partition' }));
  });
});

describe('boot_app0 / otadata', () => {
  it('sequence 1 with the CRC ESP-IDF computes (0x4743989a), second sector erased', () => {
    const b = bootApp0();
    expect(b.length).toBe(0x2000);
    expect(Buffer.from(b.subarray(0, 32)).toString('hex')).toBe(`01000000${'ff'.repeat(24)}9a984347`);
    expect(b.subarray(32).every((x) => x === 0xff)).toBe(true);
    expect(romCrc32Le(0xffffffff, Uint8Array.of(1, 0, 0, 0))).toBe(0x4743989a);
  });
  it('picks the highest valid sequence and ignores bad CRCs and erased entries', () => {
    const o = bootApp0();
    expect(activeOtaSequence(new Uint8Array(0x2000).fill(0xff))).toBeUndefined();
    const second = Uint8Array.of(2, 0, 0, 0);
    o.set(second, 0x1000);
    new DataView(o.buffer).setUint32(0x1000 + 28, romCrc32Le(0xffffffff, second), true);
    expect(activeOtaSequence(o)).toBe(2);
    o[0x1000 + 28] = o[0x1000 + 28]! ^ 1;
    expect(activeOtaSequence(o)).toBe(1);
  });
});

describe('ROM boot text', () => {
  it('prints the banner, SPI settings, one load line per segment and the entry, as a real ESP32 with Arduino 2.0.4\'s bootloader does', () => {
    expect(romResetBanner('powerOn')).toBe('ets Jul 29 2019 12:21:46\r\n\r\nrst:0x1 (POWERON_RESET),boot:0x13 (SPI_FAST_FLASH_BOOT)\r\n');
    expect(romResetBanner('rtcWatchdog')).toContain('rst:0x10 (RTCWDT_RTC_RESET),boot:0x13');
    const r = romLoadBootloader(emulatorBootloaderImage());
    expect(r.ok).toBe(true);
    expect(r.text).toBe([
      'configsip: 0, SPIWP:0xee',
      'clk_drv:0x00,q_drv:0x00,d_drv:0x00,cs0_drv:0x00,hd_drv:0x00,wp_drv:0x00',
      'mode:DIO, clock div:2',
      'load:0x3fff0030,len:1184',
      'load:0x40078000,len:13132',
      'load:0x40080400,len:3036',
      'entry 0x400805e4',
      '',
    ].join('\r\n'));
  });
  it('reads mode and clock divider from the header', () => {
    const qio80 = buildAppImage({ entry: 0x40080000, flashMode: 'QIO', flashFreqMhz: 80, segments: [{ loadAddress: 0x40080400, data: new Uint8Array(8) }] });
    expect(romLoadBootloader(qio80).text).toContain('mode:QIO, clock div:1\r\n');
  });
  it('a blank or foreign header repeats invalid header with the first word', () => {
    const blank = romLoadBootloader(new Uint8Array(0x7000).fill(0xff));
    expect(blank).toEqual({ ok: false, text: 'invalid header: 0xffffffff\r\n', repeat: 'invalid header: 0xffffffff\r\n' });
    expect(romLoadBootloader(Uint8Array.of(0x16, 0x17, 0x7e, 0xf3, ...new Uint8Array(60))).text).toBe('invalid header: 0xf37e1716\r\n');
  });
  it('a damaged segment ends in csum err and the ROM halts', () => {
    const b = emulatorBootloaderImage().slice();
    b[40] = b[40]! ^ 0x5a;
    const r = romLoadBootloader(b);
    expect(r.ok).toBe(false);
    expect(r.text).toMatch(/load:0x40080400,len:3036\r\ncsum err:0x[0-9a-f]{2}!=0x[0-9a-f]{2}\r\nets_main.c 371 \r\n$/);
  });
});

describe('second-stage bootloader', () => {
  it('boots app0 through otadata sequence 1', () => {
    const r = secondStageBoot(image());
    expect(r.ok && r.app.label).toBe('app0');
  });
  it('boots app1 when otadata says sequence 2, and falls back to the other app when the chosen one is damaged', () => {
    const f = image();
    f.set(emulatorAppImage('9.9.9'), 0x150000);
    const seq2 = new Uint8Array(32).fill(0xff);
    seq2.set([2, 0, 0, 0]);
    new DataView(seq2.buffer).setUint32(28, romCrc32Le(0xffffffff, seq2.subarray(0, 4)), true);
    f.set(seq2, 0xf000);
    let r = secondStageBoot(f);
    expect(r.ok && [r.app.label, r.image.description?.version]).toEqual(['app1', '9.9.9']);
    f[0x150000 + 100] = f[0x150000 + 100]! ^ 1; // app1's checksum no longer matches
    r = secondStageBoot(f);
    expect(r.ok && r.app.label).toBe('app0');
  });
  it('with no app, no table or a table with a bad MD5 there is nothing to boot', () => {
    const noApp = image();
    noApp.fill(0xff, 0x10000, 0x20000);
    const r = secondStageBoot(noApp);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(/no bootable app partition.*app0 at 0x10000.*0xe9/);
    const noTable = image();
    noTable.fill(0xff, 0x8000, 0x9000);
    expect(secondStageBoot(noTable)).toEqual({ ok: false, reason: 'no partition table at 0x8000 (erased)' });
    const badMd5 = image();
    badMd5[0x8000 + 10] = badMd5[0x8000 + 10]! ^ 1;
    expect(secondStageBoot(badMd5).ok).toBe(false);
  });
});

describe('SPIFFS.begin on the flash', () => {
  it('mounts the first spiffs partition and serves its files', () => {
    const f = image();
    const m = mountSpiffs(f, defaultPartitions());
    expect(text(m.files?.read('/index.html'))).toBe('<p>page</p>');
    expect(m.files?.read('/missing')).toBeUndefined();
  });
  it('prints what ESP-IDF prints when the partition is missing or not SPIFFS', () => {
    const f = image();
    f.fill(0xff, 0x290000, 0x3f0000);
    expect(mountSpiffs(f, defaultPartitions())).toEqual({ files: undefined, log: 'SPIFFS: mount failed, -10025' });
    const noFs = defaultPartitions().filter((p) => p.label !== 'spiffs');
    expect(mountSpiffs(image(), noFs)).toEqual({ files: undefined, log: 'SPIFFS: spiffs partition could not be found' });
    expect(encodePartitionTable(noFs).length).toBe(0xc00);
  });
  it('a file with a damaged page reads as missing and is reported', () => {
    const f = image();
    const part = f.subarray(0x290000, 0x3f0000);
    const entry = readSpiffs(part).files.find((x) => x.name === '/index.html')!;
    // Damage the span number of its data page: the header's index points at a page holding another span.
    const idx = part.indexOf(0x3c, (entry.headerPage + 1) * 256); // '<' of '<p>page</p>' in the data page
    const dataPage = Math.floor(idx / 256);
    part[dataPage * 256 + 2] = 7;
    const reports: string[] = [];
    const m = mountSpiffs(f, defaultPartitions(), (msg) => reports.push(msg));
    expect(m.files?.read('/index.html')).toBeUndefined();
    expect(text(m.files?.read('/css/a.css'))).toBe('p{}');
    expect(reports.join()).toMatch(/index\.html data page 0/);
  });
});

describe('damaged flash never crashes the boot model', () => {
  it('random bytes over the bootloader, table, otadata, app and SPIFFS give lines or a failure, never an exception', () => {
    const base = image();
    let x = 12345;
    const rnd = (n: number): number => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 8) % n;
    const regions = [[0x1000, 0x600], [0x8000, 0x100], [0xe000, 0x40], [0x10000, 0x200], [0x290000, 0x3000]] as const;
    let booted = 0;
    for (let round = 0; round < 300; round++) {
      const f = base.slice();
      const [at, len] = regions[round % regions.length]!;
      for (let k = 0, n = 1 + rnd(8); k < n; k++) f[at + rnd(len)] = rnd(256);
      if (round % 7 === 0) f.fill(rnd(256), at, at + 4 + rnd(len - 4));
      const rom = romLoadBootloader(f.subarray(0x1000, 0x8000));
      expect(rom.text.endsWith('\r\n')).toBe(true);
      const boot = secondStageBoot(f);
      if (!boot.ok) continue;
      const m = mountSpiffs(f, boot.table);
      if (m.files) {
        m.files.read('/index.html');
        m.files.read('/css/a.css');
      }
      booted++;
    }
    expect(booted).toBeGreaterThan(0);
  });
});
