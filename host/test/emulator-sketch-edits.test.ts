/**
 * A user edits the firmware and the emulator runs the edit: a copy of the shipped sketch with
 * the changes users make most (a GET route with a query parameter, a POST form handler, a JSON
 * response with a custom header, a second AsyncEventSource, a Serial command that changes what
 * loop() sends, a file read from SPIFFS, a changed mDNS TXT record), built with g++ and checked
 * over real HTTP, the emulated UART and real multicast, byte for byte against the 3.12.0 profile.
 */
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../src/emulator/index.js';
import { waitOn } from '../src/hil/wait-on.js';
import { RawClient, StreamReader, waitTimeoutMs } from './emulator-helpers.js';
import { atFileScope, beforeBegin, makeSketchProject, type SketchEdit, type SketchProject } from './sketch-project.js';

const edits: SketchEdit[] = [
  atFileScope(`AsyncEventSource ticks("/ticks");
static volatile int tickMode = 1;  // 1 = slow, 2 = fast: set from Serial`),
  beforeBegin(`  server.on("/api/led", HTTP_GET, [](AsyncWebServerRequest *request) {
    if (!request->hasParam("state")) {
      request->send(400, "text/plain", "missing state");
      return;
    }
    request->send(200, "text/plain", "led:" + request->getParam("state")->value());
  });
  server.on("/api/form", HTTP_POST, [](AsyncWebServerRequest *request) {
    String name = request->hasParam("name", true) ? request->getParam("name", true)->value() : String("?");
    request->send(200, "text/plain", "hello " + name);
  });
  server.on("/api/json", HTTP_GET, [](AsyncWebServerRequest *request) {
    JSONVar doc;
    doc["sensor"] = "bme280";
    doc["celsius"] = 21.5;
    doc["ok"] = true;
    AsyncWebServerResponse *response = request->beginResponse(200, "application/json", JSON.stringify(doc));
    response->addHeader("X-Sensor", "bme280");
    request->send(response);
  });
  server.on("/api/file", HTTP_GET, [](AsyncWebServerRequest *request) {
    File f = SPIFFS.open("/hello.txt");
    if (!f) {
      request->send(404, "text/plain", "no file");
      return;
    }
    String body = f.readString();
    f.close();
    request->send(200, "text/plain", "file:" + body);
  });
  server.addHandler(&ticks);`),
  { from: '  MDNS.addServiceTxt("http", "tcp", "version", "0.1.0");', to: '  MDNS.addServiceTxt("http", "tcp", "version", "0.2.0-user");\n  MDNS.addServiceTxt("http", "tcp", "room", "lab");' },
  {
    from: 'void loop() {\n',
    to: `void loop() {
  while (Serial.available()) {
    String cmd = Serial.readStringUntil('\\n');
    cmd.trim();
    if (cmd == "fast") tickMode = 2;
    Serial.println("mode set: " + cmd);
  }
  ticks.send(tickMode == 2 ? "fast" : "slow", "tick", millis());
`,
  },
];

let project: SketchProject;
let emu: RunningEmulator;
/** Everything the board printed on UART0. */
let serial = '';
const serialWaiters = new Set<() => void>();
const onSerial = (b: Uint8Array): void => {
  serial += Buffer.from(b).toString('latin1');
  for (const w of [...serialWaiters]) w();
};
const serialShows = (text: string): Promise<void> =>
  waitOn(serialWaiters, () => (serial.includes(text) ? { value: undefined } : undefined), waitTimeoutMs, () => new Error(`serial never showed ${JSON.stringify(text)}:\n${serial}`));

async function get(path: string, extra = '', method = 'GET', body = ''): Promise<string> {
  const c = await RawClient.connect(emu.httpPort);
  c.socket.write(`${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${extra}${body ? `Content-Length: ${Buffer.byteLength(body)}\r\n` : ''}\r\n${body}`);
  await c.closed;
  return c.text;
}

const acao = 'Access-Control-Allow-Origin: *\r\n';

beforeAll(async () => {
  project = makeSketchProject({ edits, extraFiles: { 'data/hello.txt': 'from SPIFFS\n' } });
  emu = await startEmulator({ app: 'sketch', project: project.dir, httpPort: 0, onSerial, uart: { socketPort: 0, wireTiming: false } });
}, 180_000);
afterAll(async () => {
  await emu?.close();
  project?.remove();
});

describe('a user\'s edits to the sketch, served by the emulator', () => {
  it('a new GET route with a query parameter', async () => {
    expect(await get('/api/led?state=on')).toBe(`HTTP/1.1 200 OK\r\n${acao}Connection: close\r\nAccept-Ranges: none\r\nContent-Length: 6\r\nContent-Type: text/plain\r\n\r\nled:on`);
    expect(await get('/api/led')).toBe(`HTTP/1.1 400 Bad Request\r\n${acao}Connection: close\r\nAccept-Ranges: none\r\nContent-Length: 13\r\nContent-Type: text/plain\r\n\r\nmissing state`);
  });

  it('a POST form handler reads the form field', async () => {
    const reply = await get('/api/form', 'Content-Type: application/x-www-form-urlencoded\r\n', 'POST', 'name=Ada+Lovelace&x=1');
    expect(reply).toBe(`HTTP/1.1 200 OK\r\n${acao}Connection: close\r\nAccept-Ranges: none\r\nContent-Length: 18\r\nContent-Type: text/plain\r\n\r\nhello Ada Lovelace`);
    // The route is POST only: a GET falls through to the library's 404.
    expect(await get('/api/form')).toMatch(/^HTTP\/1\.1 404 Not Found\r\n/);
  });

  it('a JSON response built with Arduino_JSON, with a custom header after Connection', async () => {
    const body = '{"sensor":"bme280","celsius":21.5,"ok":true}';
    expect(await get('/api/json')).toBe(
      `HTTP/1.1 200 OK\r\n${acao}Connection: close\r\nX-Sensor: bme280\r\nAccept-Ranges: none\r\nContent-Length: ${body.length}\r\nContent-Type: application/json\r\n\r\n${body}`,
    );
  });

  it('a file the handler reads from SPIFFS (the data folder, through the flash image)', async () => {
    expect(await get('/api/file')).toBe(`HTTP/1.1 200 OK\r\n${acao}Connection: close\r\nAccept-Ranges: none\r\nContent-Length: 17\r\nContent-Type: text/plain\r\n\r\nfile:from SPIFFS\n`);
  });

  it('a second event source streams alongside the first, and a Serial command changes what loop() sends', async () => {
    const stream = await StreamReader.open(emu.httpPort, 'GET /ticks HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n');
    await stream.waitForEvent((m) => m.event === 'tick' && m.data === 'slow');
    expect(stream.responseHead).toBe(`HTTP/1.1 200 OK\r\n${acao}Cache-Control: no-cache\r\nConnection: keep-alive\r\nAccept-Ranges: none\r\nContent-Type: text/event-stream\r\n\r\n`);
    // The first source still streams its readings.
    const sse = await StreamReader.open(emu.httpPort, 'GET /sse HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n');
    await sse.waitForEvent((m) => m.event === 'time_reading');
    sse.socket.destroy();
    // Type a command on the board's UART, as a serial terminal does.
    const uart = connect({ port: emu.uart!.socketPort!, host: '127.0.0.1' });
    await new Promise((r) => uart.once('connect', r));
    uart.write('fast\n');
    await serialShows('mode set: fast\r\n');
    await stream.waitForEvent((m) => m.event === 'tick' && m.data === 'fast');
    uart.destroy();
    stream.socket.destroy();
  });

  it('the board\'s boot log is the sketch\'s own', () => {
    expect(serial).toContain('SPIFFS mounted successfully\r\nConnecting to WiFi ..127.0.0.1\r\nmDNS responder started: esp-sse.local\nHTTP server started\r\n');
  });
});

describe('a changed mDNS TXT record', () => {
  const dist = resolve(import.meta.dirname, '../../dist');
  it('is advertised as the sketch sets it (real multicast in a private network namespace)', async () => {
    const script = `
const { startEmulator } = await import(${JSON.stringify(`${dist}/emulator/index.js`)});
const { discoverBoards } = await import(${JSON.stringify(`${dist}/discovery/index.js`)});
const emu = await startEmulator({ app: 'sketch', project: ${JSON.stringify(project.dir)}, httpPort: 0, mdns: true });
const boards = await discoverBoards({ timeoutMs: 4000, name: 'esp-sse' });
process.stdout.write(JSON.stringify(boards.map((b) => b.txt)));
await emu.close();
`;
    const sh = 'ip link set lo up && ip route add 224.0.0.0/4 dev lo src 127.0.0.1 && exec "$0" --input-type=module -e "$1"';
    const out = await new Promise<{ code: number | null; stdout: string; stderr: string }>((res) => {
      const child = spawn('unshare', ['--net', 'sh', '-c', sh, process.execPath, script], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
      child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
      child.on('close', (code) => res({ code, stdout, stderr }));
    });
    expect(out.code, out.stderr).toBe(0);
    expect(JSON.parse(out.stdout)).toEqual([{ fw: 'esp-sse', version: '0.2.0-user', room: 'lab', sse: '/sse' }]);
  }, 60_000);
});
