/**
 * What the ESP32 ROM does and prints on a reset into SPI flash boot (GPIO_STRAP 0x13): the
 * banner, then it reads the image header at 0x1000. A bad magic prints `invalid header: 0x…`
 * (the header's first word) and the ROM retries until the RTC watchdog resets the chip
 * (`rst:0x10 (RTCWDT_RTC_RESET)`); a good one prints the SPI settings and a `load:` line per
 * segment, checks the XOR checksum and prints `entry 0x…`. Text from real logs
 * (arduino-esp32 #7143, forum logs of erased boards) and docs/serial-protocol.md §3.4.
 * The ROM checks neither the chip id nor the appended SHA-256. Pure.
 */
import { CHECKSUM_SEED, FLASH_FREQS, FLASH_MODES, HEADER_LENGTH, IMAGE_MAGIC, imageChecksum } from '../../formats/app-image.js';
import { ROM_DATE_LINE } from '../rom/banner.js';
import { offsets } from '../../formats/flash-layout.js';

/** Reset causes as the ROM prints them (`rst:0x…`). */
export const resetReasons = {
  powerOn: 'rst:0x1 (POWERON_RESET)',
  software: 'rst:0x3 (SW_RESET)',
  /** `esp_restart()`: ESP.restart(), a panic, the task watchdog's abort. */
  swCpu: 'rst:0xc (SW_CPU_RESET)',
  rtcWatchdog: 'rst:0x10 (RTCWDT_RTC_RESET)',
} as const;
export type ResetReason = keyof typeof resetReasons;

/** Where the ROM looks for the second-stage bootloader on the ESP32 (where PlatformIO writes it). */
export const BOOTLOADER_OFFSET = offsets.bootloader;

/** How many `invalid header` lines the ROM prints before the RTC watchdog resets it (real logs: 7). */
export const INVALID_HEADER_REPEATS = 7;

const CLOCK_DIV: Readonly<Record<number, number>> = { 80: 1, 40: 2, 26: 3, 20: 4 };
const hex8 = (n: number): string => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;
const hex2 = (n: number): string => `0x${n.toString(16).padStart(2, '0')}`;
const line = (s: string): string => `${s}\r\n`;

export function romResetBanner(reason: ResetReason): string {
  return line(ROM_DATE_LINE) + line('') + line(`${resetReasons[reason]},boot:0x13 (SPI_FAST_FLASH_BOOT)`);
}

/** The ROM's view of the bootloader region. */
export type RomLoad =
  | { readonly ok: true; readonly text: string; readonly entry: number }
  /** `repeat`: the line the ROM keeps printing until its watchdog fires. */
  | { readonly ok: false; readonly text: string; readonly repeat: string };

/** Reads the bootloader image at the start of `region` (flash from 0x1000 on) as the ROM does. */
export function romLoadBootloader(region: Uint8Array): RomLoad {
  const view = new DataView(region.buffer, region.byteOffset, region.byteLength);
  const word = region.length >= 4 ? view.getUint32(0, true) : 0xffffffff;
  if (region[0] !== IMAGE_MAGIC || region.length < HEADER_LENGTH) {
    const repeat = line(`invalid header: ${hex8(word)}`);
    return { ok: false, text: repeat, repeat };
  }
  const drive = (b: number): [number, number] => [(region[b] ?? 0) & 0xf, (region[b] ?? 0) >> 4];
  const [clk, q] = drive(9);
  const [d, cs] = drive(10);
  const [hd, wp] = drive(11);
  const mode = FLASH_MODES[region[2] ?? 0] ?? 'DIO';
  const div = CLOCK_DIV[FLASH_FREQS[(region[3] ?? 0) & 0xf] ?? 40] ?? 2;
  let text = line(`configsip: 0, SPIWP:${hex2(region[8] ?? 0)}`);
  text += line(`clk_drv:${hex2(clk)},q_drv:${hex2(q)},d_drv:${hex2(d)},cs0_drv:${hex2(cs)},hd_drv:${hex2(hd)},wp_drv:${hex2(wp)}`);
  text += line(`mode:${mode}, clock div:${div}`);
  let at = HEADER_LENGTH;
  let sum = CHECKSUM_SEED;
  const count = region[1] ?? 0;
  for (let i = 0; i < count; i++) {
    if (at + 8 > region.length) break;
    const addr = view.getUint32(at, true);
    const len = view.getUint32(at + 4, true);
    text += line(`load:${hex8(addr)},len:${len}`);
    const data = region.subarray(at + 8, Math.min(region.length, at + 8 + len));
    sum = imageChecksum(data, sum);
    at += 8 + len;
  }
  const stored = region[at + (15 - (at % 16))] ?? 0xff;
  if (at > region.length || stored !== sum) {
    // The ROM stops here and hangs until the RTC watchdog resets the chip.
    return { ok: false, text: text + line(`csum err:${hex2(sum)}!=${hex2(stored)}`) + line('ets_main.c 371 '), repeat: '' };
  }
  const entry = view.getUint32(4, true);
  return { ok: true, text: text + line(`entry ${hex8(entry)}`), entry };
}
