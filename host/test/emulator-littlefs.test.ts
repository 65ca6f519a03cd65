/**
 * A LittleFS project in the emulator (issue 15, item 3): `board_build.filesystem = littlefs`, a
 * sketch that mounts `LittleFS` and serves from it, built with g++ against the runtime. The
 * default flash holds a LittleFS image of the data folder; a partition holding SPIFFS makes
 * `begin()` fail with the board's lines and `begin(true)` format it (superblock pair only);
 * a new LittleFS image written into the partition (what `uploadfs` does) is served after a
 * reset. One sketch, one emulator, real HTTP on loopback; waits are for serial text.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLittlefs } from '../src/formats/littlefs-builder.js';
import { mountLittlefs as mountImage } from '../src/formats/littlefs-reader.js';
import { buildSpiffs } from '../src/formats/spiffs-builder.js';
import { defaultPartitions } from '../src/emulator/boot/default-flash.js';
import { startEmulator, type RunningEmulator } from '../src/emulator/index.js';
import { Collector } from './serial-helpers.js';

const sketch = String.raw`#include <Arduino.h>
#include <ESPAsyncWebServer.h>
#include <LittleFS.h>

AsyncWebServer server(80);

static String listing() {
  String out;
  File root = LittleFS.open("/");
  for (File f = root.openNextFile(); f; f = root.openNextFile()) {
    out += String(f.path()) + (f.isDirectory() ? String("/") : ":" + String((unsigned)f.size())) + " ";
  }
  return out;
}

void setup() {
  Serial.begin(115200);
  bool ok = LittleFS.begin();
  Serial.println(String("mount ") + (ok ? "ok" : "failed"));
  if (!ok) Serial.println(String("format+mount ") + (LittleFS.begin(true) ? "ok" : "failed"));
  server.on("/api/fs", HTTP_GET, [](AsyncWebServerRequest *request) {
    request->send(200, "text/plain", "exists=" + String(LittleFS.exists("/index.html") ? 1 : 0) +
                  " total=" + String((unsigned)LittleFS.totalBytes()) + " used=" + String((unsigned)LittleFS.usedBytes()) +
                  " list=" + listing());
  });
  server.on("/api/css", HTTP_GET, [](AsyncWebServerRequest *request) { request->send(LittleFS, "/css/site.css", "text/css"); });
  server.on("/api/read", HTTP_GET, [](AsyncWebServerRequest *request) {
    File f = LittleFS.open("/css/site.css");
    request->send(200, "text/plain", f ? "read:" + f.readString() : String("no file"));
  });
  server.on("/api/write", HTTP_GET, [](AsyncWebServerRequest *request) {
    File f = LittleFS.open("/new.txt", "w");
    request->send(200, "text/plain", f ? "opened" : "refused");
  });
  server.serveStatic("/", LittleFS, "/").setDefaultFile("index.html");
  server.begin();
}

void loop() { delay(100); }
`;

const ini = `[env:esp32dev]
platform = espressif32@6.12.0
board = esp32dev
framework = arduino
board_build.filesystem = littlefs
build_flags = -DCORE_DEBUG_LEVEL=1
`;

const enc = new TextEncoder();
const part = defaultPartitions().find((p) => p.label === 'spiffs')!;
const css = 'body { color: #123456; }\n'.repeat(40); // 1 kB: a CTZ file in the pio layout (inline ≤ 64 B)

let dir: string;
let emu: RunningEmulator;
const log = new Collector();
const warnings: string[] = [];

async function untilText(text: string, from: number): Promise<void> {
  while (!log.text.slice(from).includes(text)) await new Promise<void>((r) => setTimeout(r, 20));
}

async function get(path: string): Promise<{ status: number; body: string; type: string | null }> {
  const r = await fetch(new URL(path, emu.url));
  return { status: r.status, body: await r.text(), type: r.headers.get('content-type') };
}

/** Resets the board and returns what it printed up to and including `last`. */
async function reset(last: string): Promise<string> {
  const from = log.text.length;
  await emu.board.reset();
  await untilText(last, from);
  return log.text.slice(from);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'esp-sse-littlefs-'));
  writeFileSync(join(dir, 'platformio.ini'), ini);
  mkdirSync(join(dir, 'src'));
  writeFileSync(join(dir, 'src', 'main.cpp'), sketch);
  mkdirSync(join(dir, 'data', 'css'), { recursive: true });
  writeFileSync(join(dir, 'data', 'index.html'), '<h1>from littlefs v1</h1>');
  writeFileSync(join(dir, 'data', 'css', 'site.css'), css);
  emu = await startEmulator({ project: dir, app: 'sketch', httpPort: 0, mdns: false, onSerial: log.push, onWarning: (c, m) => warnings.push(`${c}: ${m}`) });
}, 180_000);

afterAll(async () => {
  await emu?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a LittleFS project in the emulator', () => {
  it('the default flash holds a LittleFS image of the data folder: begin() mounts it, serveStatic, send(LittleFS, …) and reads serve it', async () => {
    const image = emu.board.flash.read(part.offset, part.size);
    const volume = mountImage(image);
    expect(volume.superblock.version).toBe(0x20000); // the builder's default: PlatformIO's mklittlefs
    expect(volume.entries.map((e) => e.path)).toEqual(['/css', '/css/site.css', '/index.html']);
    expect(log.text).toContain('mount ok\r\n');
    expect(log.text).not.toContain('SPIFFS: mount failed');

    expect(await get('/')).toMatchObject({ status: 200, body: '<h1>from littlefs v1</h1>', type: 'text/html' });
    expect(await get('/css/site.css')).toMatchObject({ status: 200, body: css });
    expect(await get('/api/css')).toMatchObject({ status: 200, body: css, type: 'text/css' });
    expect(await get('/api/read')).toMatchObject({ status: 200, body: `read:${css}` });
    // One level at a time, directories included; blocks: the root pair, /css's pair, css's one CTZ block.
    expect((await get('/api/fs')).body).toBe(`exists=1 total=${part.size} used=${5 * 4096} list=/css/ /index.html:25 `);
    expect(warnings).toEqual([]);
  }, 60_000);

  it('on a partition holding SPIFFS, begin() fails with the board\'s lines; begin(true) formats it (blocks 0 and 1) and mounts it empty', async () => {
    const spiffs = buildSpiffs([{ name: '/index.html', data: enc.encode('spiffs page') }], part.size);
    emu.board.flash.write(part.offset, spiffs);
    const out = await reset('format+mount ok\r\n');
    expect(out).toMatch(new RegExp(
      'E \\(\\d+\\) esp_littlefs: \\./components/esp_littlefs/src/littlefs/lfs\\.c:1367:error: Corrupted dir pair at \\{0x0, 0x1\\}\\r\\n\\r\\n' +
      'E \\(\\d+\\) esp_littlefs: mount failed,  \\(-84\\)\\r\\n' +
      'E \\(\\d+\\) esp_littlefs: Failed to initialize LittleFS\\r\\n' +
      '\\[ *\\d+\\]\\[E\\]\\[LittleFS\\.cpp:98\\] begin\\(\\): Mounting LittleFS failed! Error: -1\\r\\n' +
      'mount failed\\r\\n' +
      // begin(true): the same failed mount, then the format, then a mount that works
      'E \\(\\d+\\) esp_littlefs: [^\\r]*Corrupted dir pair[^\\r]*\\r\\n\\r\\n' +
      'E \\(\\d+\\) esp_littlefs: mount failed,  \\(-84\\)\\r\\n' +
      'E \\(\\d+\\) esp_littlefs: Failed to initialize LittleFS\\r\\n' +
      'format\\+mount ok\\r\\n',
    ));
    expect((await get('/api/fs')).body).toBe(`exists=0 total=${part.size} used=${2 * 4096} list=`);
    expect((await get('/')).status).toBe(404);
    expect((await get('/api/read')).body).toBe('no file');

    const after = emu.board.flash.read(part.offset, part.size);
    const formatted = mountImage(after);
    expect(formatted.superblock).toMatchObject({ version: 0x20001, blockCount: part.size / 4096, nameMax: 255 });
    expect(formatted.entries).toEqual([]);
    // lfs_format writes the superblock pair only: the SPIFFS bytes past block 1 are still there.
    expect(Buffer.from(after.subarray(2 * 4096)).equals(Buffer.from(spiffs.subarray(2 * 4096)))).toBe(true);
  }, 60_000);

  it('a new LittleFS image written into the partition (uploadfs) is served after a reset', async () => {
    const image = buildLittlefs([{ name: '/index.html', data: enc.encode('<h1>uploaded v2</h1>') }, { name: '/css/site.css', data: enc.encode('p{}') }], part.size);
    emu.board.flash.write(part.offset, image);
    const out = await reset('mount ok\r\n');
    expect(out).not.toContain('esp_littlefs');
    expect(await get('/')).toMatchObject({ status: 200, body: '<h1>uploaded v2</h1>' });
    expect(await get('/api/css')).toMatchObject({ status: 200, body: 'p{}' });
    expect((await get('/api/fs')).body).toMatch(/^exists=1 .* list=\/css\/ \/index\.html:20 $/);

    // Writes stay refused, as on SPIFFS, and the host is told once.
    expect((await get('/api/write')).body).toBe('refused');
    expect(warnings).toEqual([expect.stringMatching(/^emulate\.fs-write: the sketch wrote to \/new\.txt;/)]);
  }, 60_000);
});
