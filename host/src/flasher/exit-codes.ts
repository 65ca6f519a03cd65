/**
 * Exit codes of `flash`, `uploadfs`, `erase`, `info`, `read-flash` and `ports`, documented in
 * the README (Flashing → Exit codes). Scripts match on these; keep them stable.
 */
export const exitCodes = {
  ok: 0,
  /** Bad arguments or images rejected before anything was written (nothing touched). */
  usage: 2,
  /** Port missing, busy, not permitted, or ambiguous. */
  port: 3,
  /** The chip did not answer: not in download mode, no sync, wrong chip. */
  connect: 4,
  /** The link dropped or timed out mid-operation: flash may be partly written. */
  connectionLost: 5,
  /** The data read back (MD5) differs from what was sent. */
  verify: 6,
  /** Several boards: at least one failed, at least one succeeded. */
  partial: 7,
  /** A bug in esp-sse (stack printed). */
  internal: 70,
} as const;

export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes];
