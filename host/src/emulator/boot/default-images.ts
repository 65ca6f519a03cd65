/**
 * The images the emulator's default flash holds, built with the image builder: a second-stage
 * bootloader with the segment layout, sizes and entry of arduino-esp32 2.0.4's (DRAM at
 * 0x3fff0030 len 1184, the loader IRAM at 0x40078000 len 13132, IRAM at 0x40080400 len 3036,
 * entry 0x400805e4, from the boot log in arduino-esp32 issue #7143), so the ROM prints the same
 * `load:` lines; contents are our own filler (the emulator runs no code), and
 * the esp-sse app, whose first (DROM) segment starts with its `esp_app_desc_t`.
 */
import { firmwareVersion, mdns } from '../../contract/board.js';
import { buildAppImage } from '../../formats/app-image-build.js';
import { encodeAppDescription } from '../../formats/app-image-desc.js';

/** `project_name` in the app description (the firmware's name). */
export const APP_PROJECT_NAME = mdns.txt.fw;

const encoder = new TextEncoder();
function filler(text: string, length: number): Uint8Array {
  const src = encoder.encode(text);
  return Uint8Array.from({ length }, (_, i) => src[i % src.length] ?? 0);
}

/** The bootloader for 0x1000: DIO, 40 MHz, 4 MB, as PlatformIO's esp32dev flashes it. */
export function emulatorBootloaderImage(): Uint8Array {
  return buildAppImage({
    entry: 0x400805e4,
    segments: [
      { loadAddress: 0x3fff0030, data: filler('esp-sse emulated bootloader dram ', 1184) },
      { loadAddress: 0x40078000, data: filler('esp-sse emulated bootloader iram_loader ', 13132) },
      { loadAddress: 0x40080400, data: filler('esp-sse emulated bootloader iram ', 3036) },
    ],
  });
}

/** The esp-sse app for an app partition: description (name `esp-sse`, the contract version) first. */
export function emulatorAppImage(version: string = firmwareVersion): Uint8Array {
  const desc = encodeAppDescription({ version, projectName: APP_PROJECT_NAME, time: '00:00:00', date: 'Jan  1 2026', idfVersion: 'v4.4.7' });
  const rodata = new Uint8Array(desc.length + 64);
  rodata.set(desc);
  rodata.set(filler('esp-sse rodata ', 64), desc.length);
  return buildAppImage({
    entry: 0x40081c60,
    segments: [
      { loadAddress: 0x3f400020, data: rodata },
      { loadAddress: 0x3ffb0000, data: filler('esp-sse dram ', 128) },
      { loadAddress: 0x40080000, data: filler('esp-sse iram ', 256) },
    ],
  });
}
