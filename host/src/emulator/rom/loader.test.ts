import { createHash } from 'node:crypto';
import pako from 'pako';
import { describe, expect, it } from 'vitest';
import { Flash } from '../flash.js';
import { BootLoader } from './loader.js';
import { SlipDecoder, slipEncode } from '../../protocol/slip.js';
import { encodeCommand, encodeDataCommand, u32le } from '../../protocol/rom-packet.js';
import { Op, SYNC_DATA } from '../../protocol/rom-opcodes.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** A loader over a fresh flash, fed whole commands; returns the response frames as hex. */
function rig(mode: 'rom' | 'stub' = 'rom') {
  const flash = new Flash();
  const out: Uint8Array[] = [];
  const events: string[] = [];
  const dec = new SlipDecoder();
  const loader = new BootLoader(flash, {
    write: (b) => out.push(...dec.push(b)),
    onBaudRate: (b) => events.push(`baud ${b}`),
    onRunApp: () => events.push('run-app'),
  });
  loader.mode = mode;
  const cmd = (op: number, data: Uint8Array = new Uint8Array(0), checksum = 0): string[] => {
    out.length = 0;
    loader.receive(slipEncode(encodeCommand({ op, checksum, data })));
    return out.map(hex);
  };
  const block = (op: number, seq: number, payload: Uint8Array, badChecksum = false): string[] => {
    const c = encodeDataCommand(op, { seq, payload });
    return cmd(op, c.data, badChecksum ? c.checksum ^ 0xff : c.checksum);
  };
  const raw = (frame: Uint8Array): string[] => {
    out.length = 0;
    loader.receive(slipEncode(frame));
    return out.map(hex);
  };
  return { flash, loader, cmd, block, raw, events };
}

const OK_ROM = '00000000';
const OK_STUB = '0000';

describe('ROM loader golden frames', () => {
  it('SYNC: 8 replies, non-zero value in ROM, 0 in stub', () => {
    const rom = rig('rom').cmd(Op.SYNC, SYNC_DATA);
    expect(rom).toEqual(new Array(8).fill('0108040007071220' + OK_ROM));
    const stub = rig('stub').cmd(Op.SYNC, SYNC_DATA);
    expect(stub).toEqual(new Array(8).fill('0108020000000000' + OK_STUB));
  });

  it('READ_REG of the magic and efuse words (ESP32-D0WD-V3, MAC)', () => {
    const r = rig();
    expect(r.cmd(Op.READ_REG, u32le(0x40001000))).toEqual(['010a0400831df000' + OK_ROM]);
    expect(r.cmd(Op.READ_REG, u32le(0x3ff5a00c))).toEqual(['010a040000a20000' + OK_ROM]);
    expect(r.cmd(Op.READ_REG, u32le(0x3ff5a004))).toEqual(['010a0400efcdabc4' + OK_ROM]);
    expect(r.cmd(Op.READ_REG, u32le(0x3ff5a008))).toEqual(['010a04000a240000' + OK_ROM]);
    expect(rig('stub').cmd(Op.READ_REG, u32le(0x40001000))).toEqual(['010a0200831df000' + OK_STUB]);
  });

  it('WRITE_REG + SPI1 user command returns the flash ID in W0 (RDID 0x9F)', () => {
    const r = rig();
    const wr = (addr: number, v: number) => r.cmd(Op.WRITE_REG, u32le(addr, v, 0xffffffff, 0));
    expect(wr(0x3ff4202c, 23)).toEqual(['0109040000000000' + OK_ROM]);
    wr(0x3ff4201c, 0x90000000);
    wr(0x3ff42024, 0x7000009f);
    wr(0x3ff42080, 0);
    wr(0x3ff42000, 0x00040000);
    expect(r.cmd(Op.READ_REG, u32le(0x3ff42000))).toEqual(['010a040000000000' + OK_ROM]);
    expect(r.cmd(Op.READ_REG, u32le(0x3ff42080))).toEqual(['010a0400ef401600' + OK_ROM]);
    expect(rig('stub').cmd(Op.WRITE_REG, u32le(0x3ff42080, 1, 1, 0, 0x60000078, 0, 0, 0))).toEqual(['0109020000000000' + OK_STUB]);
    expect(r.cmd(Op.WRITE_REG, u32le(1, 2))).toEqual(['0109040000000000' + '01050000']);
  });

  it('MEM upload then OHAI switches to stub mode (2 status bytes)', () => {
    const r = rig();
    expect(r.cmd(Op.MEM_BEGIN, u32le(4, 1, 0x1800, 0x400a8000))).toEqual(['0105040000000000' + OK_ROM]);
    expect(r.block(Op.MEM_DATA, 0, Uint8Array.of(1, 2, 3, 4), true)).toEqual(['0107040000000000' + '01070000']);
    expect(r.block(Op.MEM_DATA, 0, Uint8Array.of(1, 2, 3, 4))).toEqual(['0107040000000000' + OK_ROM]);
    expect(r.cmd(Op.MEM_END, u32le(0, 0x400a902c))).toEqual(['0106040000000000' + OK_ROM, '4f484149']);
    expect(r.loader.mode).toBe('stub');
    expect(r.cmd(Op.MEM_BEGIN, u32le(4, 1, 0x1800, 0x3ffded6c))).toEqual(['0105020000000000' + OK_STUB]);
    expect(r.block(Op.MEM_DATA, 0, Uint8Array.of(5), true)).toEqual(['0107020000000000' + 'c100']);
  });

  it('SPI_ATTACH, SPI_SET_PARAMS and CHANGE_BAUDRATE (reply first, then the switch)', () => {
    const r = rig();
    expect(r.cmd(Op.SPI_ATTACH, u32le(0, 0))).toEqual(['010d040000000000' + OK_ROM]);
    expect(r.cmd(Op.SPI_SET_PARAMS, u32le(0, 0x400000, 0x10000, 0x1000, 0x100, 0xffff))).toEqual(['010b040000000000' + OK_ROM]);
    expect(r.cmd(Op.CHANGE_BAUDRATE, u32le(460800, 0))).toEqual(['010f040000000000' + OK_ROM]);
    expect(r.events).toEqual(['baud 460800']);
    expect(rig('stub').cmd(Op.CHANGE_BAUDRATE, u32le(921600, 115200))).toEqual(['010f020000000000' + OK_STUB]);
  });

  it('ROM answers unsupported opcodes 8 times with another opcode and status 01 05', () => {
    const r = rig();
    r.cmd(Op.SYNC, SYNC_DATA);
    for (const op of [Op.GET_SECURITY_INFO, Op.ERASE_FLASH, Op.ERASE_REGION, Op.READ_FLASH, Op.RUN_USER_CODE, Op.FLASH_ENCRYPT_DATA]) {
      expect(r.cmd(op, u32le(0, 0, 0, 0))).toEqual(new Array(8).fill('0108040000000000' + '01050000'));
    }
  });

  it('stub answers GET_SECURITY_INFO with FF 00, READ_FLASH_SLOW and unknown opcodes with C3 00', () => {
    const s = rig('stub');
    expect(s.cmd(Op.GET_SECURITY_INFO)).toEqual(['0114020000000000' + 'ff00']);
    expect(s.cmd(Op.READ_FLASH_SLOW, u32le(0, 64))).toEqual(['010e020000000000' + 'c300']);
    expect(s.cmd(0x42)).toEqual(['0142020000000000' + 'c300']);
  });

  it('FLASH_BEGIN/DATA/END uncompressed in ROM mode, checksum error 01 07, MD5 as ASCII hex', () => {
    const r = rig();
    r.flash.write(0x10000, new Uint8Array(0x2000).fill(0));
    expect(r.cmd(Op.FLASH_BEGIN, u32le(0x1000, 1, 0x400, 0x10000, 0))).toEqual(['0102040000000000' + OK_ROM]);
    expect(r.flash.read(0x10000, 0x1000).every((b) => b === 0xff)).toBe(true);
    expect(r.flash.read(0x11000, 1)[0]).toBe(0);
    const data = Uint8Array.from({ length: 0x400 }, (_, i) => i & 0xff);
    expect(r.block(Op.FLASH_DATA, 0, data, true)).toEqual(['0103040000000000' + '01070000']);
    expect(r.block(Op.FLASH_DATA, 0, data)).toEqual(['0103040000000000' + OK_ROM]);
    expect(hex(r.flash.read(0x10000, 0x400))).toBe(hex(data));
    const md5 = createHash('md5').update(data).digest('hex');
    expect(r.cmd(Op.SPI_FLASH_MD5, u32le(0x10000, 0x400, 0, 0))).toEqual(['0113240000000000' + Buffer.from(md5).toString('hex') + OK_ROM]);
    expect(r.cmd(Op.FLASH_END, u32le(1))).toEqual(['0104040000000000' + OK_ROM]);
    expect(r.events).toEqual(['run-app']);
  });

  it('READ_FLASH_SLOW (ROM) returns 64 bytes', () => {
    const r = rig();
    r.flash.write(0x1000, Uint8Array.of(0xe9, 3));
    expect(r.cmd(Op.READ_FLASH_SLOW, u32le(0x1000, 2))).toEqual(['010e440000000000' + 'e903' + '00'.repeat(62) + OK_ROM]);
    expect(r.cmd(Op.READ_FLASH_SLOW, u32le(0x1000, 65))).toEqual(['010e040000000000' + '010a0000']);
  });

  it('compressed writes in stub mode: ack, inflate, exact size, MD5 raw, END(1) stays', () => {
    const s = rig('stub');
    const image = Uint8Array.from({ length: 50000 }, (_, i) => (i * 7) & 0xff);
    const z = pako.deflate(image, { level: 9 });
    expect(s.cmd(Op.FLASH_DEFL_BEGIN, u32le(image.length, 2, 0x4000, 0x290000))).toEqual(['0110020000000000' + OK_STUB]);
    const half = Math.ceil(z.length / 2);
    expect(s.block(Op.FLASH_DEFL_DATA, 0, z.subarray(0, half), true)).toEqual(['0111020000000000' + 'c100']);
    expect(s.block(Op.FLASH_DEFL_DATA, 0, z.subarray(0, half))).toEqual(['0111020000000000' + OK_STUB]);
    expect(s.block(Op.FLASH_DEFL_DATA, 1, z.subarray(half))).toEqual(['0111020000000000' + OK_STUB]);
    expect(s.cmd(Op.FLASH_DEFL_END, u32le(1))).toEqual(['0112020000000000' + OK_STUB]);
    expect(hex(s.flash.read(0x290000, image.length))).toBe(hex(image));
    const md5 = createHash('md5').update(image).digest('hex');
    expect(s.cmd(Op.SPI_FLASH_MD5, u32le(0x290000, image.length, 0, 0))).toEqual(['0113120000000000' + md5 + OK_STUB]);
    expect(s.loader.mode).toBe('stub');
    expect(s.events).toEqual([]);
  });

  it('stub FLASH_END fails with C0 00 when data is missing; too much data is C9 00; bad zlib is C7 00', () => {
    const s = rig('stub');
    s.cmd(Op.FLASH_BEGIN, u32le(8, 1, 0x4000, 0x1000));
    expect(s.block(Op.FLASH_DATA, 0, Uint8Array.of(1, 2, 3, 4))).toEqual(['0103020000000000' + OK_STUB]);
    expect(s.cmd(Op.FLASH_END, u32le(1))).toEqual(['0104020000000000' + 'c000']);
    s.cmd(Op.FLASH_BEGIN, u32le(4, 1, 0x4000, 0x1000));
    // esptool-js pads the last block: the stub keeps the announced 4 bytes.
    expect(s.block(Op.FLASH_DATA, 0, Uint8Array.of(1, 2, 3, 4, 0xff, 0xff))).toEqual(['0103020000000000' + OK_STUB]);
    expect(s.block(Op.FLASH_DATA, 1, Uint8Array.of(9))).toEqual(['0103020000000000' + 'c900']);
    s.cmd(Op.FLASH_DEFL_BEGIN, u32le(4, 1, 0x4000, 0x1000));
    expect(s.block(Op.FLASH_DEFL_DATA, 0, Uint8Array.of(1, 2, 3, 4))).toEqual(['0111020000000000' + 'c700']);
  });

  it('stub FLASH_END(0) drops back to ROM mode (esptool --after no_reset)', () => {
    const s = rig('stub');
    s.cmd(Op.FLASH_BEGIN, u32le(0, 0, 0x4000, 0));
    expect(s.cmd(Op.FLASH_END, u32le(0))).toEqual(['0104020000000000' + OK_STUB]);
    expect(s.loader.mode).toBe('rom');
  });

  it('ROM-mode compressed writes (esptool.py path: no FLASH_DEFL_END before MD5)', () => {
    const r = rig();
    const image = new Uint8Array(3000).fill(0x5a);
    const z = pako.deflate(image);
    expect(r.cmd(Op.FLASH_DEFL_BEGIN, u32le(0x4000, 1, 0x4000, 0x8000))).toEqual(['0110040000000000' + OK_ROM]);
    expect(r.block(Op.FLASH_DEFL_DATA, 0, z)).toEqual(['0111040000000000' + OK_ROM]);
    expect(hex(r.flash.read(0x8000, 3000))).toBe(hex(image));
    expect(r.flash.read(0x8000 + 3000, 1)[0]).toBe(0xff);
    expect(r.cmd(Op.FLASH_DEFL_END, u32le(1))).toEqual(['0112040000000000' + OK_ROM]);
  });

  it('ERASE_FLASH and ERASE_REGION (stub), with the alignment rule', () => {
    const s = rig('stub');
    s.flash.write(0, new Uint8Array(0x3000));
    expect(s.cmd(Op.ERASE_REGION, u32le(0x1000, 0x1000))).toEqual(['01d1020000000000' + OK_STUB]);
    expect(s.flash.read(0x1000, 0x1000).every((b) => b === 0xff)).toBe(true);
    expect(s.flash.read(0x2000, 1)[0]).toBe(0);
    expect(s.cmd(Op.ERASE_REGION, u32le(0x100, 0x1000))).toEqual(['01d1020000000000' + 'c000']);
    expect(s.cmd(Op.ERASE_FLASH)).toEqual(['01d0020000000000' + OK_STUB]);
    expect(s.flash.read(0, 0x3000).every((b) => b === 0xff)).toBe(true);
  });

  it('READ_FLASH (stub): OK with value 0, one packet per ack, then the MD5 frame', () => {
    const s = rig('stub');
    const data = Uint8Array.from({ length: 5000 }, (_, i) => i % 251);
    s.flash.write(0x9000, data);
    const first = s.cmd(Op.READ_FLASH, u32le(0x9000, 5000, 0x1000, 64));
    expect(first).toEqual(['01d2020000000000' + OK_STUB, hex(data.subarray(0, 0x1000))]);
    expect(s.raw(u32le(123))).toEqual([]); // a wrong total is not an ack
    expect(s.raw(u32le(0x1000))).toEqual([hex(data.subarray(0x1000))]);
    expect(s.raw(u32le(5000))).toEqual([createHash('md5').update(data).digest('hex')]);
    expect(s.cmd(Op.SYNC, SYNC_DATA)).toHaveLength(8);
  });

  it('RUN_USER_CODE (stub) sends nothing and boots the app', () => {
    const s = rig('stub');
    expect(s.cmd(Op.RUN_USER_CODE)).toEqual([]);
    expect(s.events).toEqual(['run-app']);
  });

  it('ignores junk and undecodable frames with a warning', () => {
    const warnings: string[] = [];
    const out: Uint8Array[] = [];
    const loader = new BootLoader(new Flash(), { write: (b) => out.push(b), onWarning: (c) => warnings.push(c) });
    loader.receive(new TextEncoder().encode('hello'));
    loader.receive(slipEncode(Uint8Array.of(1, 2, 3)));
    expect(out).toEqual([]);
    expect(warnings).toEqual(['serial.outside-frame', 'serial.bad-command']);
  });

  it('stub goldens for SPI_ATTACH, SPI_SET_PARAMS, MEM_END, plain FLASH_BEGIN/DATA/END', () => {
    const s = rig('stub');
    expect(s.cmd(Op.SPI_ATTACH, u32le(0))).toEqual(['010d020000000000' + OK_STUB]);
    expect(s.cmd(Op.SPI_SET_PARAMS, u32le(0, 0x400000, 0x10000, 0x1000, 0x100, 0xffff))).toEqual(['010b020000000000' + OK_STUB]);
    expect(s.cmd(Op.MEM_BEGIN, u32le(4, 1, 0x1800, 0x3ffe0000))).toEqual(['0105020000000000' + OK_STUB]);
    expect(s.block(Op.MEM_DATA, 0, Uint8Array.of(1, 2, 3, 4))).toEqual(['0107020000000000' + OK_STUB]);
    expect(s.cmd(Op.MEM_END, u32le(0, 0x3ffe0000))).toEqual(['0106020000000000' + OK_STUB]); // no second OHAI
    const data = Uint8Array.from({ length: 0x4000 }, (_, i) => (i * 13) & 0xff);
    // esptool / esptool-js in stub mode send 5 words; word0 = exact byte count.
    expect(s.cmd(Op.FLASH_BEGIN, u32le(0x3000, 1, 0x4000, 0x20000, 0))).toEqual(['0102020000000000' + OK_STUB]);
    expect(s.block(Op.FLASH_DATA, 0, data)).toEqual(['0103020000000000' + OK_STUB]);
    expect(s.cmd(Op.FLASH_END, u32le(1))).toEqual(['0104020000000000' + OK_STUB]);
    expect(hex(s.flash.read(0x20000, 0x3000))).toBe(hex(data.subarray(0, 0x3000)));
    expect(s.flash.read(0x23000, 1)[0]).toBe(0xff); // the padding beyond the announced size is not written
    expect(s.events).toEqual([]);
    expect(s.loader.mode).toBe('stub');
  });

  it('ROM: 16-byte FLASH_BEGIN (esptool.py) and MEM_END with flag 1 (no code run, no OHAI)', () => {
    const r = rig();
    expect(r.cmd(Op.FLASH_BEGIN, u32le(0x1000, 1, 0x400, 0x3000))).toEqual(['0102040000000000' + OK_ROM]);
    const data = new Uint8Array(0x400).fill(0x42);
    expect(r.block(Op.FLASH_DATA, 0, data)).toEqual(['0103040000000000' + OK_ROM]);
    expect(hex(r.flash.read(0x3000, 0x400))).toBe(hex(data));
    expect(r.cmd(Op.FLASH_BEGIN, u32le(0x1000, 1, 0x400))).toEqual(['0102040000000000' + '01050000']); // too short
    expect(r.cmd(Op.MEM_BEGIN, u32le(4, 1, 0x1800, 0x3ffe0000))).toEqual(['0105040000000000' + OK_ROM]);
    expect(r.cmd(Op.MEM_END, u32le(1, 0))).toEqual(['0106040000000000' + OK_ROM]);
    expect(r.loader.mode).toBe('rom');
  });

  it('SYNC with a wrong payload is not answered as a sync', () => {
    const bad = Uint8Array.from(SYNC_DATA);
    bad[5] = 0;
    expect(rig('rom').cmd(Op.SYNC, bad)).toEqual(['0108040000000000' + '01050000']);
    expect(rig('stub').cmd(Op.SYNC, bad)).toEqual(['0108020000000000' + 'c000']);
  });
});
