/**
 * A compiled sketch that sends faster than the board handles its sends.
 *
 * A client joining while the board has fallen behind its broadcasts: what the sketch's
 * onConnect sends is taken ahead of the broadcasts waiting, yet the client joins the list only
 * where that onConnect's `done` stands (docs/sketch-link.md). A task floods one event source
 * with a counter as fast as the link takes it (the board falls behind with two clients
 * reading), and onConnect sends the counter as it was when onConnect ran: every broadcast the
 * new client then gets was sent after its onConnect read that value, none before.
 *
 * A burst (or a short stall of the host) loses nothing: up to 32 broadcasts of one event wait
 * and are all delivered, as a board queues 32 messages per client (wire doc §4); only a longer
 * backlog drops the stale ones (AppProcess's own tests).
 */
import { connect, type Socket } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { SseParser } from '../src/protocol/sse-parser.js';
import { startEmulator, type RunningEmulator } from '../src/emulator/index.js';
import { atFileScope, beforeBegin, makeSketchProject } from './sketch-project.js';

const running: RunningEmulator[] = [];
const sockets: Socket[] = [];
const removals: Array<() => void> = [];
afterAll(async () => {
  for (const s of sockets) s.destroy();
  for (const emu of running) await emu.close();
  for (const remove of removals) remove();
});

/** Opens `path` as an event stream and calls `onText` with everything read so far. */
function openStream(port: number, path: string, onText: (all: string) => void): Socket {
  const socket = connect({ port, host: '127.0.0.1' }, () => socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n`));
  let all = '';
  socket.on('data', (chunk: Buffer) => {
    all += chunk.toString('latin1');
    onText(all);
  });
  socket.on('error', () => undefined);
  sockets.push(socket);
  return socket;
}

describe('a client joining a sketch that has fallen behind', () => {
  it('gets its onConnect event first, then only broadcasts sent after its onConnect', async () => {
    const project = makeSketchProject({
      edits: [
        atFileScope(
          [
            '#include <atomic>',
            'static AsyncEventSource flood("/flood");',
            'static std::atomic<unsigned> ticks{0};',
            'static void floodTask(void *) {',
            '  for (;;) {',
            '    const unsigned n = ++ticks;',
            '    flood.send(String(n).c_str(), ("tick" + String(n)).c_str(), n);',
            '  }',
            '}',
          ].join('\n'),
        ),
        beforeBegin(
          [
            '  flood.onConnect([](AsyncEventSourceClient *client) { client->send(String(ticks.load()).c_str(), "joined", 1); });',
            '  server.addHandler(&flood);',
            '  xTaskCreate(floodTask, "flood", 4096, nullptr, 1, nullptr);',
          ].join('\n'),
        ),
      ],
    });
    removals.push(() => project.remove());
    const emu = await startEmulator({ app: 'sketch', project: project.dir, httpPort: 0, mdns: false });
    running.push(emu);

    // Two readers: each broadcast is then costly enough for the board to let frames wait.
    let readers = 0;
    for (let i = 0; i < 2; i++) {
      let counted = false;
      openStream(emu.httpPort, '/flood', (all) => {
        if (!counted && /event: tick\d/.test(all)) {
          counted = true;
          readers++;
        }
      });
    }
    await expect.poll(() => readers, { timeout: 30_000 }).toBe(2);

    // Five clients join one after the other (each join is one chance for a waiting broadcast
    // sent before its onConnect to slip through).
    for (let join = 0; join < 5; join++) {
      let text = '';
      const socket = openStream(emu.httpPort, '/flood', (all) => (text = all));
      await expect.poll(() => (text.match(/event: tick\d/g) ?? []).length, { timeout: 30_000 }).toBeGreaterThanOrEqual(20);
      socket.destroy();
      const events = new SseParser().push(text.slice(text.indexOf('\r\n\r\n') + 4));
      expect(events[0]?.event).toBe('joined');
      const joinedAt = Number(events[0]?.data);
      const ticks = events.slice(1).map((e) => {
        expect(e.event).toBe(`tick${e.data}`);
        return Number(e.data);
      });
      expect(Math.min(...ticks)).toBeGreaterThanOrEqual(joinedAt);
      expect(ticks).toEqual([...ticks].sort((a, b) => a - b));
    }
    await emu.close(); // its flood would only slow the next case down
  }, 180_000);
});

describe('a sketch that sends 32 events of one name back to back', () => {
  it('delivers all 32, in order, to a reading client', async () => {
    const project = makeSketchProject({
      edits: [
        atFileScope([
          'static AsyncEventSource burst("/burst");',
          'static void burstTask(void *) {',
          '  while (burst.count() == 0) delay(5);',
          '  for (int round = 1; round <= 3; round++) {',
          '    for (int i = 1; i <= 32; i++) burst.send(String(round * 100 + i).c_str(), "reading", round * 100 + i);',
          '    delay(200);',
          '  }',
          '  vTaskDelete(nullptr);',
          '}',
        ].join('\n')),
        beforeBegin([
          '  server.addHandler(&burst);',
          '  xTaskCreate(burstTask, "burst", 4096, nullptr, 1, nullptr);',
        ].join('\n')),
      ],
    });
    removals.push(() => project.remove());
    const emu = await startEmulator({ app: 'sketch', project: project.dir, httpPort: 0, mdns: false });
    running.push(emu);

    let text = '';
    openStream(emu.httpPort, '/burst', (all) => (text = all));
    const ids = () => new SseParser().push(text.slice(text.indexOf('\r\n\r\n') + 4)).filter((e) => e.event === 'reading').map((e) => e.id);
    const expected = [1, 2, 3].flatMap((round) => Array.from({ length: 32 }, (_, i) => String(round * 100 + i + 1)));
    await expect.poll(() => ids().length, { timeout: 30_000 }).toBe(expected.length);
    expect(ids()).toEqual(expected);
  }, 60_000);
});
