/**
 * A compiled sketch that crashes, blocks or restarts does what a board does: the panic handler's
 * text (or the task watchdog's) on Serial, `Rebooting...`, a SW_CPU_RESET boot, `setup()` again,
 * and HTTP answering after it; a loop() that blocks trips nothing (the board does not watch
 * loopTask). The emulator itself never goes down.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../src/emulator/index.js';
import { waitOn } from '../src/hil/wait-on.js';
import { RawClient, waitTimeoutMs } from './emulator-helpers.js';
import { atFileScope, beforeBegin, makeSketchProject, type SketchProject } from './sketch-project.js';

let project: SketchProject;
let emu: RunningEmulator;
let serial = '';
const serialWaiters = new Set<() => void>();
const warnings: string[] = [];

/** Resolves with the serial text printed from `from` on, once it contains every string of `texts` in order. */
function serialShows(from: number, ...texts: string[]): Promise<string> {
  return waitOn(serialWaiters, () => {
    const seen = serial.slice(from);
    let at = 0;
    for (const t of texts) {
      const i = seen.indexOf(t, at);
      if (i < 0) return undefined;
      at = i + t.length;
    }
    return { value: seen };
  }, waitTimeoutMs, () => new Error(`serial never showed ${JSON.stringify(texts)}; it showed:\n${serial.slice(from)}`));
}

async function get(path: string): Promise<RawClient> {
  const c = await RawClient.connect(emu.httpPort);
  c.socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
  return c;
}

async function answers(path: string): Promise<string> {
  const c = await get(path);
  await c.closed;
  return c.text;
}

const rebooted = ['Rebooting...\r\n', 'rst:0xc (SW_CPU_RESET),boot:0x13 (SPI_FAST_FLASH_BOOT)', 'SPIFFS mounted successfully', 'HTTP server started\r\n'];

beforeAll(async () => {
  project = makeSketchProject({
    edits: [
      atFileScope(`#include <stdexcept>
#include <assert.h>
static volatile bool blockLoop = false;
static volatile int *nowhere = nullptr;`),
      beforeBegin(`  server.on("/crash", HTTP_GET, [](AsyncWebServerRequest *request) {
    *nowhere = 42;
    request->send(200, "text/plain", "unreachable");
  });
  server.on("/throw", HTTP_GET, [](AsyncWebServerRequest *request) {
    throw std::runtime_error("sensor not found");
  });
  server.on("/assert", HTTP_GET, [](AsyncWebServerRequest *request) {
    int answer = request->url().length();
    assert(answer == 42);
  });
  server.on("/block", HTTP_GET, [](AsyncWebServerRequest *request) {
    delay(6000);
    request->send(200, "text/plain", "late");
  });
  server.on("/block-loop", HTTP_GET, [](AsyncWebServerRequest *request) {
    blockLoop = true;
    request->send(200, "text/plain", "loop blocked");
  });
  server.on("/restart", HTTP_GET, [](AsyncWebServerRequest *request) {
    request->send(200, "text/plain", "bye");
    delay(100);
    ESP.restart();
  });`),
      { from: 'void loop() {\n', to: 'void loop() {\n  if (blockLoop) { blockLoop = false; Serial.println("loop blocking"); delay(7000); Serial.println("loop back"); }\n' },
    ],
  });
  emu = await startEmulator({
    app: 'sketch',
    project: project.dir,
    httpPort: 0,
    onWarning: (code, message) => warnings.push(`${code}: ${message}`),
    onSerial: (b) => {
      serial += Buffer.from(b).toString('latin1');
      for (const w of [...serialWaiters]) w();
    },
  });
}, 180_000);
afterAll(async () => {
  await emu?.close();
  project?.remove();
});

describe('the compiled sketch crashes like a board', () => {
  it('a null pointer write in a handler: Guru Meditation (StoreProhibited), register dump, backtrace, reboot, HTTP again', async () => {
    const from = serial.length;
    const c = await get('/crash');
    const text = await serialShows(from, 'Guru Meditation Error: Core  0 panic\'ed (StoreProhibited). Exception was unhandled.\r\n', 'Core  0 register dump:\r\n', 'EXCCAUSE: 0x0000001d', 'EXCVADDR: 0x00000000', 'Backtrace:0x', 'ELF file SHA256: ', ...rebooted);
    expect(text).toMatch(/PC {6}: 0x[0-9a-f]{8} {2}PS {6}: 0x00000000/);
    expect(await c.closed).toBe('reset'); // the connection died with the board
    expect(await answers('/reset')).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\nOK$/);
    expect(warnings.join('\n')).not.toMatch(/sketch-exit/);
  });

  it('an uncaught exception: what libstdc++ prints, then abort()', async () => {
    const from = serial.length;
    await get('/throw');
    await serialShows(from, "terminate called after throwing an instance of 'std::runtime_error'\n  what():  sensor not found\n", 'abort() was called at PC 0x', ' on core 0\r\n', ...rebooted);
    expect(await answers('/reset')).toMatch(/\r\n\r\nOK$/);
  });

  it('a failed assert: the IDF assert line, then reboot', async () => {
    const from = serial.length;
    await get('/assert');
    await serialShows(from, 'assert failed: ', 'main.cpp:', '(answer == 42)\r\n', ...rebooted);
  });

  it('a handler that blocks async_tcp for more than 5 s: the task watchdog fires and reboots', async () => {
    const from = serial.length;
    await get('/block');
    const text = await serialShows(from, 'task_wdt: Task watchdog got triggered. The following tasks did not reset the watchdog in time:\r\n', 'task_wdt:  - async_tcp (CPU 0/1)\r\n', 'task_wdt: Aborting.\r\n', 'abort() was called at PC', ...rebooted);
    expect(text).not.toContain('late');
    expect(warnings.join('\n')).toMatch(/emulate\.sketch-watchdog/);
  });

  it('a loop() that blocks trips no watchdog: the web side keeps answering', async () => {
    const from = serial.length;
    expect(await answers('/block-loop')).toMatch(/\r\n\r\nloop blocked$/);
    await serialShows(from, 'loop blocking\r\n');
    // While loop() sleeps, async_tcp still serves.
    expect(await answers('/reset')).toMatch(/\r\n\r\nOK$/);
    await serialShows(from, 'loop blocking\r\n', 'loop back\r\n');
    expect(serial.slice(from)).not.toContain('Rebooting...');
  }, 30_000);

  it('ESP.restart(): SW_CPU_RESET and setup() again', async () => {
    const from = serial.length;
    expect(await answers('/restart')).toMatch(/\r\n\r\nbye$/);
    const text = await serialShows(from, 'rst:0xc (SW_CPU_RESET),boot:0x13 (SPI_FAST_FLASH_BOOT)', 'HTTP server started\r\n');
    expect(text).not.toContain('Guru Meditation');
    expect(await answers('/reset')).toMatch(/\r\n\r\nOK$/);
  });
});
