import { createHash } from 'node:crypto';
import type { Flash } from '../flash.js';
import { SECTOR } from '../../formats/flash-layout.js';
import { SlipDecoder, slipEncode, type SlipNoise } from '../../protocol/slip.js';
import {
  Op, ROM_OPS, RomError, STUB_OPS, StubError, SYNC_DATA, SYNC_REPLIES, ROM_SYNC_VALUE, STUB_GREETING,
} from '../../protocol/rom-opcodes.js';
import { decodeCommand, decodeDataBlock, encodeResponse, readU32le, romChecksum, type RomCommand } from '../../protocol/rom-packet.js';
import { RegisterFile } from './registers.js';
import { SPI1, SPI_CMD_USR, runSpiUserCommand } from './spi-flash-cmd.js';
import { FlashWriteSession, type WriteFault } from './flash-writer.js';
import { ReadFlashStream } from './read-flash.js';

export type LoaderMode = 'rom' | 'stub';

/** How the loader reaches the rest of the board. */
export interface LoaderHooks {
  /** Bytes for the UART's transmit line (SLIP frames). */
  write(bytes: Uint8Array): void;
  /** The chip switches its UART to `baud` (after the reply went out at the old rate). */
  onBaudRate?(baud: number): void;
  /** Leave the loader and boot the app from flash (ROM FLASH_END(1), stub RUN_USER_CODE). */
  onRunApp?(): void;
  /** Every decoded frame in both directions, for `--trace`. */
  onFrame?(direction: 'in' | 'out', payload: Uint8Array): void;
  /** Bad bytes on the line (outside frames, undecodable packets): a warning, never a crash. */
  onWarning?(code: string, message: string): void;
}

const FAULT_CODES: Record<WriteFault, { rom: number; stub: number }> = {
  'out-of-range': { rom: RomError.INVALID_PARAM, stub: StubError.FAILED_SPI_OP },
  'too-much-data': { rom: RomError.INVALID_PARAM, stub: StubError.TOO_MUCH_DATA },
  inflate: { rom: RomError.DEFLATE, stub: StubError.INFLATE_ERROR },
  'not-enough-data': { rom: RomError.INVALID_PARAM, stub: StubError.BAD_DATA_LEN },
  'not-in-flash-mode': { rom: RomError.INVALID_PARAM, stub: StubError.NOT_IN_FLASH_MODE },
};

function noiseText(n: SlipNoise, maxFrame: number): string {
  switch (n.kind) {
    case 'frame-too-long':
      return `a SLIP frame longer than ${maxFrame} bytes (the stub's frame buffer) was dropped up to its end`;
    case 'bad-escape':
      return `${n.bytes.length} byte(s) with a bad SLIP escape ignored`;
    default:
      return `${n.bytes.length} byte(s) outside a SLIP frame ignored`;
  }
}

/**
 * The ESP32 ROM serial loader and, after a stub upload, the stub flasher: SLIP frames in,
 * responses out, over the board's shared `Flash` (docs/serial-protocol.md §7).
 * ROM responses carry 4 status bytes, stub responses 2.
 */
export class BootLoader {
  mode: LoaderMode = 'rom';
  readonly registers: RegisterFile;
  private readonly decoder: SlipDecoder;
  private lastOp: number = Op.SYNC;
  private mem?: { size: number; blocks: number; blockSize: number; next: number };
  private session?: FlashWriteSession;
  private reading?: ReadFlashStream;
  private pendingStubError?: number;

  constructor(
    private readonly flash: Flash,
    private readonly hooks: LoaderHooks,
    registers?: RegisterFile,
  ) {
    this.registers = registers ?? new RegisterFile();
    this.decoder = new SlipDecoder((n) => this.hooks.onWarning?.(`serial.${n.kind}`, noiseText(n, this.decoder.maxFrame)));
  }

  /** Bytes of a partial SLIP frame held until its end (never more than the frame limit). */
  get buffered(): number {
    return this.decoder.buffered;
  }

  /** Bytes from the host's transmit line. */
  receive(bytes: Uint8Array): void {
    for (const frame of this.decoder.push(bytes)) this.handleFrame(frame);
  }

  /** A whole SLIP payload (exposed for tests). */
  handleFrame(frame: Uint8Array): void {
    this.hooks.onFrame?.('in', frame);
    if (this.reading) {
      this.reading.ack(frame);
      if (this.reading.done) this.reading = undefined;
      return;
    }
    const decoded = decodeCommand(frame);
    if (!decoded.ok) {
      this.hooks.onWarning?.('serial.bad-command', `ignored a frame that is not a command: ${decoded.reason}`);
      return;
    }
    this.dispatch(decoded.value);
  }

  private dispatch(cmd: RomCommand): void {
    const supported = this.mode === 'rom' ? ROM_OPS : STUB_OPS;
    if (!supported.has(cmd.op)) return this.unsupported(cmd.op);
    this.lastOp = cmd.op;
    const d = cmd.data;
    const w = readU32le(d, 6);
    switch (cmd.op) {
      case Op.SYNC:
        if (d.length !== SYNC_DATA.length || !d.every((b, i) => b === SYNC_DATA[i])) return this.fail(cmd.op, RomError.INVALID_MESSAGE, StubError.BAD_DATA_LEN);
        for (let i = 0; i < SYNC_REPLIES; i++) this.ok(cmd.op, this.mode === 'rom' ? ROM_SYNC_VALUE : 0);
        return;
      case Op.READ_REG:
        if (w[0] === undefined) return this.fail(cmd.op, RomError.INVALID_MESSAGE, StubError.BAD_DATA_LEN);
        return this.ok(cmd.op, this.registers.read(w[0]));
      case Op.WRITE_REG:
        return this.writeReg(cmd);
      case Op.MEM_BEGIN:
        if (w[3] === undefined) return this.fail(cmd.op, RomError.INVALID_MESSAGE, StubError.BAD_DATA_LEN);
        this.mem = { size: w[0] ?? 0, blocks: w[1] ?? 0, blockSize: w[2] ?? 0, next: 0 };
        return this.ok(cmd.op);
      case Op.MEM_DATA:
        return this.memData(cmd);
      case Op.MEM_END:
        return this.memEnd(cmd.op, w[0] ?? 1, w[1] ?? 0);
      case Op.SPI_SET_PARAMS:
      case Op.SPI_ATTACH:
        return this.ok(cmd.op);
      case Op.CHANGE_BAUDRATE:
        if (!w[0]) return this.fail(cmd.op, RomError.INVALID_PARAM, StubError.BAD_DATA_LEN);
        this.ok(cmd.op);
        this.hooks.onBaudRate?.(w[0]);
        return;
      case Op.FLASH_BEGIN:
      case Op.FLASH_DEFL_BEGIN:
        return this.flashBegin(cmd.op, w);
      case Op.FLASH_DATA:
      case Op.FLASH_DEFL_DATA:
        return this.flashData(cmd);
      case Op.FLASH_END:
      case Op.FLASH_DEFL_END:
        return this.flashEnd(cmd.op, w[0] ?? 0);
      case Op.SPI_FLASH_MD5:
        return this.md5(cmd.op, w[0] ?? 0, w[1] ?? 0);
      case Op.READ_FLASH_SLOW:
        return this.readFlashSlow(cmd.op, w[0] ?? 0, w[1] ?? 0);
      case Op.ERASE_FLASH:
        this.flash.eraseAll();
        return this.ok(cmd.op);
      case Op.ERASE_REGION:
        return this.eraseRegion(cmd.op, w[0] ?? 0, w[1] ?? 0);
      case Op.READ_FLASH:
        return this.readFlash(cmd.op, w);
      case Op.RUN_USER_CODE:
        this.hooks.onRunApp?.();
        return;
    }
  }

  private writeReg(cmd: RomCommand): void {
    if (cmd.data.length === 0 || cmd.data.length % 16 !== 0) return this.fail(cmd.op, RomError.INVALID_MESSAGE, StubError.BAD_DATA_LEN);
    const words = readU32le(cmd.data, cmd.data.length / 4);
    for (let i = 0; i < words.length; i += 4) {
      const addr = words[i] ?? 0;
      this.registers.write(addr, words[i + 1] ?? 0, words[i + 2] ?? 0);
      if (addr === SPI1.CMD && (this.registers.read(SPI1.CMD) & SPI_CMD_USR) !== 0) runSpiUserCommand(this.registers);
    }
    this.ok(cmd.op);
  }

  private memData(cmd: RomCommand): void {
    const block = decodeDataBlock(cmd.data);
    if (!block.ok || !this.mem) return this.fail(cmd.op, RomError.INVALID_MESSAGE, StubError.NOT_IN_FLASH_MODE);
    if (romChecksum(block.value.payload) !== cmd.checksum) return this.fail(cmd.op, RomError.CHECKSUM, StubError.BAD_DATA_CHECKSUM);
    if (block.value.payload.length > this.mem.blockSize) return this.fail(cmd.op, RomError.RAM_SIZE, StubError.BAD_BLOCKSIZE);
    this.mem.next++;
    this.ok(cmd.op);
  }

  private memEnd(op: number, flag: number, entry: number): void {
    this.mem = undefined;
    this.ok(op);
    // The uploaded code runs: any stub (esptool-js's, esptool v3/v4's) greets and takes over.
    if (flag === 0 && entry !== 0 && this.mode === 'rom') {
      this.mode = 'stub';
      this.send(STUB_GREETING);
    }
  }

  private flashBegin(op: number, w: (number | undefined)[]): void {
    if (w[3] === undefined) return this.fail(op, RomError.INVALID_MESSAGE, StubError.BAD_DATA_LEN);
    const [total = 0, , blockSize = 0, offset] = w;
    if (this.mode === 'stub' && blockSize > 0x10000) return this.fail(op, RomError.INVALID_PARAM, StubError.BAD_BLOCKSIZE);
    const compressed = op === Op.FLASH_DEFL_BEGIN;
    this.session = new FlashWriteSession(this.flash, offset, total, compressed, this.mode === 'stub');
    const fault = this.session.finish() === 'out-of-range' ? 'out-of-range' : undefined;
    if (fault) {
      this.session = undefined;
      return this.failFault(op, fault);
    }
    this.ok(op);
  }

  private flashData(cmd: RomCommand): void {
    const block = decodeDataBlock(cmd.data);
    if (!block.ok) return this.fail(cmd.op, RomError.INVALID_MESSAGE, StubError.BAD_DATA_LEN);
    if (!this.session || this.session.compressed !== (cmd.op === Op.FLASH_DEFL_DATA)) return this.failFault(cmd.op, 'not-in-flash-mode');
    if (romChecksum(block.value.payload) !== cmd.checksum) return this.fail(cmd.op, RomError.CHECKSUM, StubError.BAD_DATA_CHECKSUM);
    const fault = this.session.push(block.value.payload);
    if (fault) return this.failFault(cmd.op, fault);
    this.ok(cmd.op);
  }

  private flashEnd(op: number, flag: number): void {
    const fault = this.session ? this.session.finish() : undefined;
    this.session = undefined;
    if (fault) return this.failFault(op, fault);
    this.ok(op);
    if (this.mode === 'rom') {
      // ROM: 1 = leave the loader and run the app, 0 = reboot (IO0 released → the app too).
      this.hooks.onRunApp?.();
    } else if (flag === 0) {
      // esptool `--after no_reset` with a stub: "exit stub back to ROM loader".
      this.mode = 'rom';
    }
  }

  private md5(op: number, addr: number, size: number): void {
    if (addr + size > this.flash.size) return this.fail(op, RomError.INVALID_PARAM, StubError.FAILED_SPI_OP);
    const digest = createHash('md5').update(this.flash.read(addr, size)).digest();
    // ROM: 32 lowercase ASCII hex characters; stub: 16 raw bytes.
    this.ok(op, 0, this.mode === 'rom' ? new TextEncoder().encode(digest.toString('hex')) : new Uint8Array(digest));
  }

  private readFlashSlow(op: number, offset: number, length: number): void {
    if (length > 64 || offset + length > this.flash.size) return this.fail(op, RomError.FLASH_READ_LENGTH, 0);
    const out = new Uint8Array(64);
    out.set(this.flash.read(offset, length));
    this.ok(op, 0, out);
  }

  private eraseRegion(op: number, offset: number, size: number): void {
    if (offset % SECTOR !== 0 || size % SECTOR !== 0 || offset + size > this.flash.size) {
      return this.fail(op, 0, StubError.BAD_DATA_LEN);
    }
    this.flash.erase(offset, size);
    this.ok(op);
  }

  private readFlash(op: number, w: (number | undefined)[]): void {
    const [offset, length, packetSize] = w;
    if (offset === undefined || length === undefined || packetSize === undefined) return this.fail(op, 0, StubError.BAD_DATA_LEN);
    if (offset + length > this.flash.size) return this.fail(op, 0, StubError.FAILED_SPI_OP);
    this.ok(op);
    // esp-flasher-stub checks the packet size after its OK reply; the error answers the next command.
    if (packetSize === 0 || packetSize > 4096) {
      this.pendingStubError = StubError.BAD_DATA_LEN;
      return;
    }
    this.reading = new ReadFlashStream(this.flash.read(offset, length), packetSize, (p) => this.send(p));
    if (this.reading.done) this.reading = undefined;
  }

  /** ROM: 8 "invalid message" replies with an opcode other than the request's; stub: echo + error. */
  private unsupported(op: number): void {
    if (this.mode === 'rom') {
      for (let i = 0; i < SYNC_REPLIES; i++) this.respond(this.lastOp, 0, new Uint8Array(0), Uint8Array.of(1, RomError.INVALID_MESSAGE, 0, 0));
    } else {
      const code = op === Op.GET_SECURITY_INFO || op === Op.FLASH_ENCRYPT_DATA ? StubError.NOT_IMPLEMENTED : StubError.INVALID_COMMAND;
      this.respond(op, 0, new Uint8Array(0), Uint8Array.of(code, 0));
    }
  }

  private ok(op: number, value = 0, payload: Uint8Array = new Uint8Array(0)): void {
    if (this.mode === 'stub' && this.pendingStubError !== undefined) {
      const code = this.pendingStubError;
      this.pendingStubError = undefined;
      return this.respond(op, value, payload, Uint8Array.of(code, 0));
    }
    this.respond(op, value, payload, this.mode === 'rom' ? new Uint8Array(4) : new Uint8Array(2));
  }

  private fail(op: number, romCode: number, stubCode: number): void {
    this.respond(op, 0, new Uint8Array(0), this.mode === 'rom' ? Uint8Array.of(1, romCode, 0, 0) : Uint8Array.of(stubCode, 0));
  }

  private failFault(op: number, fault: WriteFault): void {
    const c = FAULT_CODES[fault];
    this.fail(op, c.rom, c.stub);
  }

  private respond(op: number, value: number, payload: Uint8Array, status: Uint8Array): void {
    const data = new Uint8Array(payload.length + status.length);
    data.set(payload);
    data.set(status, payload.length);
    this.send(encodeResponse({ op, value, data }));
  }

  private send(payload: Uint8Array): void {
    this.hooks.onFrame?.('out', payload);
    this.hooks.write(slipEncode(payload));
  }
}
