import { describe, expect, it } from 'vitest';
import { JoiningClients } from './joining-clients.js';

describe('JoiningClients', () => {
  it('holds a client from its sseConnect dispatch to that dispatch\'s done, and names it then', () => {
    const joining = new JoiningClients();
    joining.started(7, 41);
    joining.started(8, 42);
    expect([joining.has(7), joining.has(8), joining.size]).toEqual([true, true, 2]);
    expect(joining.finished(40)).toBeUndefined(); // a done for another dispatch (a request)
    expect(joining.finished(41)).toBe(7);
    expect([joining.has(7), joining.has(8), joining.size]).toEqual([false, true, 1]);
    expect(joining.finished(41)).toBeUndefined(); // once only
  });

  it('a client whose connection closed is no longer joining, and its later done names nobody', () => {
    const joining = new JoiningClients();
    joining.started(7, 41);
    joining.gone(7);
    expect([joining.has(7), joining.size]).toEqual([false, 0]);
    expect(joining.finished(41)).toBeUndefined();
  });

  it('clear: the app has gone, nothing is joining', () => {
    const joining = new JoiningClients();
    joining.started(7, 41);
    joining.clear();
    expect([joining.has(7), joining.size, joining.finished(41)]).toEqual([false, 0, undefined]);
  });
});
