import type { RegisterFile } from './registers.js';

/**
 * SPI1 user commands, run when a host writes CMD with bit 18 (`SPI_CMD_USR`) set: how esptool
 * and esptool-js read the flash ID (RDID 0x9F) and SFDP. Register offsets: esptool
 * `targets/esp32.py`; sequence: docs/serial-protocol.md §3.7.
 */
export const SPI1 = {
  BASE: 0x3ff42000,
  CMD: 0x3ff42000,
  ADDR: 0x3ff42004,
  USR: 0x3ff4201c,
  USR1: 0x3ff42020,
  USR2: 0x3ff42024,
  MOSI_DLEN: 0x3ff42028,
  MISO_DLEN: 0x3ff4202c,
  W0: 0x3ff42080,
} as const;
export const SPI_CMD_USR = 1 << 18;

/** JEDEC ID of the emulated chip: Winbond (0xEF), type 0x40, capacity 0x16 = 4 MB. */
export const FLASH_JEDEC = { manufacturer: 0xef, type: 0x40, capacity: 0x16 } as const;

/** Reads of the SFDP table that esptool ≥4 makes: the "SFDP" signature at 0. */
const SFDP = new Uint8Array(256);
SFDP.set([0x53, 0x46, 0x44, 0x50, 0x06, 0x01, 0x00, 0xff]);

/** Executes the SPI command described by the registers and leaves MISO data in W0…; clears CMD_USR. */
export function runSpiUserCommand(regs: RegisterFile): void {
  const usr2 = regs.read(SPI1.USR2);
  const command = usr2 & 0xff;
  const misoBits = (regs.read(SPI1.MISO_DLEN) & 0xffffff) + 1;
  const usr = regs.read(SPI1.USR);
  const hasAddr = (usr & (1 << 30)) !== 0;
  const addrLen = ((regs.read(SPI1.USR1) >>> 26) & 0x3f) + 1;
  const addr = hasAddr ? regs.read(SPI1.ADDR) >>> (32 - addrLen) : 0;
  let miso = new Uint8Array(0);
  if (command === 0x9f) miso = Uint8Array.of(FLASH_JEDEC.manufacturer, FLASH_JEDEC.type, FLASH_JEDEC.capacity);
  else if (command === 0x5a) miso = SFDP.slice(addr & 0xff);
  // Other commands (status reads, resets) read as zeros, which both tools accept.
  const bytes = new Uint8Array(64);
  bytes.set(miso.subarray(0, Math.min(miso.length, Math.ceil(misoBits / 8), 64)));
  const v = new DataView(bytes.buffer);
  for (let i = 0; i < 16; i++) regs.write(SPI1.W0 + 4 * i, v.getUint32(i * 4, true));
  regs.write(SPI1.CMD, regs.read(SPI1.CMD) & ~SPI_CMD_USR);
}
