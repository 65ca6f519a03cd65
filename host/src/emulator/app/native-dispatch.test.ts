import { describe, expect, it } from 'vitest';
import { T, type Frame } from '../../protocol/sketch-link.js';
import { AsyncTcpQueue } from './native-dispatch.js';

describe('the app\'s async_tcp task as the board sees it', () => {
  it('sends each dispatch with a fresh id and runs its onDone synchronously when it finishes', () => {
    const sent: Frame[] = [];
    const q = new AsyncTcpQueue((f) => sent.push(f));
    const order: string[] = [];
    const a = q.dispatch(T.request, { a: 7 }, () => order.push('a done'));
    const b = q.dispatch(T.sseConnect, (id) => ({ ...sent[0]!, type: T.sseConnect, id }), () => order.push('b done'));
    expect(sent.map((f) => [f.type, f.id])).toEqual([[T.request, a], [T.sseConnect, b]]);
    expect(b).not.toBe(a);
    expect(q.newId()).not.toBe(b);
    q.finished(a);
    order.push('after a');
    q.finished(b);
    q.finished(b); // a second done for the same id is ignored
    expect(order).toEqual(['a done', 'after a', 'b done']);
  });

  it('after stop, a late done runs nothing', () => {
    const q = new AsyncTcpQueue(() => undefined);
    let ran = false;
    const id = q.dispatch(T.request, {}, () => (ran = true));
    q.stop();
    q.finished(id);
    expect(ran).toBe(false);
  });
});
