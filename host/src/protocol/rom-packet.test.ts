import { describe, expect, it } from 'vitest';
import {
  decodeCommand, decodeDataBlock, decodeResponse, encodeCommand, encodeDataCommand, encodeResponse, romChecksum, u32le,
} from './rom-packet.js';
import { Op, SYNC_DATA, opName } from './rom-opcodes.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('ROM packets', () => {
  it('encodes the SYNC command as esptool does (golden)', () => {
    const p = encodeCommand({ op: Op.SYNC, checksum: 0, data: SYNC_DATA });
    expect(hex(p)).toBe('000824000000000007071220' + '55'.repeat(32));
  });

  it('encodes the READ_REG response seen in real traces (golden)', () => {
    const p = encodeResponse({ op: Op.READ_REG, value: 0x00f01d83, data: new Uint8Array(4) });
    expect(hex(p)).toBe('010a0400831df00000000000');
  });

  it('computes the data checksum over the payload only (0xEF seed)', () => {
    expect(romChecksum(new Uint8Array(0))).toBe(0xef);
    expect(romChecksum(Uint8Array.of(0xef))).toBe(0);
    const cmd = encodeDataCommand(Op.FLASH_DATA, { seq: 3, payload: Uint8Array.of(1, 2, 4) });
    expect(cmd.checksum).toBe(0xef ^ 1 ^ 2 ^ 4);
    expect(hex(cmd.data)).toBe('03000000030000000000000000000000010204');
  });

  it('round-trips commands, responses and data blocks', () => {
    const c = { op: Op.FLASH_BEGIN, checksum: 0x12345678, data: u32le(1, 2, 3, 4) };
    const d = decodeCommand(encodeCommand(c));
    expect(d.ok && d.value).toEqual({ ...c, data: c.data });
    const r = { op: Op.SPI_FLASH_MD5, value: 7, data: Uint8Array.of(9, 9, 0, 0) };
    const e = decodeResponse(encodeResponse(r));
    expect(e.ok && e.value).toEqual(r);
    const b = decodeDataBlock(encodeDataCommand(Op.MEM_DATA, { seq: 9, payload: Uint8Array.of(5) }).data);
    expect(b.ok && b.value.seq).toBe(9);
  });

  it('rejects malformed packets with a reason', () => {
    expect(decodeCommand(Uint8Array.of(0, 8, 0)).ok).toBe(false);
    expect(decodeCommand(Uint8Array.of(1, 8, 0, 0, 0, 0, 0, 0)).ok).toBe(false);
    expect(decodeCommand(Uint8Array.of(0, 8, 5, 0, 0, 0, 0, 0)).ok).toBe(false);
    expect(decodeDataBlock(u32le(9, 0, 0, 0)).ok).toBe(false);
    expect(opName(0x14)).toBe('GET_SECURITY_INFO');
    expect(opName(0x99)).toBe('0x99');
  });
});
