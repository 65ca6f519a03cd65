import type { LinkFactory, WebSerialLike } from './link.js';

/**
 * The default factory: the project's transports and Web Serial adapter, loaded on first use,
 * and the port handover with a running esp-sse monitor. `client` is how this process names
 * itself to that monitor (default: the process title, which the CLI sets to `esp-sse flash` etc.).
 */
export async function defaultLinkFactory(o: { client?: string } = {}): Promise<LinkFactory> {
  const openPort = await import('../transport/open-port.js');
  const adapter = await import('../transport/webserial-adapter.js');
  const handover = await import('../transport/port-handover-client.js');
  return {
    createTransport: (name) => openPort.createTransport(name),
    toWebSerial: (t, info) => new adapter.WebSerialAdapter(t, info) as unknown as WebSerialLike,
    borrow: (name, warn) => handover.borrowPort(name, { client: o.client ?? (process.title || 'esp-sse'), warn }),
  };
}
