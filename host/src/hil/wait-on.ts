/**
 * Waits for a condition over data that arrives in pushes: `check` runs now and every time the
 * owner calls the functions in `waiters` (after new data, or when the source ends). `check`
 * returns `{ value }` to resolve, throws to reject, or returns undefined to keep waiting;
 * after `timeoutMs` the promise rejects with `timeoutError()`.
 */
export function waitOn<T>(waiters: Set<() => void>, check: () => { value: T } | undefined, timeoutMs: number, timeoutError: () => Error): Promise<T> {
  return new Promise((resolve, reject) => {
    const done = (): void => {
      clearTimeout(timer);
      waiters.delete(poll);
    };
    const poll = (): void => {
      let hit: { value: T } | undefined;
      try {
        hit = check();
      } catch (e) {
        done();
        reject(e as Error);
        return;
      }
      if (hit) {
        done();
        resolve(hit.value);
      }
    };
    const timer = setTimeout(() => {
      done();
      reject(timeoutError());
    }, timeoutMs);
    waiters.add(poll);
    poll();
  });
}
