/**
 * A compiled sketch whose sends come faster than the board handles them for a moment (a host
 * stall, or a sketch that sends a burst of events back to back) loses nothing: up to 32
 * broadcasts of one event wait and are all delivered, as a board queues 32 messages per client
 * (wire doc §4); only a longer backlog drops the stale ones (AppProcess's own tests).
 */
import { connect, type Socket } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../src/emulator/index.js';
import { SseParser } from '../src/protocol/sse-parser.js';
import { atFileScope, beforeBegin, makeSketchProject } from './sketch-project.js';

const running: RunningEmulator[] = [];
const sockets: Socket[] = [];
const removals: Array<() => void> = [];
afterAll(async () => {
  for (const s of sockets) s.destroy();
  for (const emu of running) await emu.close();
  for (const remove of removals) remove();
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

    const ids: string[] = [];
    const parser = new SseParser();
    const socket = connect({ port: emu.httpPort, host: '127.0.0.1' }, () => socket.write('GET /burst HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n'));
    sockets.push(socket);
    let head = true;
    let pending = '';
    socket.on('data', (chunk: Buffer) => {
      pending += chunk.toString('latin1');
      if (head) {
        const end = pending.indexOf('\r\n\r\n');
        if (end < 0) return;
        pending = pending.slice(end + 4);
        head = false;
      }
      for (const e of parser.push(pending)) if (e.event === 'reading') ids.push(e.id ?? '');
      pending = '';
    });
    const expected = [1, 2, 3].flatMap((round) => Array.from({ length: 32 }, (_, i) => String(round * 100 + i + 1)));
    await expect.poll(() => ids.length, { timeout: 30_000 }).toBe(expected.length);
    expect(ids).toEqual(expected);
  }, 60_000);
});
