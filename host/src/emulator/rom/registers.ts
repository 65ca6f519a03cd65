import { CHIP_DETECT_MAGIC_REG, ESP32_MAGIC } from '../../protocol/rom-opcodes.js';

/**
 * Register values that make esptool and esptool-js report an ESP32-D0WD-V3 (revision 3) with a
 * 40 MHz crystal. Addresses from esptool `targets/esp32.py` / esptool-js `targets/esp32.js`;
 * values from real traces (esptool #698, #921) or derived, see docs/serial-protocol.md §3.3.
 */
export const REG = {
  EFUSE_WORD0: 0x3ff5a000,
  EFUSE_WORD1: 0x3ff5a004,
  EFUSE_WORD2: 0x3ff5a008,
  EFUSE_WORD3: 0x3ff5a00c,
  EFUSE_WORD4: 0x3ff5a010,
  EFUSE_WORD5: 0x3ff5a014,
  EFUSE_WORD6: 0x3ff5a018,
  APB_CTL_DATE: 0x3ff6607c,
  UART_CLKDIV: 0x3ff40014,
  RTCCALICFG1: 0x3ff5f06c,
} as const;

const DEFAULTS: ReadonlyArray<readonly [number, number]> = [
  [CHIP_DETECT_MAGIC_REG, ESP32_MAGIC],
  [REG.EFUSE_WORD3, 0x0000a200], // pkg 1 (D0WD), rev bit0, 240 MHz
  [REG.EFUSE_WORD4, 0x00000531],
  [REG.EFUSE_WORD5, 0x00100000], // rev bit1 → v3.0
  [REG.APB_CTL_DATE, 0x96042000], // rev bit2
  [REG.UART_CLKDIV, 0x0000015b], // 347 → 40 MHz crystal at 115200
  [REG.RTCCALICFG1, 2090 << 7],
];

/** The default station MAC: 24:0a:c4:ab:cd:ef (Espressif OUI). */
export const DEFAULT_MAC = '24:0a:c4:ab:cd:ef';

/** Parses `aa:bb:cc:dd:ee:ff` (or `-` separators) into six bytes; throws on anything else. */
export function parseMac(mac: string): Uint8Array {
  const parts = mac.split(/[:-]/);
  if (parts.length !== 6 || parts.some((p) => !/^[0-9a-fA-F]{2}$/.test(p))) throw new RangeError(`not a MAC address: ${mac}`);
  return Uint8Array.from(parts.map((p) => parseInt(p, 16)));
}

/** A sparse 32-bit register file; unknown addresses read 0. */
export class RegisterFile {
  private readonly regs = new Map<number, number>();

  constructor(mac: string = DEFAULT_MAC) {
    for (const [a, v] of DEFAULTS) this.regs.set(a, v);
    this.setMac(parseMac(mac));
  }

  /** MAC bytes = word2[15:8], word2[7:0], word1[31:0] (both tools' `read_mac`). */
  setMac(m: Uint8Array): void {
    const b = (i: number): number => m[i] ?? 0;
    this.regs.set(REG.EFUSE_WORD1, ((b(2) << 24) | (b(3) << 16) | (b(4) << 8) | b(5)) >>> 0);
    this.regs.set(REG.EFUSE_WORD2, (b(0) << 8) | b(1));
  }

  read(addr: number): number {
    return this.regs.get(addr >>> 0) ?? 0;
  }

  /** WRITE_REG semantics: new = (old & ~mask) | (value & mask). */
  write(addr: number, value: number, mask = 0xffffffff): void {
    const old = this.read(addr);
    this.regs.set(addr >>> 0, ((old & ~mask) | (value & mask)) >>> 0);
  }
}
