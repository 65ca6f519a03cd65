/**
 * Event-stream clients whose `onConnect` is running in a compiled sketch: from the board's
 * `sseConnect` dispatch to the app's `done` for it. What the app sends such a client, and that
 * `done`, may be taken ahead of the frames waiting on a board that has fallen behind (AppProcess
 * `early`): no broadcast reaches the client before it joins its source's list, so no order
 * changes (docs/sketch-link.md).
 */
export class JoiningClients {
  private readonly clients = new Set<number>();
  /** The client of each `sseConnect` dispatch not yet done. */
  private readonly dispatches = new Map<number, number>();

  /** The board sent `sseConnect` dispatch `dispatchId` for client `clientId`. */
  started(clientId: number, dispatchId: number): void {
    this.clients.add(clientId);
    this.dispatches.set(dispatchId, clientId);
  }

  /** True while what the app sends `clientId` is its `onConnect`'s. */
  has(clientId: number): boolean {
    return this.clients.has(clientId);
  }

  /** The app's `done` for `dispatchId`: the client whose `onConnect` it ends, if it is one. */
  finished(dispatchId: number): number | undefined {
    const clientId = this.dispatches.get(dispatchId);
    if (clientId === undefined) return undefined;
    this.dispatches.delete(dispatchId);
    const joining = this.clients.delete(clientId);
    return joining ? clientId : undefined;
  }

  /** The client's connection closed: nothing more is sent to it (its `done` may still come). */
  gone(clientId: number): void {
    this.clients.delete(clientId);
  }

  /** Clients still in their `onConnect`. */
  get size(): number {
    return this.clients.size;
  }

  /** The app has gone: no `done` will come. */
  clear(): void {
    this.clients.clear();
    this.dispatches.clear();
  }
}
