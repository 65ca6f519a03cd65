import { existsSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { isUserError, type WarnFn } from '../errors.js';
import { handoverSocketFor } from './port-handover-dir.js';
import { encodeHandover, handoverLimits, HandoverLines, isHandoverProblem, type HandoverMessage } from './port-handover.js';

/** A port an esp-sse monitor let go of; it takes it back when {@link giveBack} is called or this process ends. */
export interface PortLoan {
  /** `esp-sse monitor (pid 1234)`. */
  readonly lender: string;
  /** False once the monitor went away (quit, killed): nobody takes the port back. */
  readonly lenderPresent: boolean;
  /**
   * Tells the monitor the port is closed and free again, and whether to reset the board once
   * it holds it (the flasher's `--after hard_reset`, done where the board's boot log is seen).
   * Call after closing the port; idempotent.
   */
  giveBack(o: { reset: boolean }): Promise<void>;
}

/** What asking for a port gave: no monitor holds it, it was lent, or a monitor kept it (and why). */
export type BorrowOutcome =
  | { kind: 'none' }
  | { kind: 'lent'; loan: PortLoan }
  | { kind: 'not-lent'; why: string };

export interface BorrowOptions {
  /** How the flasher names itself to the monitor (`esp-sse flash`). */
  client: string;
  warn: WarnFn;
  pid?: number;
  /** Wait for the monitor's answer (default {@link handoverLimits.answerMs}). */
  answerMs?: number;
  env?: NodeJS.ProcessEnv;
}

/**
 * The flasher's end of the port handover (see `port-handover.ts`): when an esp-sse monitor
 * listens for `portName`, asks it to release the port and waits for its answer. No socket, or
 * a stale one (connection refused: its monitor was killed), is `none` and costs one `stat`.
 * A monitor that refuses, does not answer in time or answers garbage is `not-lent`, with a
 * warning: the caller opens the port anyway and reports `port.busy` if it is still held.
 */
export async function borrowPort(portName: string, o: BorrowOptions): Promise<BorrowOutcome> {
  let path: string | undefined;
  try {
    path = handoverSocketFor(portName, { create: false, ...(o.env ? { env: o.env } : {}) });
  } catch (e) {
    if (!isUserError(e)) throw e;
    // A bad port name is reported when the port is opened; a handover problem is a warning.
    if (e.code.startsWith('handover.')) o.warn(e.code, e.message, e.hint);
    return { kind: 'none' };
  }
  if (path === undefined || !existsSync(path)) return { kind: 'none' };
  const socket = connect(path);
  socket.on('error', () => {}); // reported through the answer below, or the loan's close
  const lines = new HandoverLines();
  const answer = await new Promise<HandoverMessage | { failed: string; stale?: boolean }>((resolve) => {
    const timer = setTimeout(() => resolve({ failed: 'no-answer' }), o.answerMs ?? handoverLimits.answerMs);
    const done = (r: HandoverMessage | { failed: string; stale?: boolean }) => {
      clearTimeout(timer);
      socket.off('data', onData);
      resolve(r);
    };
    const onData = (chunk: Buffer) => {
      for (const m of lines.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length))) {
        if (isHandoverProblem(m)) return done({ failed: `bad answer (${m.problem})` });
        return done(m);
      }
    };
    socket.on('data', onData);
    socket.once('connect', () => socket.write(encodeHandover({ type: 'release', client: o.client, pid: o.pid ?? process.pid })));
    socket.once('error', (e: NodeJS.ErrnoException) =>
      done(e.code === 'ECONNREFUSED' || e.code === 'ENOENT' ? { failed: 'stale', stale: true } : { failed: e.message }));
    socket.once('close', () => done({ failed: 'the monitor closed the connection without answering' }));
  });
  if ('failed' in answer || answer.type !== 'released') socket.destroy();
  if ('failed' in answer) {
    if (answer.stale) return { kind: 'none' };
    if (answer.failed === 'no-answer') {
      const s = Math.round((o.answerMs ?? handoverLimits.answerMs) / 100) / 10;
      o.warn('handover.no-answer', `an esp-sse monitor listens for ${portName} but did not answer within ${s} s; opening the port anyway`,
        'if the port is busy, quit that monitor (Ctrl+] in its terminal) and run again');
      return { kind: 'not-lent', why: `it did not answer within ${s} s` };
    }
    o.warn('handover.bad-message', `asking the esp-sse monitor of ${portName} for the port failed: ${answer.failed}; opening the port anyway`);
    return { kind: 'not-lent', why: answer.failed };
  }
  if (answer.type === 'refused') {
    o.warn('handover.refused', `the esp-sse monitor of ${portName} kept the port: ${answer.reason}`);
    return { kind: 'not-lent', why: answer.reason };
  }
  if (answer.type !== 'released') {
    o.warn('handover.bad-message', `the esp-sse monitor of ${portName} answered ${answer.type} instead of released; opening the port anyway`);
    return { kind: 'not-lent', why: `it answered ${answer.type}` };
  }
  return { kind: 'lent', loan: new SocketLoan(socket, `${answer.holder} (pid ${answer.pid})`) };
}

class SocketLoan implements PortLoan {
  private given?: Promise<void>;
  private present = true;

  constructor(
    private readonly socket: Socket,
    readonly lender: string,
  ) {
    // Never keeps the flasher's process alive; when it ends the connection closes, which the monitor takes as the port coming back.
    socket.unref();
    socket.on('data', () => {});
    socket.on('close', () => (this.present = false));
  }

  get lenderPresent(): boolean {
    return this.present && !this.socket.destroyed;
  }

  giveBack(o: { reset: boolean }): Promise<void> {
    this.given ??= new Promise<void>((resolve) => {
      if (!this.lenderPresent) return resolve();
      this.socket.end(encodeHandover({ type: 'done', reset: o.reset }), () => resolve());
      this.socket.once('close', () => resolve());
    });
    return this.given;
  }
}
