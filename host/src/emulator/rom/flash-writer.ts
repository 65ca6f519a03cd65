import pako from 'pako';
import { SECTOR } from '../../formats/flash-layout.js';
import type { Flash } from '../flash.js';

/** How a flash write session ended badly; mapped to ROM or stub error codes by the loader. */
export type WriteFault = 'out-of-range' | 'too-much-data' | 'inflate' | 'not-enough-data' | 'not-in-flash-mode';

/**
 * One FLASH_BEGIN … FLASH_END (or FLASH_DEFL_*) session over the shared `Flash`. Writes are
 * NOR-flash writes (bits only go from 1 to 0, so a write ANDs with what is there); the region is
 * erased in whole sectors when the session begins, as the ROM does (the stub erases lazily, with
 * the same result).
 */
export class FlashWriteSession {
  private written = 0;
  private inflater?: pako.Inflate;
  private streamEnded = false;
  private fault?: WriteFault;

  constructor(
    private readonly flash: Flash,
    readonly offset: number,
    /** Bytes the host announced (uncompressed); stub sessions stop there, ROM ones write whole blocks. */
    readonly total: number,
    readonly compressed: boolean,
    private readonly trimToTotal: boolean,
  ) {
    const end = Math.min(flash.size, Math.ceil((offset + total) / SECTOR) * SECTOR);
    const start = Math.floor(offset / SECTOR) * SECTOR;
    if (offset + total > flash.size) this.fault = 'out-of-range';
    else if (end > start) flash.erase(start, end - start);
    if (compressed) {
      this.inflater = new pako.Inflate({ chunkSize: 16384 });
      this.inflater.onData = (chunk) => this.writeRaw(chunk as Uint8Array);
      this.inflater.onEnd = (status) => {
        this.streamEnded = true;
        if (status !== 0) this.fault = 'inflate';
      };
    }
  }

  /** Bytes written to flash so far (uncompressed). */
  get bytesWritten(): number {
    return this.written;
  }

  /** Takes one data block; returns the first fault met so far, if any. */
  push(block: Uint8Array): WriteFault | undefined {
    if (this.fault) return this.fault;
    if (this.inflater) {
      if (this.streamEnded) return block.length > 0 ? (this.fault = 'too-much-data') : undefined;
      this.inflater.push(block, pako.constants.Z_SYNC_FLUSH);
    } else {
      if (this.trimToTotal && this.written >= this.total && block.length > 0) return (this.fault = 'too-much-data');
      this.writeRaw(block);
    }
    return this.fault;
  }

  /** FLASH_END: a stub session must have received every announced byte. */
  finish(): WriteFault | undefined {
    if (this.fault) return this.fault;
    if (this.trimToTotal && this.written < this.total) return 'not-enough-data';
    return undefined;
  }

  private writeRaw(chunk: Uint8Array): void {
    if (this.fault) return;
    let data = chunk;
    if (this.trimToTotal) {
      const room = this.total - this.written;
      if (room <= 0) {
        this.fault = 'too-much-data';
        return;
      }
      data = chunk.subarray(0, room);
    }
    const at = this.offset + this.written;
    const n = Math.min(data.length, this.flash.size - at);
    if (n < data.length && !data.subarray(n).every((b) => b === 0xff)) this.fault = 'out-of-range';
    if (n > 0) {
      const old = this.flash.read(at, n);
      for (let i = 0; i < n; i++) old[i] = (old[i] ?? 0xff) & (data[i] ?? 0xff);
      this.flash.write(at, old);
    }
    this.written += data.length;
  }
}
