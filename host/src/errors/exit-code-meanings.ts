import { exitCodes } from '../errors.js';

/** When each exit code of {@link exitCodes} happens, one line each (docs/errors.md prints them). */
export const exitCodeMeanings: { readonly [K in keyof typeof exitCodes]: string } = {
  ok: 'done; for `monitor`: quit with Ctrl+], or `--until` matched',
  unmet: 'ran, but what was asked did not happen: a HIL check failed, `discover --name` found no such board, `monitor --timeout` passed without a `--until` match',
  usage: 'bad arguments, files or images, rejected before anything was written',
  port: 'the serial port is missing, busy, not permitted or ambiguous',
  connect: 'the chip did not answer or its loader did not start: not in download mode, no sync; nothing was written',
  connectionLost: 'the link dropped or failed mid-operation, or the loader refused a command: the flash may be partly written',
  verify: 'what was read back (MD5) differs from what was written',
  partial: 'several boards: at least one failed and at least one succeeded',
  internal: 'a bug in esp-sse: the stack is printed; please report it with that output',
  stdoutClosed: '`monitor`: the program reading stdout ended (what a shell reports for a SIGPIPE death, so a pipeline never reads it as a match)',
};

/** When a signal exit code happens. */
export const signalExitMeaning = '`monitor` ended by the signal: 128 + its number (SIGHUP 129, SIGINT 130, SIGTERM 143); it stops cleanly first';
