/**
 * The monitor session's life as a state machine, pure: {@link stepMonitor} takes a state and an
 * event and returns the next state and the effects to run, in order. No timers, no ports: the
 * driver in `session.ts` turns port callbacks, keys, loan requests and finished waits into
 * events, and performs the effects.
 *
 * ```
 * opening       start (port open)           → running
 *               start (port not open)       → as a drop
 * running       dropped with an error       → reconnecting (with `reconnect`), else stopping
 *               dropped without an error    → stopping (`closed`)
 * reconnecting  waited → open, open-failed → wait again, opened → running
 * running, opening, reconnecting: lend      → lent (the port closed for the borrower)
 * lent          returned                    → opening (reopen with the loan's opener)
 * opening       opened                      → running (reset when the borrower asked)
 * any but stopping: exit key, until, timeout → stopping
 * ```
 *
 * A reopen loop (after a drop, or when a loan is back) is named by the state's `epoch`; its
 * `waited`/`opened`/`open-failed` events carry that epoch, so a loop the session has left
 * (the port was lent meanwhile, or the session ended) is recognised and its port closed.
 */
import { menuHelp, type MenuAction } from './menu.js';

/** Why the session ended. */
export type MonitorEnd = 'exit' | 'until' | 'timeout' | 'closed';

/** Result of a monitor session. */
export interface MonitorResult {
  reason: MonitorEnd;
  /** The line that matched `until`. */
  matched?: string;
  /** The error that closed the port when reconnecting was off (reason `closed`). */
  error?: Error;
}

/** What the machine knows of a port: its name (for status lines). The driver passes its transports. */
export interface NamedPort {
  readonly name: string;
}

/** How a lent port came back (transport/port-handover.ts `LoanReturn`), and from whom. */
export interface LoanBack {
  client: string;
  /** The borrower said `done`; false when it ended or died without saying so. */
  finished: boolean;
  /** The borrower left its hard reset to the monitor. */
  reset: boolean;
}

interface Common {
  /** Name of the session's port (the current one, or the one being waited for). */
  port: string;
  /** The newest reopen loop; a loop's events with an older epoch are stale. */
  epoch: number;
}

/** Where the session is. */
export type MonitorState = Common &
  (
    | /** Before `start`; or, with `loan`, reopening the port a borrower gave back (`told`: the wait was reported). */
    { name: 'opening'; loan?: LoanBack; told?: boolean }
    | /** The port is open and read. */ { name: 'running' }
    | /** The port is closed and lent to `client`, shown as `to` (`esp-sse flash (pid 4321)`). */
    { name: 'lent'; client: string; to: string }
    | /** The port dropped; reopening it until it is back. */ { name: 'reconnecting' }
    | /** The session ended; nothing but stale results arrive now. */ { name: 'stopping'; result: MonitorResult }
  );

/** What happened. */
export type MonitorEvent<P extends NamedPort = NamedPort> =
  | { type: 'start'; port: P; isOpen: boolean }
  | { type: 'dropped'; error?: Error }
  | { type: 'until'; line: string }
  | { type: 'timeout' }
  | { type: 'key'; action: MenuAction }
  | { type: 'lend'; client: string; pid: number }
  | { type: 'returned'; finished: boolean; reset: boolean }
  | { type: 'waited'; epoch: number }
  | { type: 'opened'; epoch: number; port: P }
  | { type: 'open-failed'; epoch: number; error: Error }
  | { type: 'reset-failed'; error: Error };

/** What the driver does, in this order; it awaits an effect that takes time (release, reset, send) before the next. */
export type MonitorEffect<P extends NamedPort = NamedPort> =
  | /** Read `port` and watch it close; it becomes the current port. */ { do: 'attach'; port: P }
  | /** Stop reading the current port. */ { do: 'detach' }
  | /** A `--- text` status line. */ { do: 'say'; text: string }
  | { do: 'send'; bytes: Uint8Array }
  | { do: 'reset'; sequence: 'hard' | 'bootloader' }
  | { do: 'toggle'; what: 'timestamps' | 'hex' | 'log' }
  | /** Close the current port once no reopen is in flight. */ { do: 'release' }
  | /** Answer the loan request: granted, or `refusal`. */ { do: 'answer'; refusal?: string }
  | /** Wait `ms`, then `waited`. */ { do: 'wait'; ms: number; epoch: number }
  | /** Open the port again (the reconnect or the loan's opener), then `opened` or `open-failed`. */
    { do: 'open'; via: 'reconnect' | 'loan'; epoch: number }
  | /** Close a port that was opened after its loop was left. */ { do: 'discard'; port: P }
  | /** Tell `onReconnect`. */ { do: 'reconnected'; port: P }
  | /** Stop listening to everything, flush the screen and the log, close the port unless kept, return `result`. */
    { do: 'end'; result: MonitorResult };

/** The options the transitions depend on. */
export interface MachineConfig {
  /** Reopen a dropped port (`--reconnect`); else a drop ends the session. */
  reconnect: boolean;
  /** Pause between reopen attempts. */
  reconnectDelayMs: number;
  /** Reset the board once running. */
  resetOnStart: boolean;
}

export interface Transition<P extends NamedPort = NamedPort> {
  state: MonitorState;
  effects: MonitorEffect<P>[];
}

/** The state before `start`. */
export function initialState(port: string): MonitorState {
  return { name: 'opening', port, epoch: 0 };
}

const say = (text: string) => ({ do: 'say', text }) as const;
const resetBoard = [say('reset'), { do: 'reset', sequence: 'hard' }] as const;

/** The next state and the effects to run for `event` in state `s`. */
export function stepMonitor<P extends NamedPort>(s: MonitorState, event: MonitorEvent<P>, config: MachineConfig): Transition<P> {
  const to = (state: MonitorState, ...effects: MonitorEffect<P>[]): Transition<P> => ({ state, effects });
  const stop = (result: MonitorResult) => to({ name: 'stopping', port: s.port, epoch: s.epoch, result }, { do: 'end', result });
  const inLoop = (epoch: number) => (s.name === 'opening' || s.name === 'reconnecting') && s.epoch === epoch;
  switch (event.type) {
    case 'reset-failed':
      return to(s, say(`reset failed: ${event.error.message}`));
    case 'opened':
      if (!inLoop(event.epoch)) return to(s, { do: 'discard', port: event.port });
      return reopened(s, event.port);
    case 'lend':
      return lend(s, event.client, event.pid);
  }
  if (s.name === 'stopping') return to(s);
  switch (event.type) {
    case 'start':
      if (s.name !== 'opening' || s.loan) return to(s);
      if (!event.isOpen) return dropped({ ...s, port: event.port.name }, new Error('port is not open'), config);
      return to({ name: 'running', port: event.port.name, epoch: s.epoch }, { do: 'attach', port: event.port }, ...(config.resetOnStart ? resetBoard : []));
    case 'dropped':
      return s.name === 'running' ? dropped(s, event.error, config) : to(s);
    case 'until':
      return stop({ reason: 'until', matched: event.line });
    case 'timeout':
      return stop({ reason: 'timeout' });
    case 'key':
      return event.action.type === 'exit' ? stop({ reason: 'exit' }) : to(s, ...menuEffects<P>(event.action));
    case 'returned': {
      if (s.name !== 'lent') return to(s);
      const loan = { client: s.client, finished: event.finished, reset: event.reset };
      const epoch = s.epoch + 1;
      return to({ name: 'opening', port: s.port, epoch, loan }, { do: 'open', via: 'loan', epoch });
    }
    case 'waited':
      if (!inLoop(event.epoch)) return to(s);
      return to(s, { do: 'open', via: s.name === 'opening' ? 'loan' : 'reconnect', epoch: s.epoch });
    case 'open-failed': {
      if (!inLoop(event.epoch)) return to(s);
      const wait = { do: 'wait', ms: config.reconnectDelayMs, epoch: s.epoch } as const;
      if (s.name !== 'opening' || !s.loan || s.told) return to(s, wait);
      return to({ ...s, told: true }, say(`waiting for ${s.port} to come back from ${s.loan.client}: ${event.error.message}`), wait);
    }
  }
}

/** The port closed under a running session: reconnect, or end with `closed`. */
function dropped<P extends NamedPort>(s: MonitorState, error: Error | undefined, config: MachineConfig): Transition<P> {
  if (!error || !config.reconnect) {
    const result: MonitorResult = error ? { reason: 'closed', error } : { reason: 'closed' };
    return { state: { name: 'stopping', port: s.port, epoch: s.epoch, result }, effects: [{ do: 'detach' }, { do: 'end', result }] };
  }
  const epoch = s.epoch + 1;
  return {
    state: { name: 'reconnecting', port: s.port, epoch },
    effects: [
      { do: 'detach' },
      say(`${s.port} lost (${error.message}); waiting for it to come back (Ctrl+] to quit)`),
      { do: 'wait', ms: config.reconnectDelayMs, epoch },
    ],
  };
}

/** A reopen loop got its port back: running again. */
function reopened<P extends NamedPort>(s: MonitorState, port: P): Transition<P> {
  const state: MonitorState = { name: 'running', port: port.name, epoch: s.epoch };
  if (s.name === 'opening' && s.loan) {
    const { client, finished, reset } = s.loan;
    const back = say(`port back from ${client}${finished ? '' : ' (it ended without handing the port back)'}`);
    return { state, effects: [{ do: 'attach', port }, back, ...(reset ? resetBoard : [])] };
  }
  return { state, effects: [{ do: 'attach', port }, say(`reconnected to ${port.name}`), { do: 'reconnected', port }] };
}

/** A flasher asks for the port: close it and wait for it to come back, or refuse. */
function lend<P extends NamedPort>(s: MonitorState, client: string, pid: number): Transition<P> {
  if (s.name === 'stopping') return { state: s, effects: [{ do: 'answer', refusal: 'the monitor is ending' }] };
  if (s.name === 'lent') return { state: s, effects: [{ do: 'answer', refusal: `the port is lent to ${s.to}` }] };
  const who = `${client} (pid ${pid})`;
  return {
    state: { name: 'lent', port: s.port, epoch: s.epoch, client, to: who },
    effects: [{ do: 'detach' }, { do: 'release' }, say(`port released to ${who}; waiting for it to finish`), { do: 'answer' }],
  };
}

/** Menu actions other than exit: the same in every state but `stopping`. */
function menuEffects<P extends NamedPort>(a: Exclude<MenuAction, { type: 'exit' }>): MonitorEffect<P>[] {
  switch (a.type) {
    case 'send':
      return [{ do: 'send', bytes: a.bytes }];
    case 'reset':
      return [...resetBoard];
    case 'bootloader':
      return [say('reset into the bootloader'), { do: 'reset', sequence: 'bootloader' }];
    case 'toggle-timestamps':
      return [{ do: 'toggle', what: 'timestamps' }];
    case 'toggle-hex':
      return [{ do: 'toggle', what: 'hex' }];
    case 'toggle-log':
      return [{ do: 'toggle', what: 'log' }];
    case 'help':
      return [say(menuHelp())];
    case 'unknown-menu-key':
      return [say(`unknown menu key 0x${a.key.toString(16)}; Ctrl+T h for help`)];
  }
}
