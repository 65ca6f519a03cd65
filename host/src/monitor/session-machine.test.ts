import { describe, expect, it } from 'vitest';
import { menuHelp } from './menu.js';
import { initialState, stepMonitor, type MachineConfig, type MonitorEvent, type MonitorState, type NamedPort } from './session-machine.js';

// The machine is pure: every transition is driven here with events, no ports and no timers.
const config: MachineConfig = { reconnect: true, reconnectDelayMs: 500, resetOnStart: false };
const port: NamedPort = { name: '/dev/ttyUSB0' };
const again: NamedPort = { name: '/dev/ttyUSB0' };
const step = (s: MonitorState, e: MonitorEvent, c: MachineConfig = config) => stepMonitor(s, e, c);

const running: MonitorState = { name: 'running', port: port.name, epoch: 0 };
const reconnecting: MonitorState = { name: 'reconnecting', port: port.name, epoch: 1 };
const lent: MonitorState = { name: 'lent', port: port.name, epoch: 0, client: 'esp-sse flash', to: 'esp-sse flash (pid 4321)' };
const loanBack = (finished: boolean, reset: boolean): MonitorState => ({
  name: 'opening', port: port.name, epoch: 1, loan: { client: 'esp-sse flash', finished, reset },
});
const stopping: MonitorState = { name: 'stopping', port: port.name, epoch: 1, result: { reason: 'exit' } };

describe('the monitor session machine: opening', () => {
  it('starts on an open port: running, reading it', () => {
    expect(step(initialState(port.name), { type: 'start', port, isOpen: true })).toEqual({
      state: running,
      effects: [{ do: 'attach', port }],
    });
  });

  it('resets the board once running when asked to', () => {
    const { effects } = step(initialState(port.name), { type: 'start', port, isOpen: true }, { ...config, resetOnStart: true });
    expect(effects).toEqual([{ do: 'attach', port }, { do: 'say', text: 'reset' }, { do: 'reset', sequence: 'hard' }]);
  });

  it('a port that is not open at the start is a drop: reconnecting, or ending with `closed` without reconnecting', () => {
    const r = step(initialState(port.name), { type: 'start', port, isOpen: false });
    expect(r.state).toEqual(reconnecting);
    expect(r.effects[1]).toEqual({ do: 'say', text: '/dev/ttyUSB0 lost (port is not open); waiting for it to come back (Ctrl+] to quit)' });
    const off = step(initialState(port.name), { type: 'start', port, isOpen: false }, { ...config, reconnect: false });
    expect(off.state).toMatchObject({ name: 'stopping', result: { reason: 'closed', error: new Error('port is not open') } });
  });

  it('a port given back by a borrower: says so, resets when the borrower asked, and runs', () => {
    expect(step(loanBack(true, true), { type: 'opened', epoch: 1, port: again })).toEqual({
      state: { name: 'running', port: again.name, epoch: 1 },
      effects: [{ do: 'attach', port: again }, { do: 'say', text: 'port back from esp-sse flash' }, { do: 'say', text: 'reset' }, { do: 'reset', sequence: 'hard' }],
    });
    expect(step(loanBack(false, false), { type: 'opened', epoch: 1, port: again }).effects).toEqual([
      { do: 'attach', port: again },
      { do: 'say', text: 'port back from esp-sse flash (it ended without handing the port back)' },
    ]);
  });

  it('a port not back yet: one status line for the first failure, then retries after the delay', () => {
    const first = step(loanBack(true, false), { type: 'open-failed', epoch: 1, error: new Error('Cannot lock port') });
    expect(first.effects).toEqual([
      { do: 'say', text: 'waiting for /dev/ttyUSB0 to come back from esp-sse flash: Cannot lock port' },
      { do: 'wait', ms: 500, epoch: 1 },
    ]);
    const second = step(first.state, { type: 'open-failed', epoch: 1, error: new Error('Cannot lock port') });
    expect(second.effects).toEqual([{ do: 'wait', ms: 500, epoch: 1 }]);
    expect(step(second.state, { type: 'waited', epoch: 1 }).effects).toEqual([{ do: 'open', via: 'loan', epoch: 1 }]);
  });
});

describe('the monitor session machine: running', () => {
  it('a drop with an error: stops reading, says so, and waits before the first reopen', () => {
    expect(step(running, { type: 'dropped', error: new Error('unplugged') })).toEqual({
      state: reconnecting,
      effects: [
        { do: 'detach' },
        { do: 'say', text: '/dev/ttyUSB0 lost (unplugged); waiting for it to come back (Ctrl+] to quit)' },
        { do: 'wait', ms: 500, epoch: 1 },
      ],
    });
  });

  it('a drop without reconnecting, or a clean close, ends the session with `closed`', () => {
    const error = new Error('unplugged');
    expect(step(running, { type: 'dropped', error }, { ...config, reconnect: false })).toEqual({
      state: { name: 'stopping', port: port.name, epoch: 0, result: { reason: 'closed', error } },
      effects: [{ do: 'detach' }, { do: 'end', result: { reason: 'closed', error } }],
    });
    expect(step(running, { type: 'dropped' }).effects).toEqual([{ do: 'detach' }, { do: 'end', result: { reason: 'closed' } }]);
  });

  it('ends on a matching line, on the timeout and on the exit key', () => {
    expect(step(running, { type: 'until', line: 'HTTP server started' }).effects).toEqual([{ do: 'end', result: { reason: 'until', matched: 'HTTP server started' } }]);
    expect(step(running, { type: 'timeout' }).state).toMatchObject({ name: 'stopping', result: { reason: 'timeout' } });
    expect(step(lent, { type: 'key', action: { type: 'exit' } }).effects).toEqual([{ do: 'end', result: { reason: 'exit' } }]);
  });

  it('turns menu keys into effects and keeps its state', () => {
    const effectsOf = (action: Extract<MonitorEvent, { type: 'key' }>['action']) => {
      const r = step(running, { type: 'key', action });
      expect(r.state).toBe(running);
      return r.effects;
    };
    const bytes = Uint8Array.of(0x41);
    expect(effectsOf({ type: 'send', bytes })).toEqual([{ do: 'send', bytes }]);
    expect(effectsOf({ type: 'reset' })).toEqual([{ do: 'say', text: 'reset' }, { do: 'reset', sequence: 'hard' }]);
    expect(effectsOf({ type: 'bootloader' })).toEqual([{ do: 'say', text: 'reset into the bootloader' }, { do: 'reset', sequence: 'bootloader' }]);
    expect(effectsOf({ type: 'toggle-timestamps' })).toEqual([{ do: 'toggle', what: 'timestamps' }]);
    expect(effectsOf({ type: 'toggle-hex' })).toEqual([{ do: 'toggle', what: 'hex' }]);
    expect(effectsOf({ type: 'toggle-log' })).toEqual([{ do: 'toggle', what: 'log' }]);
    expect(effectsOf({ type: 'help' })).toEqual([{ do: 'say', text: menuHelp() }]);
    expect(effectsOf({ type: 'unknown-menu-key', key: 0x7a })).toEqual([{ do: 'say', text: 'unknown menu key 0x7a; Ctrl+T h for help' }]);
    expect(step(running, { type: 'reset-failed', error: new Error('EIO') }).effects).toEqual([{ do: 'say', text: 'reset failed: EIO' }]);
  });
});

describe('the monitor session machine: lent', () => {
  it('a loan request while running: stop reading, close the port, say so, then grant it', () => {
    expect(step(running, { type: 'lend', client: 'esp-sse flash', pid: 4321 })).toEqual({
      state: lent,
      effects: [{ do: 'detach' }, { do: 'release' }, { do: 'say', text: 'port released to esp-sse flash (pid 4321); waiting for it to finish' }, { do: 'answer' }],
    });
  });

  it('a second borrower is refused while the port is lent; so is any once the session ends', () => {
    expect(step(lent, { type: 'lend', client: 'esp-sse info', pid: 9 })).toEqual({ state: lent, effects: [{ do: 'answer', refusal: 'the port is lent to esp-sse flash (pid 4321)' }] });
    expect(step(stopping, { type: 'lend', client: 'esp-sse info', pid: 9 }).effects).toEqual([{ do: 'answer', refusal: 'the monitor is ending' }]);
  });

  it('the port comes back: reopen it at once with the loan\'s opener, in a new loop', () => {
    expect(step(lent, { type: 'returned', finished: true, reset: true })).toEqual({
      state: { name: 'opening', port: port.name, epoch: 1, loan: { client: 'esp-sse flash', finished: true, reset: true } },
      effects: [{ do: 'open', via: 'loan', epoch: 1 }],
    });
  });

  it('lent while reconnecting or while the loan\'s reopen runs: the old loop\'s results are stale', () => {
    const during = step(reconnecting, { type: 'lend', client: 'esp-sse flash', pid: 4321 }).state;
    expect(during).toMatchObject({ name: 'lent', epoch: 1 });
    expect(step(during, { type: 'waited', epoch: 1 }).effects).toEqual([]);
    expect(step(during, { type: 'open-failed', epoch: 1, error: new Error('ENOENT') }).effects).toEqual([]);
    expect(step(during, { type: 'opened', epoch: 1, port: again }).effects).toEqual([{ do: 'discard', port: again }]);
    expect(step(loanBack(true, false), { type: 'lend', client: 'esp-sse erase', pid: 7 }).state).toMatchObject({ name: 'lent', to: 'esp-sse erase (pid 7)' });
    // Back again: the new loop has a newer epoch, so the old loop's wait does not open twice.
    const back = step(during, { type: 'returned', finished: true, reset: false }).state;
    expect(step(back, { type: 'waited', epoch: 1 }).effects).toEqual([]);
  });
});

describe('the monitor session machine: reconnecting', () => {
  it('opens after each wait, waits again after each failure, and runs once the port is back', () => {
    expect(step(reconnecting, { type: 'waited', epoch: 1 }).effects).toEqual([{ do: 'open', via: 'reconnect', epoch: 1 }]);
    expect(step(reconnecting, { type: 'open-failed', epoch: 1, error: new Error('ENOENT') })).toEqual({ state: reconnecting, effects: [{ do: 'wait', ms: 500, epoch: 1 }] });
    expect(step(reconnecting, { type: 'opened', epoch: 1, port: again })).toEqual({
      state: { name: 'running', port: again.name, epoch: 1 },
      effects: [{ do: 'attach', port: again }, { do: 'say', text: 'reconnected to /dev/ttyUSB0' }, { do: 'reconnected', port: again }],
    });
  });

  it('ignores a close event, a match or a return that cannot happen here', () => {
    expect(step(reconnecting, { type: 'dropped', error: new Error('x') })).toEqual({ state: reconnecting, effects: [] });
    expect(step(reconnecting, { type: 'returned', finished: true, reset: true })).toEqual({ state: reconnecting, effects: [] });
    expect(step(running, { type: 'start', port, isOpen: true })).toEqual({ state: running, effects: [] });
  });
});

describe('the monitor session machine: stopping', () => {
  it('ends once: later events do nothing, a port opened too late is closed', () => {
    for (const e of [
      { type: 'timeout' },
      { type: 'key', action: { type: 'exit' } },
      { type: 'key', action: { type: 'reset' } },
      { type: 'until', line: 'x' },
      { type: 'dropped', error: new Error('x') },
      { type: 'returned', finished: true, reset: true },
      { type: 'waited', epoch: 1 },
      { type: 'open-failed', epoch: 1, error: new Error('x') },
    ] satisfies MonitorEvent[]) {
      expect(step(stopping, e)).toEqual({ state: stopping, effects: [] });
    }
    expect(step(stopping, { type: 'opened', epoch: 1, port: again })).toEqual({ state: stopping, effects: [{ do: 'discard', port: again }] });
  });
});
