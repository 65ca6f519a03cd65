/**
 * `esp-sse emulate --project DIR` builds the user's sketch on demand: an unchanged sketch starts
 * from the cache without running the compiler, an edit is rebuilt and served at once, and a
 * sketch that does not build is a coded error (exit 2) that shows g++'s message with the user's
 * own file path, or names the header the emulator does not provide.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../src/emulator/index.js';
import { RawClient } from './emulator-helpers.js';
import { esp } from './monitor-helpers.js';
import { beforeBegin, makeSketchProject, type SketchProject } from './sketch-project.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let project: SketchProject;

beforeAll(() => {
  project = makeSketchProject();
});
afterAll(() => project?.remove());

async function getBody(port: number, path: string): Promise<string> {
  const c = await RawClient.connect(port);
  c.socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
  await c.closed;
  return c.text.slice(c.text.indexOf('\r\n\r\n') + 4);
}

/** Starts and stops the emulator on the project; returns what the build said and what /api/led answers. */
async function boot(): Promise<{ status: string[]; led: string }> {
  const status: string[] = [];
  const emu = await startEmulator({ app: 'sketch', project: project.dir, httpPort: 0, onStatus: (l) => status.push(l) });
  try {
    return { status, led: await getBody(emu.httpPort, '/api/led') };
  } finally {
    await emu.close();
  }
}

describe('the sketch is built on demand and cached', () => {
  it('a new route is served after the edit; an unchanged sketch starts without compiling', async () => {
    project.edit([beforeBegin('  server.on("/api/led", HTTP_GET, [](AsyncWebServerRequest *request) { request->send(200, "text/plain", "led v1"); });')]);
    const first = await boot();
    expect(first.led).toBe('led v1');
    expect(first.status.join('\n')).toMatch(/compiling/i);

    const again = await boot();
    expect(again.led).toBe('led v1');
    expect(again.status.join('\n')).not.toMatch(/compiling/i);

    project.edit([beforeBegin('  server.on("/api/led", HTTP_GET, [](AsyncWebServerRequest *request) { request->send(200, "text/plain", "led v2"); });')]);
    const edited = await boot();
    expect(edited.led).toBe('led v2');
    expect(edited.status.join('\n')).toMatch(/compiling/i);
  }, 180_000);
});

describe('a sketch that does not build', () => {
  it('a compile error: error[emulate.sketch-build] with g++\'s message at the user\'s path, exit 2', async () => {
    project.edit([beforeBegin('  server.on("/api/led", HTTP_GET, [](AsyncWebServerRequest *request) { request->sendd(200); });')]);
    const r = await esp(['emulate', '--project', project.dir, '--http-port', '0']).result();
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/error\[emulate\.sketch-build\]/);
    expect(r.stderr).toMatch(/src\/main\.cpp:\d+:\d+: error: .*sendd/);
    expect(r.stderr).not.toMatch(/esp-sse-emulator\/sketch-/); // not the cache's paths
  }, 120_000);

  it('an #include the runtime does not provide: error[emulate.sketch-unsupported] names it and lists what is supported', async () => {
    project.edit([{ from: '#include <Arduino_JSON.h>\n', to: '#include <Arduino_JSON.h>\n#include <WebSocketsServer.h>\n' }]);
    const r = await esp(['emulate', '--project', project.dir, '--http-port', '0']).result();
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/error\[emulate\.sketch-unsupported\].*WebSocketsServer\.h/);
    expect(r.stderr).toMatch(/ESPAsyncWebServer\.h/);
  }, 120_000);

  it('a project on a filesystem the emulator cannot build (fatfs): error[fs.unsupported-filesystem] as from the fs commands, exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'esp-sse-fatfs-'));
    try {
      writeFileSync(join(dir, 'platformio.ini'), '[env:esp32dev]\nboard = esp32dev\nboard_build.filesystem = fatfs\n');
      const r = await esp(['emulate', '--project', dir, '--http-port', '0']).result();
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/error\[fs\.unsupported-filesystem\]: board_build\.filesystem = fatfs in .*platformio\.ini is not supported/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a --project without platformio.ini: error[emulate.project-missing], exit 2', async () => {
    const r = await esp(['emulate', '--project', `${project.dir}/src`, '--http-port', '0']).result();
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/error\[emulate\.project-missing\]/);
  });
});

describe('without a C++ compiler', () => {
  it('runs the TypeScript model of the shipped sketch and says that edits are not seen', async () => {
    const p = esp(['emulate', '--project', project.dir, '--http-port', '0'], 'esp-sse emulate (no compiler)', { env: { CXX: '/nonexistent/g++' } });
    await p.waitFor('the URL line', (x) => /serving http:\/\/127\.0\.0\.1:\d+\//.test(x.stderr));
    expect(p.stderr).toMatch(/warning\[emulate\.no-compiler\]: .*edits to the sketch are not seen/);
    // The board's serial lines come paced at 115200 baud, possibly after the URL line.
    await p.waitFor('the serial lines', (x) => x.stdout.includes('HTTP server started'));
    await p.stop('SIGINT');
  }, 60_000);

  it('--app sketch then is an error that says what to install, exit 2', async () => {
    const r = await esp(['emulate', '--app', 'sketch', '--http-port', '0'], 'esp-sse emulate --app sketch', { env: { CXX: '/nonexistent/g++' } }).result();
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/error\[emulate\.no-compiler\]/);
    expect(r.stderr).toMatch(/hint: .*g\+\+/);
  });
});

