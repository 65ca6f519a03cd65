import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { T, type Frame } from '../../protocol/sketch-link.js';
import { AsyncTcpQueue, taskWatchdogMs } from './native-dispatch.js';

describe('the app\'s async_tcp task as the board sees it', () => {
  let sent: Frame[];
  let fired: number;
  let q: AsyncTcpQueue;
  beforeEach(() => {
    vi.useFakeTimers();
    sent = [];
    fired = 0;
    q = new AsyncTcpQueue((f) => sent.push(f), () => fired++);
  });
  afterEach(() => vi.useRealTimers());

  it('sends each dispatch with a fresh id and runs its onDone synchronously when it finishes', () => {
    const order: string[] = [];
    const a = q.dispatch(T.request, { a: 7 }, () => order.push('a done'));
    const b = q.dispatch(T.sseConnect, (id) => ({ ...sent[0]!, type: T.sseConnect, id }), () => order.push('b done'));
    expect(sent.map((f) => [f.type, f.id])).toEqual([[T.request, a], [T.sseConnect, b]]);
    expect(b).not.toBe(a);
    q.finished(a);
    order.push('after a');
    q.finished(b);
    q.finished(b); // a second done for the same id is ignored
    expect(order).toEqual(['a done', 'after a', 'b done']);
  });

  it('the watchdog fires once when a callback holds the task for 5 s, counted from the last event taken', () => {
    const a = q.dispatch(T.request, {});
    vi.advanceTimersByTime(taskWatchdogMs - 1);
    q.finished(a); // returned in time: fed
    const b = q.dispatch(T.request, {});
    vi.advanceTimersByTime(taskWatchdogMs - 1);
    expect(fired).toBe(0);
    vi.advanceTimersByTime(1);
    expect(fired).toBe(1);
    vi.advanceTimersByTime(10 * taskWatchdogMs);
    expect(fired).toBe(1);
    q.finished(b);
  });

  it('an idle task or a stopped app is never timed', () => {
    q.finished(q.dispatch(T.request, {}));
    vi.advanceTimersByTime(10 * taskWatchdogMs);
    q.dispatch(T.request, {});
    q.stop();
    vi.advanceTimersByTime(10 * taskWatchdogMs);
    expect(fired).toBe(0);
  });
});
