/**
 * An event stream's head and what onConnect sends leave in one write, as they often share a TCP
 * segment on the board (3.12.0 writes the head and runs onConnect at once: docs/http-wire.md
 * §1.3), so a client is woken once, not twice. A client's first read holds both, with the
 * TypeScript model and with the compiled sketch (whose onConnect runs in the app's process).
 * An onConnect that takes long does not hold the head back: it leaves alone, after a few ms.
 */
import { connect } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../src/emulator/index.js';
import { atFileScope, beforeBegin, makeSketchProject } from './sketch-project.js';

const running: RunningEmulator[] = [];
const removals: Array<() => void> = [];
afterAll(async () => {
  for (const emu of running) await emu.close();
  for (const remove of removals) remove();
});

/** Opens `path` as an event stream; the first chunk read, and everything read once `until` shows. */
function openStream(port: number, path: string, until: string): Promise<{ first: string; all: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1' }, () => socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n`));
    let first: string | undefined;
    let all = '';
    socket.on('data', (chunk: Buffer) => {
      first ??= chunk.toString('latin1');
      all += chunk.toString('latin1');
      if (all.includes(until)) {
        socket.destroy();
        resolve({ first, all });
      }
    });
    socket.on('error', reject);
  });
}

const headEnd = 'Content-Type: text/event-stream\r\n\r\n';

describe('the head of an event stream and hello! in one write', () => {
  it.each(['model', 'sketch'] as const)('%s: the first read holds the whole head and hello!', async (app) => {
    const emu = await startEmulator({ app, httpPort: 0, mdns: false });
    running.push(emu);
    const { first } = await openStream(emu.httpPort, '/sse', 'data: hello!\n\n');
    expect(first).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(first).toContain(`${headEnd}retry: 10000\nid: `);
    expect(first).toMatch(/data: hello!\n\n$/);
  }, 120_000);

  it('an onConnect that delays: the head leaves first, alone, and its event after the delay', async () => {
    const project = makeSketchProject({
      edits: [
        atFileScope('AsyncEventSource slow("/slow");'),
        beforeBegin('  slow.onConnect([](AsyncEventSourceClient *client) { delay(200); client->send("late", NULL, millis(), 1000); });\n  server.addHandler(&slow);'),
      ],
    });
    removals.push(() => project.remove());
    const emu = await startEmulator({ app: 'sketch', project: project.dir, httpPort: 0, mdns: false });
    running.push(emu);
    const { first, all } = await openStream(emu.httpPort, '/slow', 'data: late\n\n');
    expect(first.endsWith(headEnd)).toBe(true);
    expect(all.slice(first.length)).toMatch(/^retry: 1000\nid: \d+\ndata: late\n\n$/);
  }, 180_000);
});
