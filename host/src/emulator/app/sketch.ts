/**
 * The TypeScript mirror of `firmware/src/main.cpp`: same Serial lines, same handlers in the
 * same order, same 50 Hz loop. Every path, name and line comes from `contract/board.ts`.
 */
import {
  events as eventNames,
  hello,
  indexFile,
  reconnectLine,
  resetReply,
  routes,
  serial as serialContract,
  type TimeReading,
} from '../../contract/board.js';
import type { PartitionEntry } from '../../formats/partition-types.js';
import type { WireProfile } from '../../protocol/http-profiles.js';
import type { MillisClock } from '../clock.js';
import type { Flash } from '../flash.js';
import { EventSourceModel } from '../http/event-source.js';
import { SseWriterPool, type SseWriterProgram } from '../http/sse-writer-pool.js';
import { sendFile, StaticHandler } from '../http/file-handlers.js';
import { WebServerModel, type HttpServerTuning } from '../http/web-server.js';
import type { SerialOut } from '../serial-out.js';
import { loopBehindMessage } from './drop-report.js';
import type { FileSource } from './file-source.js';
import { LoopScheduler, type LoopTimer } from './loop-scheduler.js';

export interface SketchOptions {
  readonly profile: WireProfile;
  readonly serial: SerialOut;
  readonly clock: MillisClock;
  /** The mounted filesystem; `undefined` = SPIFFS failed to mount. */
  readonly files: FileSource | undefined;
  /** Why SPIFFS did not mount: the ESP-IDF line (after `E (ms) `) `SPIFFS.begin()` prints. */
  readonly spiffsLog?: string;
  /** The board's flash and the partition table the bootloader read (what `LittleFS.begin()` mounts from). */
  readonly flash?: Flash;
  readonly partitions?: readonly PartitionEntry[];
  readonly host: string;
  readonly port: number;
  readonly maxConnections: number;
  /** The address `WiFi.localIP()` prints. */
  readonly localIp: string;
  /** Loop timer (tests inject a fake); `false` = do not run the loop on its own (tests call `loopOnce`). */
  readonly loopTimer?: LoopTimer | false;
  /** Starts mDNS; resolves with the host name it answers for (the sketch prints it), or undefined. Absent = no mDNS. */
  readonly startMdns?: () => Promise<string | undefined>;
  /** SSE writer processes that take over established event-stream sockets (load tests); 0/absent = none. */
  readonly sseWriters?: number;
  /** Which program the writers run (default the Node writer; see `prepareSseWriter`). */
  readonly sseWriterProgram?: SseWriterProgram;
  /** Host-side diagnostics a board cannot print (a writer process that died, a peer over a limit). */
  readonly warn?: (code: string, message: string, hint?: string) => void;
  /** The web server's limits and timers; default the board's. */
  readonly http?: HttpServerTuning;
}

/** A running sketch. */
export interface RunningSketch {
  readonly server: WebServerModel;
  readonly events: EventSourceModel;
  readonly port: number;
  /** One pass of `loop()` (what the scheduler calls every 20 ms). */
  loopOnce(): void;
  /** Stops the loop and the server (all connections reset), as power loss does. */
  stop(): Promise<void>;
  /** Bytes typed into UART0; the model's sketch reads none. */
  serialIn?(bytes: Uint8Array): void;
}

/** `JSON.stringify(readings)` with `readings["time"] = String(millis())`: `{"time":"123"}`. */
export function readingJson(millis: number): string {
  const reading: TimeReading = { time: String(millis) };
  return JSON.stringify(reading);
}

/**
 * `millis()` for one pass of `loop()`. The board's loop never sends twice in the same
 * millisecond (passes are 20 ms apart), but a host that fell behind runs the missed passes back
 * to back: those get the next millisecond instead of repeating an id, so reading ids stay
 * strictly increasing (mod 2^32) and the count of events per board second stays right.
 * `hello!` and `/reset` keep plain `millis()`: they run on the async_tcp task on a board and can
 * share a millisecond with a reading (wire doc §12, me-no-dev #765).
 */
export function sendClock(clock: MillisClock): () => number {
  let last: number | undefined;
  return () => {
    let m = clock.millis();
    if (last !== undefined) {
      const ahead = (m - last + 0x1_0000_0000) % 0x1_0000_0000;
      if (ahead === 0 || ahead >= 0x8000_0000) m = (last + 1) % 0x1_0000_0000;
    }
    last = m;
    return m;
  };
}

/** Runs `setup()` and starts `loop()`. Rejects if the HTTP port cannot be bound. */
export async function runSketch(o: SketchOptions): Promise<RunningSketch> {
  const { serial, clock } = o;
  const loopMillis = sendClock(clock);
  const lines = serialContract.lines;
  // initSpiffs(): SPIFFS.begin() prints ESP-IDF's line when the mount fails, then the sketch its own.
  if (!o.files && o.spiffsLog !== undefined) serial.print(`E (${clock.millis()}) ${o.spiffsLog}\r\n`);
  serial.println(o.files ? lines.spiffsMounted : lines.spiffsError);
  // initWifi(): the emulated station is connected at once.
  serial.print(lines.wifiConnecting);
  serial.println(o.localIp);
  // initMdns()
  const mdnsName = o.startMdns ? await o.startMdns() : undefined;
  if (mdnsName !== undefined) serial.print(`${lines.mdnsStarted.replace('%s', mdnsName)}\n`);
  // initServer()
  const server = new WebServerModel({ profile: o.profile, host: o.host, port: o.port, maxConnections: o.maxConnections, tuning: o.http, warn: o.warn });
  const writers = o.sseWriters ? await SseWriterPool.start(o.sseWriters, (m) => o.warn?.('emulate.sse-writer-exit', m), o.sseWriterProgram) : undefined;
  const events = new EventSourceModel(routes.sse, o.profile, { print: (t) => serial.print(t) }, writers);
  const files = o.files ?? { read: () => undefined };
  server.defaultHeaders.push(['Access-Control-Allow-Origin', '*']);
  server.on(routes.root, (req) => sendFile(req, files, indexFile, 'text/html'));
  server.addHandler(new StaticHandler('/', files, '/'));
  events.onConnect((client) => {
    if (client.lastId) serial.print(`${reconnectLine(client.lastId)}\n`);
    client.send(hello.data, null, clock.millis(), hello.retryMs);
  });
  server.addHandler(events);
  server.on(routes.reset, (req) => {
    const m = clock.millis();
    events.send(readingJson(m), eventNames.reset, m);
    req.send(resetReply.status, resetReply.contentType, resetReply.body);
  });
  const port = await server.begin().catch(async (e: unknown) => {
    await events.stop();
    throw e;
  });
  serial.println(lines.httpStarted);

  const loopOnce = (): void => {
    const m = loopMillis();
    events.send(readingJson(m), eventNames.reading, m);
  };
  // A board never falls behind its own loop; a host serving many clients can. Say so, with the remedy.
  const onBehind = (dropped: number): void => {
    const n = events.count();
    o.warn?.('emulate.loop-behind', loopBehindMessage(`the board's 50 Hz loop and dropped ${dropped} readings`, n, o.sseWriters));
  };
  const scheduler = o.loopTimer === false ? undefined : new LoopScheduler({ tick: loopOnce, timer: o.loopTimer, onBehind });
  scheduler?.start();
  return {
    server,
    events,
    port,
    loopOnce,
    async stop() {
      scheduler?.stop();
      await events.stop();
      await server.end();
    },
  };
}
