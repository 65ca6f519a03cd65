/**
 * The app as the user's own firmware: the sketch built for the host (`native/build.ts`) runs
 * as the board's app process (`native/app-process.ts`) and tells the board, over the sketch
 * link, what it registers and answers; the board's models (`WebServerModel`,
 * `EventSourceModel`, the file responses, the wire profile) produce every byte. The sketch's
 * web callbacks run on its one async_tcp thread; a callback that does not return within the
 * task watchdog's 5 s prints the board's watchdog text and reboots the board, and a crash
 * prints the board's panic text and reboots it (docs/sketch-link.md).
 */
import { CallOp, frame, latin1, linkAbi, responseVolumeShift, RouteOp, T, text, Volume, type Frame } from '../../protocol/sketch-link.js';
import { sseMaxQueuedMessages } from '../../protocol/http-profiles.js';
import type { AppLifecycle } from '../board.js';
import type { SketchMdns } from '../mdns/board-mdns.js';
import { EventSourceModel, type SseClient } from '../http/event-source.js';
import { StaticHandler } from '../http/file-handlers.js';
import type { EmuRequest } from '../http/request.js';
import { SseWriterPool } from '../http/sse-writer-pool.js';
import { WebServerModel } from '../http/web-server.js';
import { AppProcess, type AppExit } from '../native/app-process.js';
import { AsyncTcpQueue } from './native-dispatch.js';
import { answerFileCall } from './native-files.js';
import { NativeCallbackHandler, requestFrame } from './native-requests.js';
import { respond, type TemplateValues } from './native-responses.js';
import { panicText, taskWatchdogText } from './panic-text.js';
import { SketchMdnsCalls } from './sketch-mdns-calls.js';
import { SketchVolumes } from './sketch-volumes.js';
import type { RunningSketch, SketchOptions } from './sketch.js';
import { DropReport, loopBehindMessage } from './drop-report.js';
import { JoiningClients } from './joining-clients.js';

/** `esp_reset_reason_t` values (ESP-IDF 4.4) of each reason. */
const resetReasonCodes = { poweron: 1, software: 3, panic: 4, watchdog: 6 } as const;

/** `route` frame flag (`d`) of `server.on`: the handler has an onRequest callback. */
const routeHasRequestHandler = 4;

/** How long `setup()` may run before the board stops waiting for `server.begin()`. */
export const setupWaitMs = 15_000;

/** The message and event name of an `sseSend` frame, null where the sketch passed NULL. */
function sseText(f: Frame): { message: string | null; event: string | null } {
  const flags = text(f.s3);
  return { message: flags.includes('m') ? text(f.s1) : null, event: flags.includes('e') ? text(f.s2) : null };
}

/** What the board gives a compiled sketch: the model's options, the executable and the app's life cycle. */
export interface NativeSketchOptions extends Omit<SketchOptions, 'loopTimer' | 'startMdns'>, AppLifecycle {
  readonly executable: string;
  /** Station MAC, `aa:bb:cc:dd:ee:ff`. */
  readonly mac: string;
  /** Starts (or restarts with new TXT items) the board's mDNS responder; absent = not advertised. */
  readonly startMdns?: (sketch: SketchMdns) => Promise<string | undefined>;
}

/** A running compiled sketch: the model's interface plus what only a real app has. */
export interface NativeRunningSketch extends RunningSketch {
  /** Bytes typed into UART0. */
  serialIn(bytes: Uint8Array): void;
  /** The app's process id (tests). */
  readonly pid: number | undefined;
}

/** Starts the app and resolves once it has started its web server (or ended, or stopped waiting). */
export async function runNativeSketch(o: NativeSketchOptions): Promise<NativeRunningSketch> {
  const warn = o.warn ?? (() => {});
  const volumes = new SketchVolumes({
    spiffs: o.files,
    ...(o.spiffsLog !== undefined ? { spiffsLog: o.spiffsLog } : {}),
    ...(o.flash && o.partitions ? { flash: o.flash, partitions: o.partitions } : {}),
    print: (t) => o.serial.print(t),
    millis: () => o.clock.millis(),
    onCorrupt: (m) => warn('emulate.spiffs-corrupt', m),
  });
  const server = new WebServerModel({ profile: o.profile, host: o.host, port: o.port, maxConnections: o.maxConnections, tuning: o.http, warn });
  const writers = o.sseWriters ? await SseWriterPool.start(o.sseWriters, (m) => warn('emulate.sse-writer-exit', m), o.sseWriterProgram) : undefined;
  const sources = new Map<number, EventSourceModel>();
  const statics = new Map<number, StaticHandler>();
  const clients = new Map<number, SseClient>();
  const requests = new Map<number, EmuRequest>();
  const templates = new Map<number, (values: string[]) => void>();
  const joining = new JoiningClients();
  let stopping = false;
  let crashed = false;
  let begun: ((port: number | undefined) => void) | undefined;
  const started = new Promise<number | undefined>((resolve) => (begun = resolve));
  const warned = new Set<string>();

  // --- the async_tcp task: every web callback, one at a time (the app times its watchdog) ---
  const asyncTcp = new AsyncTcpQueue((f) => app.send(f));

  const templateValues: TemplateValues = (requestId, names) =>
    new Promise<string[]>((resolve) => {
      const id = asyncTcp.dispatch(T.template, { a: requestId, l1: names });
      templates.set(id, resolve);
    });

  const reply = (id: number, f: Parameters<typeof frame>[2] = {}): void => app.send(frame(T.reply, id, f));
  const warnOnce = (code: string, message: string, hint?: string): void => {
    if (warned.has(code)) return;
    warned.add(code);
    warn(code, message, hint);
  };
  const mdns = new SketchMdnsCalls(o.startMdns, warnOnce);

  const onCall = async (f: Frame): Promise<void> => {
    const fileReply = answerFileCall(f, volumes);
    if (fileReply) return reply(f.id, fileReply);
    switch (f.a) {
      case CallOp.serverBegin: {
        if (server.port) return reply(f.id, { a: 1 });
        try {
          const port = await server.begin();
          reply(f.id, { a: 1 });
          begun?.(port);
        } catch (e) {
          reply(f.id, { a: 0, s1: (e as Error).message });
          begun?.(undefined);
          startError = e;
        }
        return;
      }
      case CallOp.mdnsBegin:
        mdns.begin(text(f.s1));
        return reply(f.id, { a: 1 });
      case CallOp.sseCount:
        return reply(f.id, { a: sources.get(f.b)?.count() ?? 0 });
      case CallOp.fsWrite:
        warnOnce('emulate.fs-write', `the sketch wrote to ${text(f.s1) || (f.c === Volume.littlefs ? 'LittleFS' : 'SPIFFS')}; writes to the emulated filesystem are not supported yet, so the call failed`,
          'the board would keep the file; in the emulator, put the file in the data folder instead');
        return reply(f.id, { a: 0 });
      default:
        warnOnce('emulate.sketch-link', `the sketch made call ${f.a}, which this emulator does not know`);
        return reply(f.id, { a: 0 });
    }
  };

  const onRoute = (f: Frame): void => {
    const uri = latin1(f.s1);
    switch (f.a) {
      case RouteOp.on:
        server.addHandler(new NativeCallbackHandler(f.b, f.c, uri, o.profile, (req) => onRequest(f.b, req), (f.d & routeHasRequestHandler) !== 0));
        return;
      case RouteOp.serveStatic: {
        const handler = new StaticHandler(uri, volumes.view(f.c), latin1(f.s2), f.s3.length ? { cacheControl: latin1(f.s3) } : {});
        statics.set(f.b, handler);
        server.addHandler(handler);
        return;
      }
      case RouteOp.defaultFile:
        statics.get(f.b)?.setDefaultFile(latin1(f.s2));
        return;
      case RouteOp.cacheControl:
        statics.get(f.b)?.setCacheControl(latin1(f.s2));
        return;
      case RouteOp.events:
        server.addHandler(eventSource(f.b, uri));
        return;
      case RouteOp.notFound:
        server.onNotFound((req) => onRequest(f.b, req));
        return;
      case RouteOp.defaultHeader:
        server.defaultHeaders.push([latin1(f.s1), latin1(f.s2)]);
        return;
      default:
        warnOnce('emulate.sketch-link', `the sketch registered a handler of kind ${f.a}, which this emulator does not know`);
    }
  };

  const eventSource = (sourceId: number, url: string): EventSourceModel => {
    const source = new EventSourceModel(url, o.profile, { print: (t) => o.serial.print(t) }, writers);
    sources.set(sourceId, source);
    source.onConnect((client) => {
      const clientId = asyncTcp.newId();
      clients.set(clientId, client);
      client.socket.once('close', () => {
        clients.delete(clientId);
        joining.gone(clientId);
        if (!stopping) asyncTcp.dispatch(T.sseDisconnect, { a: sourceId, b: clientId });
      });
      // The fork adds the client after onConnect returned: on this dispatch's `done`, synchronously.
      const dispatchId = asyncTcp.dispatch(T.sseConnect, { a: sourceId, b: clientId, c: client.lastId }, () => source.admit(client));
      joining.started(clientId, dispatchId);
      return 'later';
    });
    return source;
  };

  const onRequest = (handlerId: number, req: EmuRequest): void => {
    const id = asyncTcp.dispatch(T.request, (id) => {
      requests.set(id, req);
      return requestFrame(id, handlerId, req);
    });
    req.socket.once('close', () => requests.delete(id));
  };

  const onFrame = (f: Frame): void | 'yield' => {
    switch (f.type) {
      case T.hello:
        if (f.a !== linkAbi) {
          warn('emulate.sketch-link', `the sketch was built against runtime link version ${f.a}, this emulator speaks ${linkAbi}`, 'rebuild: delete the .pio/esp-sse-emulator folder');
          void app.kill();
        }
        return;
      case T.serialTx:
        o.serial.print(f.s1);
        return;
      case T.call:
        void onCall(f);
        return;
      case T.route:
        onRoute(f);
        return;
      case T.response: {
        const req = requests.get(f.b);
        if (!req) return;
        requests.delete(f.b);
        void respond(req, f, volumes.view((f.d >>> responseVolumeShift) & 0xff), templateValues).catch((e: unknown) => warn('emulate.sketch-response', (e as Error).message));
        return;
      }
      case T.sseSend: {
        if (f.b !== 0) return sendToClient(f);
        const { message, event } = sseText(f);
        const source = sources.get(f.a);
        source?.send(message, event, f.c, f.d);
        // A broadcast to many clients is the board's real work: let sockets be served first.
        return source && source.count() > 1 ? 'yield' : undefined;
      }
      case T.sseClose:
        if (f.b === 0) sources.get(f.a)?.close();
        else clients.get(f.b)?.socket.end();
        return;
      case T.done:
        asyncTcp.finished(f.id);
        return;
      case T.appReply: {
        const resolve = templates.get(f.id);
        templates.delete(f.id);
        asyncTcp.finished(f.id);
        resolve?.(f.l1.map(text));
        return;
      }
      case T.mdns:
        mdns.service(f);
        return;
      case T.restart:
        if (stopping || crashed) return;
        crashed = true;
        void app.kill();
        o.restart('software');
        return;
      case T.panic:
        onPanic(f);
        return;
      case T.warn:
        warnOnce(text(f.s1), text(f.s2), f.s3.length ? text(f.s3) : undefined);
        return;
      default:
        warnOnce('emulate.sketch-link', `the sketch sent frame type ${f.type}, which this emulator does not know`);
    }
  };

  /** `client->send(...)`: an sseSend frame for one client. */
  const sendToClient = (f: Frame): void => {
    const { message, event } = sseText(f);
    clients.get(f.b)?.send(message, event, f.c, f.d);
  };

  /**
   * Frames taken as soon as they are read, ahead of those waiting (AppProcess `early`): what
   * onConnect sends its client, and the end of that onConnect, which releases the client's head
   * and `hello!`. No broadcast reaches such a client yet, so no order with the waiting frames can
   * change; the client still joins the list in order, where its `done` comes among them.
   */
  const early = (f: Frame): boolean => {
    if (f.type === T.sseSend && f.b !== 0 && joining.has(f.b)) {
      sendToClient(f);
      return true;
    }
    if (f.type === T.done) {
      const clientId = joining.finished(f.id);
      if (clientId !== undefined) clients.get(clientId)?.releaseHead();
    }
    return false;
  };

  const onPanic = (f: Frame): void => {
    if (stopping || crashed) return;
    crashed = true;
    const reason = text(f.s1);
    if (reason === 'task_wdt') {
      // The app's task watchdog: a web callback held async_tcp for 5 s.
      o.serial.print(taskWatchdogText(o.clock.millis()));
      warn('emulate.sketch-watchdog', 'a web callback of the sketch ran for more than 5 s without returning; the task watchdog rebooted the board',
        'a handler runs on the async_tcp task: do not delay() or wait in it; set a flag and do the work in loop()');
      o.restart('watchdog');
      return;
    }
    const detail = text(f.s2);
    const backtrace = reason === 'assert' ? [] : detail.split(/\s+/).filter(Boolean).map((h) => Number.parseInt(h, 16) >>> 0);
    const core = text(f.s3) === 'async_tcp' ? 0 : 1;
    o.serial.print(panicText({ reason, faultAddress: f.a, pc: f.b, backtrace, detail, core }));
    o.restart('panic');
  };

  const onExit = (exit: AppExit): void => {
    asyncTcp.stop();
    joining.clear();
    begun?.(undefined);
    if (stopping || crashed) return;
    // The app ended without a panic frame: on a board, leaving the app is an abort.
    crashed = true;
    warn('emulate.sketch-exit', `the sketch's process ended (${exit.signal ?? `exit code ${exit.code}`}) without a panic report; the board reboots as after abort()`);
    o.serial.print(panicText({ reason: 'abort', faultAddress: 0, pc: 0, backtrace: [], core: 1 }));
    o.restart('panic');
  };

  let startError: unknown;
  const bootMonoNs = process.hrtime.bigint() - BigInt(Math.round(o.clock.msSinceBoot() * 1e6));
  // A board never falls behind its own loop; a host serving many clients can: then a broadcast
  // that 32 newer ones of the same source and event wait behind is dropped, and the warning says
  // so, with the remedy, at most every 10 s. A burst the sketch sends itself is not cut short: a
  // board queues up to 32 messages per client (wire doc §4) and delivers them all.
  const supersedeKey = (f: Frame): string | undefined =>
    f.type === T.sseSend && f.b === 0 ? `${f.a}:${text(f.s3).includes('e') ? text(f.s2) : ''}` : undefined;
  const behind = new DropReport((dropped) => {
    let n = 0;
    for (const source of sources.values()) n += source.count();
    warn('emulate.loop-behind', loopBehindMessage(`the sketch's sends and dropped ${dropped} superseded events`, n, o.sseWriters));
  });
  // After a costly broadcast, turns for connections being accepted or read, and for clients
  // whose onConnect is running (AppProcess `moreIo`).
  let activitySeen = 0;
  const moreIo = (): boolean => {
    const activity = server.connectionActivity;
    const moved = activity !== activitySeen;
    activitySeen = activity;
    return moved || joining.size > 0;
  };
  const app = new AppProcess({
    executable: o.executable,
    env: {
      bootMonoNs,
      bootMillis: o.clock.bootMillis,
      mac: o.mac.replace(/:/g, '').toLowerCase(),
      ip: o.localIp,
      resetReason: resetReasonCodes[o.resetReason ?? 'poweron'],
    },
    onFrame,
    early,
    moreIo,
    supersedeKey,
    supersedeAfter: sseMaxQueuedMessages,
    onSuperseded: (count) => behind.add(count),
    onProblem: (m) => warn('emulate.sketch-diagnostic', m),
    onExit,
  });

  const timer = setTimeout(() => {
    warn('emulate.sketch-no-server', `the sketch has not called server.begin() within ${setupWaitMs / 1000} s of booting`, 'the emulator serves HTTP once setup() reaches server.begin()');
    begun?.(undefined);
  }, setupWaitMs);
  const port = await started;
  clearTimeout(timer);
  if (startError) {
    stopping = true;
    mdns.stop();
    await app.kill();
    await writers?.stop();
    throw startError;
  }

  const list = (): EventSourceModel[] => [...sources.values()];
  return {
    server,
    get events(): EventSourceModel {
      const first = list()[0];
      if (!first) throw new Error('the sketch has registered no AsyncEventSource');
      return first;
    },
    port: port ?? (server.port || o.port),
    pid: app.pid,
    loopOnce() {
      throw new Error('a compiled sketch runs its own loop(); loopOnce() is the TypeScript model\'s');
    },
    serialIn(bytes) {
      app.send(frame(T.serialRx, 0, { s1: bytes }));
    },
    async stop() {
      stopping = true;
      asyncTcp.stop();
      mdns.stop();
      await app.kill();
      for (const s of list()) await s.stop();
      await writers?.stop();
      await server.end();
    },
  };
}
