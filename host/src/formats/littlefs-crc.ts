/**
 * littlefs' CRC-32 (`lfs_crc`, lfs_util.c): polynomial 0x04c11db7 reflected (0xedb88320, the
 * zlib table), seeded by the caller (0xffffffff for a fresh commit) and **without** the final
 * xor, so the running value chains across calls. Source: littlefs SPEC.md "CRC" (v2.9.2).
 */
const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** Continues `crc` over `bytes[from, to)`. */
export function lfsCrc(crc: number, bytes: Uint8Array, from = 0, to = bytes.length): number {
  let c = crc >>> 0;
  for (let i = from; i < to; i++) c = (TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8)) >>> 0;
  return c;
}
