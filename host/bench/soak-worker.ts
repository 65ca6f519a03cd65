/**
 * Soak helper, run by `soak.ts` as its own process (so its buffers are not the bench's): one
 * kind of HTTP abuse against the emulator for SECONDS, then one JSON line of what it did.
 *
 * - `request-line`: request lines that never end (`GET /` then 64 KiB chunks of `a`, up to
 *   64 MiB), one after another, each until the server closes.
 * - `headers`: endless runs of tiny headers (`a:b\r\n` ×4096 per chunk), likewise.
 * - `silent`: PEERS connections that never send nor close, held for the whole time.
 *
 *   node --import tsx host/bench/soak-worker.ts request-line|headers|silent PORT SECONDS [PEERS]
 */
import { flood, SilentPeer } from '../test/abuse-peers.js';

const [kind, portArg, secondsArg, peersArg] = process.argv.slice(2);
const port = Number(portArg);
const MiB = 1024 * 1024;
const floods: Record<string, [string, Buffer]> = {
  'request-line': ['GET /', Buffer.alloc(64 * 1024, 0x61)],
  headers: ['GET / HTTP/1.1\r\n', Buffer.from('a:b\r\n'.repeat(4096))],
};

const report: Record<string, number> = {};
setTimeout(() => {
  process.stdout.write(`${JSON.stringify(report)}\n`);
  process.exit(0);
}, Number(secondsArg) * 1000);

if (kind === 'silent') {
  const peers = await Promise.all(Array.from({ length: Number(peersArg ?? 16) }, () => SilentPeer.open(port)));
  report.peers = peers.length;
  setInterval(() => (report.fin = peers.filter((p) => p.finAt !== undefined).length), 100);
} else if (kind !== undefined && floods[kind]) {
  const [head, chunk] = floods[kind];
  Object.assign(report, { connections: 0, reset: 0, sentMiB: 0 });
  for (;;) {
    const r = await flood(port, head, chunk, 64 * MiB);
    report.connections!++;
    if (r.close === 'reset') report.reset!++;
    report.sentMiB! += r.sent / MiB;
  }
} else {
  process.stderr.write(`soak-worker: unknown kind ${kind}\n`);
  process.exit(2);
}
