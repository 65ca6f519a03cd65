/**
 * The ESP32 serial bootloader's command set and status codes, as data.
 * Sources: esptool `esptool/loader.py` (`ESP_CMDS`), esptool-js 0.7.0 `lib/esploader.js`,
 * esp-flasher-stub `src/commands.h`, esptool-legacy-flasher-stub `stub_flasher.h`,
 * esptool `docs/en/advanced-topics/serial-protocol.rst`. Summary: docs/serial-protocol.md §2.
 */

export const Op = {
  FLASH_BEGIN: 0x02,
  FLASH_DATA: 0x03,
  FLASH_END: 0x04,
  MEM_BEGIN: 0x05,
  MEM_END: 0x06,
  MEM_DATA: 0x07,
  SYNC: 0x08,
  WRITE_REG: 0x09,
  READ_REG: 0x0a,
  SPI_SET_PARAMS: 0x0b,
  SPI_ATTACH: 0x0d,
  READ_FLASH_SLOW: 0x0e,
  CHANGE_BAUDRATE: 0x0f,
  FLASH_DEFL_BEGIN: 0x10,
  FLASH_DEFL_DATA: 0x11,
  FLASH_DEFL_END: 0x12,
  SPI_FLASH_MD5: 0x13,
  GET_SECURITY_INFO: 0x14,
  ERASE_FLASH: 0xd0,
  ERASE_REGION: 0xd1,
  READ_FLASH: 0xd2,
  RUN_USER_CODE: 0xd3,
  FLASH_ENCRYPT_DATA: 0xd4,
} as const;
export type OpName = keyof typeof Op;

/** Opcode → name, for traces and messages. */
export function opName(op: number): string {
  for (const [name, value] of Object.entries(Op)) if (value === op) return name;
  return `0x${op.toString(16).padStart(2, '0')}`;
}

/** Opcodes the classic ESP32 ROM answers (everything else gets the "invalid message" reply, §2.4). */
export const ROM_OPS: ReadonlySet<number> = new Set([
  Op.FLASH_BEGIN, Op.FLASH_DATA, Op.FLASH_END, Op.MEM_BEGIN, Op.MEM_END, Op.MEM_DATA, Op.SYNC,
  Op.WRITE_REG, Op.READ_REG, Op.SPI_SET_PARAMS, Op.SPI_ATTACH, Op.READ_FLASH_SLOW,
  Op.CHANGE_BAUDRATE, Op.FLASH_DEFL_BEGIN, Op.FLASH_DEFL_DATA, Op.FLASH_DEFL_END, Op.SPI_FLASH_MD5,
]);

/** Opcodes the stub flasher (esp-flasher-stub v1.2.2) implements for ESP32. */
export const STUB_OPS: ReadonlySet<number> = new Set([
  Op.FLASH_BEGIN, Op.FLASH_DATA, Op.FLASH_END, Op.MEM_BEGIN, Op.MEM_END, Op.MEM_DATA, Op.SYNC,
  Op.WRITE_REG, Op.READ_REG, Op.SPI_SET_PARAMS, Op.SPI_ATTACH, Op.CHANGE_BAUDRATE,
  Op.FLASH_DEFL_BEGIN, Op.FLASH_DEFL_DATA, Op.FLASH_DEFL_END, Op.SPI_FLASH_MD5,
  Op.ERASE_FLASH, Op.ERASE_REGION, Op.READ_FLASH, Op.RUN_USER_CODE,
]);

/** ROM loader error byte (status byte 0 = 1). serial-protocol.rst "ROM Loader Errors". */
export const RomError = {
  INVALID_PARAM: 0x01,
  MALLOC_FAILED: 0x02,
  SEND_FAILED: 0x03,
  RECV_FAILED: 0x04,
  INVALID_MESSAGE: 0x05,
  RESULT_WRONG: 0x06,
  CHECKSUM: 0x07,
  FLASH_WRITE: 0x08,
  FLASH_READ: 0x09,
  FLASH_READ_LENGTH: 0x0a,
  DEFLATE: 0x0b,
  DEFLATE_ADLER: 0x0c,
  DEFLATE_PARAM: 0x0d,
  RAM_SIZE: 0x0e,
  RAM_ADDRESS: 0x0f,
} as const;

/** Stub flasher error byte (first status byte). `stub_flasher.h` / `commands.h`. */
export const StubError = {
  BAD_DATA_LEN: 0xc0,
  BAD_DATA_CHECKSUM: 0xc1,
  BAD_BLOCKSIZE: 0xc2,
  INVALID_COMMAND: 0xc3,
  FAILED_SPI_OP: 0xc4,
  FAILED_SPI_UNLOCK: 0xc5,
  NOT_IN_FLASH_MODE: 0xc6,
  INFLATE_ERROR: 0xc7,
  NOT_ENOUGH_DATA: 0xc8,
  TOO_MUCH_DATA: 0xc9,
  NOT_IMPLEMENTED: 0xff,
} as const;

/** Number of status bytes at the end of a response: ESP32 ROM 4, stubs 2 (§1.3). */
export const STATUS_LEN = { rom: 4, stub: 2 } as const;

/** SYNC request data: `07 07 12 20` + 32 × `55` (esptool `sync`). */
export const SYNC_DATA: Uint8Array = Uint8Array.from([0x07, 0x07, 0x12, 0x20, ...new Array<number>(32).fill(0x55)]);
/** SYNC replies per request, ROM and stub alike (§2.2). */
export const SYNC_REPLIES = 8;
/** A non-zero leftover the ESP32 ROM puts in the SYNC reply's value field (seen in traces). */
export const ROM_SYNC_VALUE = 0x20120707;

/** Greeting the stub sends once it runs (esp-flasher-stub `main.c`). */
export const STUB_GREETING: Uint8Array = new TextEncoder().encode('OHAI');

/** Classic ESP32 chip-detect magic at 0x40001000 (esptool `targets/esp32.py`). */
export const CHIP_DETECT_MAGIC_REG = 0x40001000;
export const ESP32_MAGIC = 0x00f01d83;
