import { afterEach, describe, expect, it } from 'vitest';
import type { FlashEvent } from '../src/flasher/events.js';
import { flashBoards } from '../src/flasher/jobs.js';
import type { LinkFactory, WebSerialLike } from '../src/flasher/link.js';
import { createTransport } from '../src/transport/open-port.js';
import type { ByteTransport } from '../src/transport/types.js';
import { PassThroughCable } from './pass-through-cable.js';
import { WebSerialAdapter } from '../src/transport/webserial-adapter.js';
import { cliTimeoutMs, fakeEspImage, startBoard, type EmulatedBoard } from './flash-helpers.js';

/**
 * A cable that cannot carry more than `limit` baud: above it every byte from the board arrives
 * damaged (as with a long or cheap USB-UART lead), at or below it the link is clean. Wraps the
 * real RFC 2217 client to the emulator.
 */
class LimitedCable extends PassThroughCable {
  constructor(inner: ByteTransport, private readonly limit: number) {
    super(inner);
  }
  override onData(l: (d: Uint8Array) => void) {
    return this.inner.onData((d) => l(this.inner.baudRate > this.limit ? d.map((x) => x ^ 0x5a) : d));
  }
}

const boards: EmulatedBoard[] = [];
afterEach(async () => {
  for (const b of boards.splice(0)) await b.close();
});

describe('baud fallback', () => {
  it('a link that fails at 921600 steps down to 460800, says so, and the images still verify', async () => {
    const b = await startBoard();
    boards.push(b);
    const link: LinkFactory = {
      createTransport: (name) => new LimitedCable(createTransport(name), 500_000),
      toWebSerial: (t, info) => new WebSerialAdapter(t, info) as unknown as WebSerialLike,
    };
    const events: FlashEvent[] = [];
    const app = fakeEspImage(60_000, 4);
    const [out] = await flashBoards(
      { ports: [b.port], baud: 921600, before: 'default_reset', after: 'hard_reset', link, onEvent: (e) => events.push(e) },
      [{ address: 0x10000, data: app, name: 'app.bin' }], undefined, { compress: true, force: false, eraseAll: false },
    );
    if (!out!.ok) throw new Error(out!.error.message);
    expect(out!.result.baud).toBe(460800);
    expect(events.filter((e) => e.type === 'baud-fallback').map((e) => e.type === 'baud-fallback' && [e.from, e.to])).toEqual([[921600, 460800]]);
    expect(events.filter((e) => e.type === 'baud-changed').map((e) => e.type === 'baud-changed' && e.baud)).toEqual([460800]);
    expect(b.board.flash.read(0x10000, app.length)).toEqual(app);
  }, cliTimeoutMs);
});
