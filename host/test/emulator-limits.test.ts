/**
 * The board's TCP limits (wire doc §9, §6.3): 16 active connections by default, the rest held
 * until a slot frees (at most 5, then reset), `maxConnections: 0` lifts the limit; a connection
 * that sends nothing is closed after the 3 s receive timeout.
 */
import { createServer, connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { resetSocket } from '../src/emulator/http/tcp-server.js';
import type { RunningEmulator } from '../src/emulator/index.js';
import { boardMaxActiveTcp, listenBacklog } from '../src/protocol/http-profiles.js';
import { closeAfterEach, openStreams, RawClient, sseGet, startTestEmulator, until, waitTimeoutMs } from './emulator-helpers.js';

const { running, clients } = closeAfterEach();

async function boot(maxConnections?: number): Promise<RunningEmulator> {
  const emu = await startTestEmulator(maxConnections === undefined ? {} : { maxConnections });
  running.push(emu);
  return emu;
}

describe('connection limit', () => {
  it('default: the 17th connection is held unanswered until one of the 16 closes', async () => {
    const emu = await boot();
    const server = emu.board.sketch!.server;
    const streams = await openStreams(emu.httpPort, boardMaxActiveTcp, { track: clients });
    expect(server.activeConnections).toBe(16);

    const extra = await RawClient.connect(emu.httpPort);
    const page = await RawClient.connect(emu.httpPort);
    clients.push(extra, page);
    extra.write(sseGet);
    page.write('GET /nope HTTP/1.1\r\n\r\n');
    await until('two held connections', () => server.heldConnections === 2);
    expect(extra.data.length).toBe(0);
    expect(page.data.length).toBe(0);

    // A page fetch needs a slot too: it is answered only after a stream goes away.
    streams[0]!.destroy();
    await extra.waitForText('data: hello!\n\n');
    expect(page.data.length).toBe(0);
    streams[1]!.destroy();
    expect(await page.waitClose()).toBe('fin');
    expect(page.text).toMatch(/^HTTP\/1.1 404 Not Found\r\n/);
  });

  it(`beyond ${listenBacklog} held connections, new ones are reset`, async () => {
    const emu = await boot();
    const server = emu.board.sketch!.server;
    await openStreams(emu.httpPort, boardMaxActiveTcp, { track: clients });
    const held = await Promise.all(Array.from({ length: listenBacklog }, () => RawClient.connect(emu.httpPort)));
    clients.push(...held);
    await until('5 held', () => server.heldConnections === listenBacklog);
    const refused = await RawClient.connect(emu.httpPort);
    clients.push(refused);
    refused.write(sseGet);
    expect(await refused.waitClose()).toBe('reset');
    expect(refused.text).toBe('');
    expect(held.every((c) => !c.isClosed)).toBe(true);
  });

  it('a custom limit applies the same way', async () => {
    const emu = await boot(2);
    await openStreams(emu.httpPort, 2, { track: clients });
    const third = await RawClient.connect(emu.httpPort);
    clients.push(third);
    third.write(sseGet);
    await until('one held', () => emu.board.sketch!.server.heldConnections === 1);
    expect(third.data.length).toBe(0);
  });

  it('maxConnections 0 lifts the limit: 60 streams all get hello!', async () => {
    const emu = await boot(0);
    await openStreams(emu.httpPort, 60, { track: clients });
    expect(emu.board.sketch!.server.activeConnections).toBe(60);
    expect(emu.board.sketch!.events.count()).toBe(60);
  });
});

describe('receive timeout (§6.3)', () => {
  it('a connection that sends nothing is closed (FIN) after setRxTimeout(3), and frees its slot', async () => {
    const emu = await boot(1);
    const idle = await RawClient.connect(emu.httpPort);
    clients.push(idle);
    expect(await idle.waitClose()).toBe('fin');
    expect(idle.text).toBe('');
    await until('slot free', () => emu.board.sketch!.server.activeConnections === 0);
  });
});

describe('resetting connections when the board goes away', () => {
  it('a socket already shutting down (FIN sent) is closed, not left open spinning the event loop', async () => {
    // uv_tcp_close_reset refuses a handle whose shutdown is in progress (EINVAL); the plain
    // resetAndDestroy() then never closes it. The board reset hits this when a client closed first.
    let peer: Socket | undefined;
    const closed = await new Promise<boolean>((resolve, reject) => {
      const server = createServer((s: Socket) => {
        s.on('error', () => undefined);
        s.on('close', () => {
          server.close();
          resolve(true);
        });
        s.end();
        resetSocket(s);
      });
      server.listen(0, '127.0.0.1', () => {
        peer = connect((server.address() as { port: number }).port, '127.0.0.1');
        peer.on('error', () => undefined);
      });
      setTimeout(() => reject(new Error('server socket never closed')), waitTimeoutMs).unref();
    });
    peer?.destroy();
    expect(closed).toBe(true);
  });

  it('the board powers off while 1.2.4 connections are half-closed by their clients', async () => {
    const emu = await startTestEmulator({ profile: 'me-no-dev-1.2.4' });
    running.push(emu);
    const conns = await Promise.all(Array.from({ length: 10 }, () => RawClient.connect(emu.httpPort)));
    for (const c of conns) c.write('GET /nope HTTP/1.1\r\n\r\n');
    await Promise.all(conns.map((c) => c.response()));
    for (const c of conns) c.socket.end();
    await emu.close(); // resolves only when every connection is gone
    expect(emu.board.state).toBe('off');
  });
});
