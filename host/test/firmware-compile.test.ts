/**
 * The sketch compiles on the host against the emulator runtime's headers, which keep the real
 * libraries' signatures (firmware/runtime/include), and a wrong call does not: each mutation below is applied to
 * a copy of main.cpp in a temp dir and must fail with -Wall -Werror.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { compileSketch, sketchPath } from './firmware-helpers.js';

/** A realistic mistake: `from` must occur in main.cpp exactly once; `to` must break the build. */
interface Mutation {
  name: string;
  from: string;
  to: string;
  /** A fragment of g++'s diagnostic that shows the failure is the intended one. */
  expect: RegExp;
}

const mutations: Mutation[] = [
  { name: 'misspelt method', from: 'if (client->lastId())', to: 'if (client->lastID())', expect: /lastID/ },
  { name: 'misspelt send', from: 'events.send(readingJson().c_str(), "reset"', to: 'events.sned(readingJson().c_str(), "reset"', expect: /sned/ },
  { name: 'printf format that does not fit its argument', from: 'it got is: %u', to: 'it got is: %s', expect: /-Werror=format/ },
  { name: 'arguments in the wrong order', from: 'client->send("hello!", NULL, millis(), 10000)', to: 'client->send(10000, "hello!")', expect: /no matching function|invalid conversion/ },
  { name: 'missing argument', from: 'MDNS.addService("http", "tcp", 80)', to: 'MDNS.addService("http", 80)', expect: /no matching function|invalid conversion/ },
  { name: 'wrong header name', from: '#include <ESPmDNS.h>', to: '#include <ESPMDNS.h>', expect: /ESPMDNS\.h/ },
  { name: 'handler with the wrong parameter type', from: '[](AsyncEventSourceClient *client)', to: '[](AsyncWebServerRequest *client)', expect: /error/ },
  { name: 'unused variable (a warning, fatal under -Werror)', from: 'void loop() {\n', to: 'void loop() {\n  int unused = 0;\n', expect: /-Werror=unused-variable/ },
];

describe('firmware compiles on the host', () => {
  let dir = '';
  let source = '';
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'esp-sse-fw-'));
    source = await readFile(sketchPath, 'utf8');
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('main.cpp compiles with -Wall -Werror against the runtime headers', async () => {
    const result = await compileSketch(sketchPath);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('refuses to build without Wi-Fi credentials, saying which variables to set', async () => {
    const missing = await compileSketch(sketchPath, []);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/#error.*WIFI_SSID/);
    const empty = await compileSketch(sketchPath, ['-DWIFI_SSID=""', '-DWIFI_PASSWORD=""']);
    expect(empty.code).not.toBe(0);
    expect(empty.stderr).toMatch(/static assertion failed: WIFI_SSID is empty/);
  });

  for (const m of mutations) {
    it(`a mutated copy fails to compile: ${m.name}`, async () => {
      expect(source.split(m.from).length - 1, `"${m.from}" must occur once in main.cpp`).toBe(1);
      const file = path.join(dir, `${m.name.replace(/\W+/g, '-')}.cpp`);
      await writeFile(file, source.replace(m.from, m.to));
      const result = await compileSketch(file);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(m.expect);
    });
  }
});
