/**
 * The compiled sketch against what ESPAsyncWebServer 3.12.0 itself sent (fixtures/http-3.12.0):
 * the fixture's `extras` routes are added to the shipped sketch the way the fixture's README
 * says they were written, the project is built with g++ against the runtime, and every reply of
 * both route sets must match, plain ones byte for byte, event streams by head and event shape.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../src/emulator/index.js';
import { fixtureDataDir, formatResults, runFixtureSet } from './http-fixture.js';
import { atFileScope, beforeBegin, makeSketchProject, type SketchProject } from './sketch-project.js';

/** The extras of the fixture's README, as a user writes them. */
const extras = [
  atFileScope(`// The template processor of /tpl: NAME -> "oracle", anything else -> "".
static String processor(const String &var) {
  if (var == "NAME") return "oracle";
  return String();
}`),
  beforeBegin(`  server.on("/api/echo", HTTP_GET, [](AsyncWebServerRequest *request) {
    String v = request->hasParam("q") ? request->getParam("q")->value() : "";
    request->send(200, "text/plain", "echo:" + v);
  });
  server.on("/api/info", HTTP_GET, [](AsyncWebServerRequest *request) {
    AsyncWebServerResponse *response = request->beginResponse(200, "application/json", "{\\"fw\\":\\"esp-sse\\",\\"version\\":\\"0.1.0\\"}");
    response->addHeader("X-Bar", "seven");
    request->send(response);
  });
  server.on("/tpl", HTTP_GET, [](AsyncWebServerRequest *request) {
    request->send(SPIFFS, "/tpl.html", "text/html", false, processor);
  });
  server.on("/go", HTTP_GET, [](AsyncWebServerRequest *request) {
    request->redirect("/");
  });
  server.onNotFound([](AsyncWebServerRequest *request) {
    request->send(404, "text/plain", "nope");
  });`),
];

let project: SketchProject;
/** The shipped sketch, compiled, serving the fixture's data folder. */
let shipped: RunningEmulator;
/** The shipped sketch plus the extras. */
let emu: RunningEmulator;

beforeAll(async () => {
  project = makeSketchProject({ edits: extras, dataDir: fixtureDataDir });
  shipped = await startEmulator({ app: 'sketch', dataDir: fixtureDataDir, httpPort: 0 });
  emu = await startEmulator({ app: 'sketch', project: project.dir, httpPort: 0 });
}, 180_000);
afterAll(async () => {
  await shipped?.close();
  await emu?.close();
  project?.remove();
});

it('every reply of the shipped sketch\'s routes matches the library 3.12.0', async () => {
  const results = await runFixtureSet({ host: '127.0.0.1', port: shipped.httpPort }, 'sketch');
  expect(results.filter((r) => !r.match).map((r) => r.name), formatResults(results)).toEqual([]);
}, 90_000);

it('every reply of the routes a user adds (query, beginResponse + addHeader, template, redirect, onNotFound) matches', async () => {
  const results = await runFixtureSet({ host: '127.0.0.1', port: emu.httpPort }, 'extras');
  expect(results.map((r) => r.name)).toHaveLength(7);
  expect(results.filter((r) => !r.match).map((r) => r.name), formatResults(results)).toEqual([]);
}, 60_000);
