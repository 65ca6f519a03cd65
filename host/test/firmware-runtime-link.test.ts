/**
 * The sketch runtime (firmware/runtime) speaks the sketch link: a small sketch is built with g++
 * against it, started as the board starts its app (the link a socket pair at fd 3, the board's
 * clock and identity in the environment), and driven here frame by frame in the board's place.
 * Also: the shipped firmware builds against the runtime with -Wall -Werror and reaches
 * server.begin().
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallOp, encodeFrame, frame, FrameDecoder, linkAbi, ResponseKind, RouteOp, T, text, type Frame } from '../src/protocol/sketch-link.js';
import { repoRoot, sketchPath } from './firmware-helpers.js';

const runtime = path.join(repoRoot, 'firmware', 'runtime');
/** The flags the emulator's build uses for a sketch and the runtime. */
const flags = ['-std=gnu++17', '-g', '-O1', '-pthread', '-fexceptions', '-DESP32', '-DARDUINO_ARCH_ESP32', '-DARDUINO=10819', '-DESP_SSE_NATIVE', '-DCORE_DEBUG_LEVEL=0', '-I', path.join(runtime, 'include')];

function gxx(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('g++', args, { timeout: 120_000, maxBuffer: 4 * 1024 * 1024 }, (err, _out, stderr) => (err ? reject(new Error(`g++ ${args.join(' ')}\n${stderr}`)) : resolve()));
  });
}

/** Compiles every runtime source into `dir` (two at a time: two shared cores); returns the objects. */
async function buildRuntime(dir: string): Promise<string[]> {
  const sources = (await readdir(path.join(runtime, 'src'))).filter((f) => f.endsWith('.cpp'));
  const objects = sources.map((f) => path.join(dir, f.replace(/\.cpp$/, '.o')));
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < sources.length) {
      const i = next++;
      await gxx([...flags, '-c', path.join(runtime, 'src', sources[i]!), '-o', objects[i]!]);
    }
  };
  await Promise.all([worker(), worker()]);
  return objects;
}

async function buildApp(dir: string, runtimeObjects: string[], source: string, name: string, extra: string[] = []): Promise<string> {
  const object = path.join(dir, `${name}.o`);
  const exe = path.join(dir, name);
  await gxx([...flags, ...extra, '-c', source, '-o', object]);
  await gxx(['-pthread', object, ...runtimeObjects, '-o', exe]);
  return exe;
}

/** The board's side of one app process: frames in order, calls answered, serial output collected. */
class Board {
  readonly frames: Frame[] = [];
  /** The read each frame came in (its index in `frames`): frames written together share one. */
  readonly chunkOf: number[] = [];
  private chunks = 0;
  serial = '';
  private readonly child: ChildProcess;
  private readonly link: Socket;
  private readonly decoder = new FrameDecoder();
  private readonly listeners = new Set<() => void>();
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  problems: string[] = [];

  constructor(exe: string, env: Record<string, string>, answer: (f: Frame) => Parameters<typeof frame>[2] = () => ({ a: 1 })) {
    this.child = spawn(exe, [], { stdio: ['ignore', 'pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    this.link = this.child.stdio[3] as Socket;
    this.link.on('error', () => undefined);
    this.link.on('data', (chunk: Buffer) => {
      const read = this.chunks++;
      for (const f of this.decoder.push(chunk)) {
        if ('problem' in f) {
          this.problems.push(f.problem);
          continue;
        }
        this.frames.push(f);
        this.chunkOf.push(read);
        if (f.type === T.serialTx) this.serial += text(f.s1);
        if (f.type === T.call) this.send(frame(T.reply, f.id, answer(f)));
      }
      for (const l of this.listeners) l();
    });
    this.exited = new Promise((resolve) => this.child.once('close', (code, signal) => resolve({ code, signal })));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  send(f: Frame): void {
    this.sendBytes(encodeFrame(f));
  }

  sendBytes(bytes: Uint8Array): void {
    this.link.write(bytes);
  }

  /** Resolves with the first frame so far or to come that `match` accepts. */
  waitFor(match: (f: Frame) => boolean, what: string, ms = 10_000): Promise<Frame> {
    return this.until(() => this.frames.find(match), what, ms);
  }

  /** Resolves once the app's UART0 output contains `needle`. */
  waitForSerial(needle: string, ms = 10_000): Promise<string> {
    return this.until(() => (this.serial.includes(needle) ? this.serial : undefined), `serial output "${needle}"`, ms);
  }

  private until<R>(probe: () => R | undefined, what: string, ms: number): Promise<R> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const r = probe();
        if (r === undefined) return false;
        clearTimeout(timer);
        this.listeners.delete(onData);
        resolve(r);
        return true;
      };
      const onData = (): void => void check();
      const timer = setTimeout(() => {
        this.listeners.delete(onData);
        reject(new Error(`no ${what} within ${ms} ms; serial so far: ${JSON.stringify(this.serial)}; frame types: ${this.frames.map((f) => f.type).join(',')}`));
      }, ms);
      if (!check()) this.listeners.add(onData);
    });
  }

  /** The board stops reading the link (a board busy with thousands of sockets); `resume` reads again. */
  pause(): void {
    this.link.pause();
  }

  resume(): void {
    this.link.resume();
  }

  /** The board closes the link (as when it goes away). */
  close(): void {
    this.link.end();
  }

  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}

const sketch = `
#include <Arduino.h>
#include <WiFi.h>
#include <ESPAsyncWebServer.h>
#include <assert.h>
#include <stdexcept>

AsyncWebServer server(80);
AsyncEventSource events("/events");
AsyncEventSource slowEvents("/slow-events");
int *volatile nowhere = nullptr;

void setup() {
  Serial.begin(115200);
  Serial.println("hello from setup");
  Serial.printf("millis at setup: %lu\\n", millis());
  server.on("/hello", HTTP_GET, [](AsyncWebServerRequest *request) {
    AsyncWebServerResponse *response = request->beginResponse(200, "text/plain", "hi " + request->arg("name"));
    response->addHeader("X-Test", "1");
    request->send(response);
  });
  server.on("/tpl", HTTP_GET, [](AsyncWebServerRequest *request) {
    request->send(200, "text/html", "<b>%A%</b>", [](const String &var) { return var == "A" ? String("alpha") : String("?"); });
  });
  server.on("/body", HTTP_POST, [](AsyncWebServerRequest *request) {
    String *got = static_cast<String *>(request->_tempObject);
    request->send(200, "application/json", got ? *got : String("none"));
    delete got;
    request->_tempObject = nullptr;
  }, nullptr, [](AsyncWebServerRequest *request, uint8_t *data, size_t len, size_t index, size_t total) {
    request->_tempObject = new String((const char *)data, len);
  });
  server.on("/crash", HTTP_GET, [](AsyncWebServerRequest *request) { *nowhere = 1; });
  server.on("/throw", HTTP_GET, [](AsyncWebServerRequest *request) { throw std::runtime_error("boom"); });
  server.on("/assert", HTTP_GET, [](AsyncWebServerRequest *request) { assert(request->args() == 42); });
  server.on("/slow", HTTP_GET, [](AsyncWebServerRequest *request) {
    delay(1500);
    request->send(200, "text/plain", String(events.count()));
  });
  server.on("/flood", HTTP_GET, [](AsyncWebServerRequest *request) {
    String chunk;
    while (chunk.length() < 60000) chunk += "0123456789abcdef";  // a board String holds at most 65535
    for (int i = 0; i < 200; i++) events.send(chunk.c_str(), "flood", i);
    request->send(200, "text/plain", "flooded");
  });
  events.onConnect([](AsyncEventSourceClient *client) { client->send("hi", "greet", client->lastId() + 1); });
  server.addHandler(&events);
  slowEvents.onConnect([](AsyncEventSourceClient *client) {
    client->send("before", "greet", 1);
    delay(50);
    client->send("after", "greet", 2);
    const uint32_t spinFrom = millis();
    while (millis() - spinFrom < 20) {
    }
  });
  server.addHandler(&slowEvents);
  server.begin();
  Serial.println("begun");
}

void loop() {
  if (Serial.available()) {
    String line = Serial.readStringUntil('\\n');
    Serial.print("echo: ");
    Serial.println(line);
  }
  delay(5);
}
`;

/** millis() at boot: well past 2^31, so a signed or 64-bit mistake shows. */
const bootMillis = 4_294_000_000;

function bootEnv(): Record<string, string> {
  return {
    ESP_SSE_LINK_FD: '3',
    ESP_SSE_BOOT_MONO_NS: String(process.hrtime.bigint()),
    ESP_SSE_BOOT_MILLIS: String(bootMillis),
    ESP_SSE_MAC: '240ac4abcdef',
    ESP_SSE_IP: '10.0.0.7',
  };
}

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

/** A `request` frame as the board builds it (sketch-link.ts lists the fields). */
function request(id: number, handler: number, method: string, url: string, o: { query?: string; body?: string; headers?: string[]; params?: string[] } = {}): Frame {
  return frame(T.request, id, {
    a: handler,
    b: method === 'POST' ? 2 : 1,
    c: 1,
    d: 50_000,
    s1: method,
    s2: url,
    s3: o.query ?? '',
    s4: o.body ?? '',
    l1: [...(o.headers ?? ['Host', '10.0.0.7']), '', ...(o.params ?? []), '', '192.168.1.5'],
  });
}

describe('the sketch runtime over the sketch link', () => {
  let dir = '';
  let objects: string[] = [];
  let exe = '';
  const boards: Board[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'esp-sse-runtime-'));
    objects = await buildRuntime(dir);
    const source = path.join(dir, 'sketch.cpp');
    await writeFile(source, sketch);
    exe = await buildApp(dir, objects, source, 'sketch');
  }, 300_000);

  afterAll(async () => {
    for (const b of boards) b.kill();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const start = (answer?: (f: Frame) => Parameters<typeof frame>[2]): Board => {
    const b = new Board(exe, bootEnv(), answer);
    boards.push(b);
    return b;
  };

  /** Boots the test sketch to server.begin(); returns the handler ids by URI. */
  async function boot(b: Board): Promise<Map<string, number>> {
    await b.waitForSerial('begun\r\n');
    const routes = new Map<string, number>();
    for (const f of b.frames) if (f.type === T.route && (f.a === RouteOp.on || f.a === RouteOp.events)) routes.set(text(f.s1), f.b);
    return routes;
  }

  it('says hello, runs setup() (Serial, routes, server.begin as a call) and serves requests, templates, bodies, event clients and UART input; EOF ends it', async () => {
    const b = start();
    const hello = await b.waitFor((f) => f.type === T.hello, 'hello');
    expect(b.frames[0]).toBe(hello);
    expect(hello.a).toBe(linkAbi);
    expect(hello.b).toBe(b.pid);

    const routes = await boot(b);
    expect(b.serial).toMatch(/^hello from setup\r\nmillis at setup: (\d+)\n/);
    const millisAtSetup = Number(/millis at setup: (\d+)/.exec(b.serial)![1]);
    expect(millisAtSetup).toBeGreaterThanOrEqual(bootMillis);
    expect(millisAtSetup).toBeLessThan(bootMillis + 5000);

    const on = b.frames.filter((f) => f.type === T.route && f.a === RouteOp.on);
    expect(on.map((f) => [text(f.s1), f.c])).toEqual([['/hello', 1], ['/tpl', 1], ['/body', 2], ['/crash', 1], ['/throw', 1], ['/assert', 1], ['/slow', 1], ['/flood', 1]]);
    expect(on.find((f) => text(f.s1) === '/body')!.d & 1).toBe(1); // has a body handler
    const begin = b.frames.find((f) => f.type === T.call && f.a === CallOp.serverBegin)!;
    expect(begin.b).toBe(80);
    // Every registration reaches the board before it is asked to listen.
    expect(b.frames.indexOf(begin)).toBeGreaterThan(b.frames.findIndex((f) => f.type === T.route && f.a === RouteOp.events));

    // A request: its response, then `done` for the dispatch.
    b.send(request(1001, routes.get('/hello')!, 'GET', '/hello', { query: 'name=ann', params: ['name', 'ann', ''] }));
    const done = await b.waitFor((f) => f.type === T.done && f.id === 1001, 'done 1001');
    const response = b.frames.find((f) => f.type === T.response && f.b === 1001)!;
    expect(b.frames.indexOf(response)).toBeLessThan(b.frames.indexOf(done));
    expect({ kind: response.a, status: response.c, flags: response.d, type: text(response.s1), body: text(response.s2), headers: response.l1.map(text) })
      .toEqual({ kind: ResponseKind.basic, status: 200, flags: 0, type: 'text/plain', body: 'hi ann', headers: ['X-Test', '1'] });

    // A template response: its processor answers the board's `template` call with `appReply`.
    b.send(request(1002, routes.get('/tpl')!, 'GET', '/tpl'));
    await b.waitFor((f) => f.type === T.done && f.id === 1002, 'done 1002');
    const tpl = b.frames.find((f) => f.type === T.response && f.b === 1002)!;
    expect([tpl.a, tpl.c, text(tpl.s2), tpl.d & 2]).toEqual([ResponseKind.textTemplate, 200, '<b>%A%</b>', 2]);
    b.send(frame(T.template, 1003, { a: 1002, l1: ['A', 'B'] }));
    const values = await b.waitFor((f) => f.type === T.appReply && f.id === 1003, 'appReply 1003');
    expect(values.l1.map(text)).toEqual(['alpha', '?']);

    // A JSON body goes to the body handler, whole, before onRequest.
    b.send(request(1004, routes.get('/body')!, 'POST', '/body', { body: '{"k":1}', headers: ['Host', '10.0.0.7', 'Content-Type', 'application/json', 'Content-Length', '7'] }));
    await b.waitFor((f) => f.type === T.done && f.id === 1004, 'done 1004');
    expect(text(b.frames.find((f) => f.type === T.response && f.b === 1004)!.s2)).toBe('{"k":1}');

    // An event-stream client: onConnect runs on async_tcp and sends to that client.
    b.send(frame(T.sseConnect, 1005, { a: routes.get('/events')!, b: 7, c: 42 }));
    await b.waitFor((f) => f.type === T.done && f.id === 1005, 'done 1005');
    const sent = b.frames.find((f) => f.type === T.sseSend)!;
    expect([sent.a, sent.b, sent.c, text(sent.s1), text(sent.s2), text(sent.s3)]).toEqual([routes.get('/events'), 7, 43, 'hi', 'greet', 'me']);
    // Its event waited for the done: both in one write, so the board reads them in one wake-up.
    const chunk = (match: (f: Frame) => boolean) => b.chunkOf[b.frames.findIndex(match)];
    expect(chunk((f) => f.type === T.sseSend && f.b === 7)).toBe(chunk((f) => f.type === T.done && f.id === 1005));
    // An onConnect that delays: what it sent before the delay left before it; the rest waited
    // through a 20 ms busy loop (no sleep: nothing sent) and left with the done.
    b.send(frame(T.sseConnect, 1006, { a: routes.get('/slow-events')!, b: 8, c: 0 }));
    await b.waitFor((f) => f.type === T.done && f.id === 1006, 'done 1006');
    const greet = (m: string) => chunk((f) => f.type === T.sseSend && f.b === 8 && text(f.s1) === m);
    const done6 = chunk((f) => f.type === T.done && f.id === 1006);
    expect(greet('before')).toBeLessThan(done6!);
    expect(greet('after')).toBe(done6);

    // Bytes typed into UART0 reach Serial.read() in loop().
    b.send(frame(T.serialRx, 0, { s1: utf8('ping\n') }));
    await b.waitForSerial('echo: ping\r\n');

    expect(b.problems).toEqual([]);
    b.close();
    expect(await b.exited).toEqual({ code: 0, signal: null });
  });

  it('a null-pointer write in a handler is one panic frame (StoreProhibited on async_tcp), then exit 70', async () => {
    const b = start();
    const routes = await boot(b);
    b.send(request(2001, routes.get('/crash')!, 'GET', '/crash'));
    const panic = await b.waitFor((f) => f.type === T.panic, 'panic');
    expect(text(panic.s1)).toBe('StoreProhibited');
    expect(panic.a).toBe(0);
    expect(text(panic.s3)).toBe('async_tcp');
    expect(text(panic.s2)).toMatch(/^0x[0-9a-f]+( 0x[0-9a-f]+)*$/);
    expect(panic.b).not.toBe(0);
    expect(await b.exited).toEqual({ code: 70, signal: null });
  });

  it('while a handler runs, UART input still reaches loop() and the handler\'s own calls are answered', async () => {
    const b = start((f) => ({ a: f.a === CallOp.sseCount ? 3 : 1 }));
    const routes = await boot(b);
    b.send(request(2003, routes.get('/slow')!, 'GET', '/slow'));
    b.send(frame(T.serialRx, 0, { s1: utf8('during\n') }));
    await b.waitForSerial('echo: during\r\n');
    // The echo came from loop() while async_tcp was still inside the handler's delay(1500).
    expect(b.frames.some((f) => f.type === T.response && f.b === 2003)).toBe(false);
    const reply = await b.waitFor((f) => f.type === T.response && f.b === 2003, 'the /slow response');
    expect(text(reply.s2)).toBe('3');
  });

  it('a handler held up by a board that does not read the link for 6 s trips no task watchdog (the wait is the board\'s, not the callback\'s)', async () => {
    const b = start();
    const routes = await boot(b);
    b.pause();
    b.send(request(2002, routes.get('/flood')!, 'GET', '/flood'));
    // 12 MB of events: the handler blocks in its sends once the socket pair's buffers are full.
    await new Promise((r) => setTimeout(r, 6000));
    b.resume();
    const reply = await b.waitFor((f) => f.type === T.response && f.b === 2002, 'the /flood response', 20_000);
    expect(text(reply.s2)).toBe('flooded');
    expect(b.frames.filter((f) => f.type === T.sseSend).length).toBe(200);
    expect(b.frames.some((f) => f.type === T.panic)).toBe(false);
    b.close();
    expect(await b.exited).toEqual({ code: 0, signal: null });
  }, 40_000);

  it('an uncaught exception prints what libstdc++ prints on the board, then panics with abort', async () => {
    const b = start();
    const routes = await boot(b);
    b.send(request(3001, routes.get('/throw')!, 'GET', '/throw'));
    const panic = await b.waitFor((f) => f.type === T.panic, 'panic');
    expect(b.serial).toContain("terminate called after throwing an instance of 'std::runtime_error'\n  what():  boom\n");
    expect(text(panic.s1)).toBe('abort');
    expect(await b.exited).toEqual({ code: 70, signal: null });
  });

  it('a failed assert() panics with the function, file, line and expression', async () => {
    const b = start();
    const routes = await boot(b);
    b.send(request(4001, routes.get('/assert')!, 'GET', '/assert'));
    const panic = await b.waitFor((f) => f.type === T.panic, 'panic');
    expect(text(panic.s1)).toBe('assert');
    expect(text(panic.s2)).toMatch(/ sketch\.cpp:\d+ \(request->args\(\) == 42\)$/);
    expect(await b.exited).toEqual({ code: 70, signal: null });
  });

  it('a frame it cannot decode: a warn frame, then exit 3', async () => {
    const b = start();
    await boot(b);
    const bad = encodeFrame(frame(T.serialRx, 0, { s1: 'x' }));
    new DataView(bad.buffer).setUint32(4 + 1 + 4 + 16, 1000, true); // s1 claims more bytes than the frame has
    b.sendBytes(bad);
    const warn = await b.waitFor((f) => f.type === T.warn, 'warn');
    expect(text(warn.s1)).toBe('emulate.sketch-link');
    expect(await b.exited).toEqual({ code: 3, signal: null });
  });

  it('the shipped firmware builds against the runtime with -Wall -Werror and reaches server.begin()', async () => {
    const shipped = await buildApp(dir, objects, sketchPath, 'firmware', ['-DWIFI_SSID="x"', '-DWIFI_PASSWORD="y"', '-Wall', '-Werror']);
    const b = new Board(shipped, bootEnv());
    boards.push(b);
    await b.waitForSerial('HTTP server started\r\n');
    expect(b.serial).toContain('SPIFFS mounted successfully\r\n');
    expect(b.serial).toContain('Connecting to WiFi ..10.0.0.7\r\n');
    expect(b.serial).toContain('mDNS responder started: esp-sse.local\n');
    const txt = b.frames.filter((f) => f.type === T.mdns && f.a === 2).map((f) => `${text(f.s3)}=${text(f.s4)}`);
    expect(txt).toEqual(['fw=esp-sse', 'version=0.1.0', 'sse=/sse']);
    const reading = await b.waitFor((f) => f.type === T.sseSend && text(f.s2) === 'time_reading', 'a time_reading event');
    expect(JSON.parse(text(reading.s1))).toEqual({ time: String(reading.c) });
    b.close();
    expect((await b.exited).code).toBe(0);
  }, 120_000);
});
