/**
 * Cutting a byte stream into the chunks a socket might deliver, for the property tests of the
 * incremental parsers: the same input must give the same result however it is cut.
 */

/** `bytes` cut at `offsets` (each taken mod length + 1; duplicates and both ends allowed), in order. */
export function cutAt(bytes: Uint8Array, offsets: readonly number[]): Uint8Array[] {
  const at = [...new Set(offsets.map((o) => o % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let from = 0;
  for (const to of [...at, bytes.length]) {
    out.push(bytes.subarray(from, to));
    from = to;
  }
  return out;
}

/** `bytes` cut at the given fractions (0..1) of its length. */
export function cutAtFractions(bytes: Uint8Array, fractions: readonly number[]): Uint8Array[] {
  return cutAt(bytes, fractions.map((f) => Math.floor(f * bytes.length)));
}
