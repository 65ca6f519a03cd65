import type { LinkFactory, WebSerialLike } from './link.js';

/** The default factory: the project's transports and Web Serial adapter, loaded on first use. */
export async function defaultLinkFactory(): Promise<LinkFactory> {
  const openPort = await import('../transport/open-port.js');
  const adapter = await import('../transport/webserial-adapter.js');
  return {
    createTransport: (name) => openPort.createTransport(name),
    toWebSerial: (t, info) => new adapter.WebSerialAdapter(t, info) as unknown as WebSerialLike,
  };
}
