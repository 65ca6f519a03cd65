/**
 * Bench helper: the fan-out bench's baseline servers, the same event stream as the emulator's
 * on the board's schedule with nothing else: "raw net" (the plainest Node server) and "raw c"
 * (the plainest C server, fanout-floor-server.cpp: this machine's floor).
 */
import { spawn } from 'node:child_process';
import { createServer, type Socket } from 'node:net';
import { loopPeriodMs } from '../src/emulator/app/loop-scheduler.js';
import { lines } from './lib-native.js';

export interface Server {
  httpPort: number;
  close(): Promise<void>;
}

/**
 * Baseline "raw net": the least a Node server can do for the same stream: accept, answer the
 * head and hello!, and write one 60-byte event to every socket on the same 20 ms schedule.
 * No HTTP parsing beyond the blank line, no queue model. Shows what is the platform's cost and
 * what is the emulator's.
 */
export async function startRawServer(): Promise<Server> {
  const sockets = new Set<Socket>();
  const head = 'HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\nCache-Control: no-cache\r\nConnection: keep-alive\r\nAccept-Ranges: none\r\nContent-Type: text/event-stream\r\n\r\n';
  const server = createServer({ noDelay: true }, (s) => {
    s.on('error', () => undefined);
    let req = '';
    const onData = (d: Buffer) => {
      req += d.toString('latin1');
      if (!req.includes('\r\n\r\n')) return;
      s.off('data', onData);
      s.write(`${head}retry: 10000\nid: 1\ndata: hello!\n\n`);
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    };
    s.on('data', onData);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const t0 = performance.now();
  let n = 0;
  let timer: NodeJS.Timeout;
  // One event per turn of the event loop, and a backlog of more than 10 dropped, as the model's
  // LoopScheduler does: a host slower than the period (2,000 sockets on a busy machine) would
  // otherwise catch up forever and never read a socket again.
  const tick = () => {
    const due = Math.floor((performance.now() - t0) / loopPeriodMs);
    if (due - n > 10) n = due;
    if (due >= n) {
      const ms = Math.floor(n * loopPeriodMs) + 1;
      const ev = Buffer.from(`id: ${ms}\nevent: time_reading\ndata: {"time":"${ms}"}\n\n`);
      for (const s of sockets) s.write(ev);
      n++;
    }
    timer = setTimeout(tick, Math.max(1, t0 + n * loopPeriodMs - performance.now()));
  };
  timer = setTimeout(tick, 0);
  return {
    httpPort: (server.address() as { port: number }).port,
    close: () =>
      new Promise((r) => {
        clearTimeout(timer);
        sockets.forEach((s) => s.destroy());
        server.close(() => r());
      }),
  };
}

/**
 * Baseline "raw c": the same stream from one C epoll loop (fanout-floor-server.cpp, built by
 * `buildNative`), what this machine allows any server with the clients on the same cores.
 */
export async function startFloorServer(bin: string): Promise<Server> {
  const child = spawn(bin, [String(loopPeriodMs)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = Number(await lines(child)());
  if (!(port > 0)) throw new Error('fanout-floor-server did not print its port');
  return {
    httpPort: port,
    close: () =>
      new Promise((r) => {
        child.once('close', () => r());
        child.kill();
      }),
  };
}
