import { promisify } from 'node:util';
import { deflate } from 'node:zlib';
import pako from 'pako';
import type { ESPLoader } from 'esptool-js';

const deflateAsync = promisify(deflate);

/**
 * The zlib stream (level 9, as esptool sends) of an image, made by Node's zlib on the thread
 * pool: started before the port is opened it is ready by the time the stub runs, and the event
 * loop stays free for the link meanwhile.
 */
export async function deflateImage(image: Uint8Array): Promise<Uint8Array> {
  const out = await deflateAsync(image, { level: 9 });
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}

/** The esptool-js calls the write loop needs (a subset of `ESPLoader`). */
export type BlockWriter = Pick<ESPLoader, 'IS_STUB' | 'FLASH_WRITE_SIZE' | 'ERASE_WRITE_TIMEOUT_PER_MB' | 'timeoutPerMb'
  | 'flashBegin' | 'flashBlock' | 'flashFinish' | 'flashDeflBegin' | 'flashDeflBlock' | 'flashDeflFinish'>;

/** One block as it goes on the wire, with the write timeout esptool derives for it. */
export interface WireBlock {
  data: Uint8Array;
  /** Flash bytes this block stands for (its inflated size when compressed). */
  flashBytes: number;
}

/**
 * Pure: splits `image` into the blocks esptool sends. Compressed: one zlib stream (level 9, as
 * esptool and esptool-js) cut into `blockSize` pieces, each with the number of bytes it inflates
 * to (read from the inflater's output counter in one pass; esptool-js 0.7.0 gets the same
 * figure with a 1-byte output chunk size, a callback per flash byte, which costs ~30 ms of CPU
 * per block between blocks on the wire). Plain: `blockSize` pieces, the last padded with 0xFF.
 */
export function splitBlocks(image: Uint8Array, blockSize: number, compress: boolean, deflated?: Uint8Array): WireBlock[] {
  const blocks: WireBlock[] = [];
  if (!compress) {
    for (let o = 0; o < image.length; o += blockSize) {
      let data = image.subarray(o, o + blockSize);
      if (data.length < blockSize) {
        const padded = new Uint8Array(blockSize).fill(0xff);
        padded.set(data);
        data = padded;
      }
      blocks.push({ data, flashBytes: data.length });
    }
    return blocks;
  }
  const compressed = deflated ?? pako.deflate(image, { level: 9 });
  const inflater = new pako.Inflate({ chunkSize: 1 << 20 });
  const strm = (inflater as unknown as { strm: { total_out: number } }).strm;
  let before = 0;
  for (let o = 0; o < compressed.length; o += blockSize) {
    const data = compressed.subarray(o, o + blockSize);
    inflater.push(data, o + blockSize >= compressed.length);
    blocks.push({ data, flashBytes: strm.total_out - before });
    before = strm.total_out;
  }
  return blocks;
}

/**
 * Writes one region through the loader's FLASH_(DEFL_)BEGIN/DATA/END, block by block, with
 * esptool's timeouts (the stub acks a block on receipt and writes it while the next arrives, so
 * a block's write time counts against the next block's timeout). The blocks are prepared before
 * the first one is sent so nothing delays the line between blocks. `onBlock` gets the wire
 * bytes sent so far and the total. `deflated`: the image's zlib stream, when already made.
 */
export async function writeRegion(
  loader: BlockWriter,
  address: number,
  image: Uint8Array,
  compress: boolean,
  guard: <T>(p: Promise<T>) => Promise<T>,
  onBlock: (sent: number, total: number) => void,
  deflated?: Uint8Array,
): Promise<{ wireBytes: number }> {
  const blocks = splitBlocks(image, loader.FLASH_WRITE_SIZE, compress, deflated);
  const total = blocks.reduce((n, b) => n + b.data.length, 0);
  const blockTimeout = (b: WireBlock) => Math.max(3000, loader.timeoutPerMb(loader.ERASE_WRITE_TIMEOUT_PER_MB, b.flashBytes));
  if (compress) await guard(loader.flashDeflBegin(image.length, total, address));
  else await guard(loader.flashBegin(image.length, address));
  onBlock(0, total);
  let timeout = 5000;
  let sent = 0;
  for (const [seq, b] of blocks.entries()) {
    if (!loader.IS_STUB) timeout = blockTimeout(b); // the ROM writes before it acks
    if (compress) await guard(loader.flashDeflBlock(b.data, seq, timeout));
    else await guard(loader.flashBlock(b.data, seq, timeout));
    if (loader.IS_STUB) timeout = blockTimeout(b);
    sent += b.data.length;
    onBlock(sent, total);
  }
  if (loader.IS_STUB) {
    if (compress) await guard(loader.flashDeflFinish(false, timeout));
    else await guard(loader.flashFinish(false, timeout));
  }
  return { wireBytes: total };
}
