/**
 * ESP32 bootloader packets (inside SLIP frames), little-endian, docs/serial-protocol.md §1.2–1.4.
 * Command:  00 op size:u16 checksum:u32 data…
 * Response: 01 op size:u16 value:u32 data… status…
 */

export interface RomCommand {
  op: number;
  /** Only meaningful for MEM_DATA, FLASH_DATA, FLASH_DEFL_DATA; 0 otherwise. */
  checksum: number;
  data: Uint8Array;
}

export interface RomResponse {
  op: number;
  value: number;
  /** Payload followed by the status bytes (2 or 4). */
  data: Uint8Array;
}

export const DIRECTION_COMMAND = 0x00;
export const DIRECTION_RESPONSE = 0x01;
/** Seed of the data checksum (esptool `ESP_CHECKSUM_MAGIC`). */
export const CHECKSUM_SEED = 0xef;

/** `0xEF` XOR every byte (the data block without its 16-byte header). */
export function romChecksum(data: Uint8Array, seed = CHECKSUM_SEED): number {
  let c = seed;
  for (const b of data) c ^= b;
  return c;
}

function header(direction: number, op: number, size: number, word: number): Uint8Array {
  const out = new Uint8Array(8 + size);
  const v = new DataView(out.buffer);
  out[0] = direction;
  out[1] = op;
  v.setUint16(2, size, true);
  v.setUint32(4, word >>> 0, true);
  return out;
}

export function encodeCommand(cmd: RomCommand): Uint8Array {
  const out = header(DIRECTION_COMMAND, cmd.op, cmd.data.length, cmd.checksum);
  out.set(cmd.data, 8);
  return out;
}

export function encodeResponse(res: RomResponse): Uint8Array {
  const out = header(DIRECTION_RESPONSE, res.op, res.data.length, res.value);
  out.set(res.data, 8);
  return out;
}

export type DecodeResult<T> = { ok: true; value: T } | { ok: false; reason: string };

function decodePacket(direction: number, p: Uint8Array): DecodeResult<{ op: number; word: number; data: Uint8Array }> {
  if (p.length < 8) return { ok: false, reason: `packet of ${p.length} bytes is shorter than its 8-byte header` };
  if (p[0] !== direction) return { ok: false, reason: `direction byte 0x${(p[0] ?? 0).toString(16)} (expected 0x0${direction})` };
  const v = new DataView(p.buffer, p.byteOffset, p.byteLength);
  const size = v.getUint16(2, true);
  if (size !== p.length - 8) return { ok: false, reason: `size field ${size} but ${p.length - 8} data bytes` };
  return { ok: true, value: { op: p[1] ?? 0, word: v.getUint32(4, true), data: p.subarray(8) } };
}

export function decodeCommand(p: Uint8Array): DecodeResult<RomCommand> {
  const r = decodePacket(DIRECTION_COMMAND, p);
  return r.ok ? { ok: true, value: { op: r.value.op, checksum: r.value.word, data: r.value.data } } : r;
}

export function decodeResponse(p: Uint8Array): DecodeResult<RomResponse> {
  const r = decodePacket(DIRECTION_RESPONSE, p);
  return r.ok ? { ok: true, value: { op: r.value.op, value: r.value.word, data: r.value.data } } : r;
}

/** Packs little-endian u32 words (the argument lists of most commands). */
export function u32le(...words: number[]): Uint8Array {
  const out = new Uint8Array(words.length * 4);
  const v = new DataView(out.buffer);
  words.forEach((w, i) => v.setUint32(i * 4, w >>> 0, true));
  return out;
}

/** Reads `count` little-endian u32 words; missing words read as undefined. */
export function readU32le(data: Uint8Array, count: number): (number | undefined)[] {
  const v = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const out: (number | undefined)[] = [];
  for (let i = 0; i < count; i++) out.push(i * 4 + 4 <= data.length ? v.getUint32(i * 4, true) : undefined);
  return out;
}

/** MEM_DATA / FLASH_DATA / FLASH_DEFL_DATA payload: `len, seq, 0, 0` + bytes (§1.4). */
export interface DataBlock {
  seq: number;
  payload: Uint8Array;
}

export function encodeDataCommand(op: number, block: DataBlock): RomCommand {
  const data = new Uint8Array(16 + block.payload.length);
  data.set(u32le(block.payload.length, block.seq, 0, 0));
  data.set(block.payload, 16);
  return { op, checksum: romChecksum(block.payload), data };
}

export function decodeDataBlock(data: Uint8Array): DecodeResult<DataBlock> {
  if (data.length < 16) return { ok: false, reason: `data block of ${data.length} bytes has no 16-byte header` };
  const [len, seq] = readU32le(data, 2) as [number, number];
  if (len !== data.length - 16) return { ok: false, reason: `block length field ${len} but ${data.length - 16} bytes follow` };
  return { ok: true, value: { seq, payload: data.subarray(16) } };
}
