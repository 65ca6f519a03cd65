/**
 * USB vendor/product IDs of the USB-UART bridges found on ESP32 boards, as data.
 *
 * Sources: espflash `src/cli/serial.rs` known list (CP210x, CH340, Espressif USB-JTAG);
 * PlatformIO's `99-platformio-udev.rules` (CH9102, FTDI variants, CP2105); esptool-js
 * `esploader.js` (`ESPRESSIF_VID` 0x303a, `USB_JTAG_SERIAL_PID` 0x1001).
 */
export interface KnownAdapter {
  vendorId: number;
  productId: number;
  /** Chip name as printed by `esp-sse ports`. */
  chip: string;
}

export const knownAdapters: readonly KnownAdapter[] = [
  { vendorId: 0x10c4, productId: 0xea60, chip: 'CP210x' },
  { vendorId: 0x10c4, productId: 0xea70, chip: 'CP2105' },
  { vendorId: 0x1a86, productId: 0x7523, chip: 'CH340' },
  { vendorId: 0x1a86, productId: 0x55d4, chip: 'CH9102' },
  { vendorId: 0x1a86, productId: 0x55d3, chip: 'CH343' },
  { vendorId: 0x0403, productId: 0x6001, chip: 'FT232R' },
  { vendorId: 0x0403, productId: 0x6010, chip: 'FT2232' },
  { vendorId: 0x0403, productId: 0x6014, chip: 'FT232H' },
  { vendorId: 0x0403, productId: 0x6015, chip: 'FT231X' },
  { vendorId: 0x303a, productId: 0x1001, chip: 'Espressif USB-JTAG/serial' },
];

/** The known adapter with this VID:PID, or undefined. */
export function lookupAdapter(vendorId: number | undefined, productId: number | undefined): KnownAdapter | undefined {
  if (vendorId === undefined || productId === undefined) return undefined;
  return knownAdapters.find((a) => a.vendorId === vendorId && a.productId === productId);
}

/** Parses the hex VID/PID strings node-serialport reports ("10c4", "0x10C4"). */
export function parseUsbId(id: string | undefined): number | undefined {
  if (id === undefined || id === '') return undefined;
  const n = Number.parseInt(id.replace(/^0x/i, ''), 16);
  return Number.isFinite(n) ? n : undefined;
}
