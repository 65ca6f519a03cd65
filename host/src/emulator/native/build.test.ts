/**
 * buildSketch with the real g++ on real files: a PlatformIO project and a tiny runtime of our
 * own (testing.ts) in a temp dir; compiler runs are counted through a logging wrapper.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserError } from '../../errors.js';
import { packageRoot } from '../package-root.js';
import { buildSketch, findCompiler, type SketchBuildOptions } from './build.js';
import { loggingCompiler, tinyProject, TINY_RUNTIME, writeTree, type LoggingCompiler } from './testing.js';

const run = promisify(execFile);

let root = '';
let project = '';
let runtime = '';
let cxx: LoggingCompiler;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'esp-sse-native-'));
  project = join(root, 'project');
  runtime = join(root, 'runtime');
  await writeTree(runtime, TINY_RUNTIME);
  cxx = await loggingCompiler(root);
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

function build(extra: Partial<SketchBuildOptions> = {}) {
  return buildSketch({ projectDir: project, runtimeDir: runtime, compiler: cxx.path, environment: {}, runtimeCacheDir: join(project, '.pio', 'esp-sse-emulator'), ...extra });
}

async function output(executable: string): Promise<string> {
  return (await run(executable)).stdout;
}

async function failure(p: Promise<unknown>): Promise<UserError> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  if (!(e instanceof UserError)) throw new Error(`expected a UserError, got ${String(e)}`);
  return e;
}

describe('buildSketch', () => {
  it('compiles the sketch (C++ and C, headers from src and include/) with the runtime and the executable runs', async () => {
    await writeTree(project, {
      ...tinyProject('-Wall'),
      'include/config.h': '#define GREETING "configured"\n',
      'src/main.cpp': '#include <Arduino.h>\n#include "config.h"\n#include "parts/part.h"\n#include <stdio.h>\nvoid setup() { emu_print(GREETING); emu_print(part()); char b[32]; snprintf(b, sizeof b, "%d %d", emu_twice(21), half(8)); emu_print(b); }\nvoid loop() { int unused = 0; emu_print("loop"); }\n',
      'src/parts/part.h': '#pragma once\nconst char *part();\n#ifdef __cplusplus\nextern "C"\n#endif\nint half(int);\n',
      'src/parts/part.cc': '#include "part.h"\n#if defined(ESP32) && defined(ARDUINO_ARCH_ESP32) && ARDUINO == 10819 && defined(ESP_SSE_NATIVE) && CORE_DEBUG_LEVEL == 0 && __cplusplus == 201703L\nconst char *part() { return "flags ok"; }\n#endif\n',
      // C, not C++: `new` is an ordinary name here.
      'src/parts/half.c': '#include "part.h"\nint half(int new) { return new / 2; }\n',
    });
    const statuses: string[] = [];
    const built = await build({ onStatus: (l) => statuses.push(l) });
    expect(built.compiled).toBe(true);
    expect(built.executable).toBe(join(project, '.pio', 'esp-sse-emulator', `sketch-${built.key}`, 'firmware'));
    expect(built.sources.map((s) => s.slice(project.length + 1))).toEqual(['src/main.cpp', 'src/parts/half.c', 'src/parts/part.cc']);
    expect(await output(built.executable)).toBe('configured\nflags ok\n42 4\nloop\n');
    expect(statuses).toContain('compiling sketch (3 files)…');
    expect(statuses).toContain('compiling the emulator runtime (2 files)…');
    expect(statuses).toContainEqual(expect.stringMatching(/^src\/main\.cpp:6:19: warning: unused variable 'unused'/));
    const linked = (await cxx.calls()).find((c) => !c.includes(' -c ') && c !== '--version')!;
    expect(linked).toMatch(/-pthread/);
  });

  it('takes an unchanged sketch from the cache without running any compiler', async () => {
    await writeTree(project, tinyProject());
    const first = await build();
    const calls = (await cxx.calls()).length;
    const again = await build({ onStatus: () => { throw new Error('no status expected'); } });
    expect(again).toEqual({ ...first, compiled: false });
    expect((await cxx.calls()).length).toBe(calls);
    // Another cache folder is another cache: `--version` is remembered per folder.
    expect((await build({ cacheDir: join(root, 'other-cache') })).compiled).toBe(true);
  });

  it('rebuilds when a source, a header, a flag or the runtime changes; the runtime compiles only when it changed', async () => {
    await writeTree(project, { ...tinyProject('-DNUM=1 -Ivendor'), 'include/extra.h': '#define EXTRA 1\n', 'vendor/v.h': '#define V 1\n' });
    const keys = new Set([(await build()).key]);
    const compiles = async (file: string) => (await cxx.calls()).filter((c) => c.includes(' -c ') && c.includes(file)).length;

    await writeTree(project, { 'src/main.cpp': '#include <Arduino.h>\nvoid setup() { emu_print("edited"); }\nvoid loop() {}\n' });
    const edited = await build();
    expect(edited.compiled).toBe(true);
    expect(await output(edited.executable)).toBe('edited\n');
    expect(await compiles('core.cpp')).toBe(1);
    keys.add(edited.key);

    await writeTree(project, { 'include/extra.h': '#define EXTRA 2\n' });
    keys.add((await build()).key);
    await writeTree(project, { 'vendor/v.h': '#define V 2\n' }); // a folder build_flags put on the include path
    keys.add((await build()).key);
    await writeTree(project, tinyProject('-DNUM=2 -Ivendor', '"edited"'));
    keys.add((await build()).key);
    expect(await compiles('core.cpp')).toBe(2); // -D reaches the runtime too, as build_flags reach the framework

    await writeTree(runtime, { 'include/WiFi.h': '#pragma once\n// changed\n' });
    const newRuntime = await build();
    keys.add(newRuntime.key);
    expect(newRuntime.compiled).toBe(true);
    expect(await compiles('core.cpp')).toBe(3);
    expect(keys.size).toBe(6);
  });

  it('a source saved while g++ runs is compiled again, never cached under the text it replaced', async () => {
    await writeTree(project, tinyProject('', '"before"'));
    const saved = tinyProject('', '"saved mid-build"')['src/main.cpp']!;
    const statuses: string[] = [];
    const first = await build({
      onStatus: (line) => {
        statuses.push(line);
        // The plan has hashed "before"; g++ has not read the file yet.
        if (line.startsWith('compiling sketch')) writeFileSync(join(project, 'src', 'main.cpp'), saved);
      },
    });
    expect(statuses).toContain('a source changed while compiling: compiling again…');
    expect(await output(first.executable)).toBe('saved mid-build\n');
    expect((await build()).key).toBe(first.key);
    // Back to the first text: its key holds nothing built from another text.
    await writeTree(project, tinyProject('', '"before"'));
    const back = await build();
    expect(back.compiled).toBe(true);
    expect(await output(back.executable)).toBe('before\n');
  });

  it('sources that change during every attempt: emulate.sketch-changing after three, nothing cached', async () => {
    await writeTree(project, tinyProject('', '"v0"'));
    let saves = 0;
    const e = await failure(build({
      onStatus: (line) => {
        if (line.startsWith('compiling sketch')) writeFileSync(join(project, 'src', 'main.cpp'), tinyProject('', `"v${++saves}"`)['src/main.cpp']!);
      },
    }));
    expect(e.code).toBe('emulate.sketch-changing');
    expect(saves).toBe(3);
    // What is on disk now builds normally, from scratch.
    const after = await build();
    expect(after.compiled).toBe(true);
    expect(await output(after.executable)).toBe('v3\n');
  });

  it('keeps the three most recently used sketch builds', async () => {
    await writeTree(project, tinyProject());
    const built: string[] = [];
    for (let i = 0; i < 5; i++) {
      await writeTree(project, { 'src/main.cpp': `#include <Arduino.h>\nvoid setup() { emu_print("${i}"); }\nvoid loop() {}\n` });
      const b = await build();
      built.push(`sketch-${b.key}`);
      // mtimes a second apart, whatever the file system's resolution
      const when = new Date(Date.now() - (10 - i) * 1000);
      await utimes(join(project, '.pio', 'esp-sse-emulator', `sketch-${b.key}`), when, when);
    }
    const left = (await readdir(join(project, '.pio', 'esp-sse-emulator'))).filter((n) => n.startsWith('sketch-'));
    expect(left.sort()).toEqual(built.slice(2).sort());
    expect((await readdir(join(project, '.pio', 'esp-sse-emulator'))).filter((n) => n.startsWith('runtime-'))).toHaveLength(1);
  });

  it('reads build_flags like PlatformIO: ${sysenv.X}, quoting, [env] and the stand-in credentials; says which flags it drops', async () => {
    const flags = [
      `'-D WIFI_SSID="\${sysenv.WIFI_SSID}"'`,
      `'-D WIFI_PASSWORD="\${sysenv.WIFI_PASSWORD}"'`,
      '-DNUM=7 -D SPACED=3 -UUNWANTED',
      '-mfix-esp32-psram-cache-issue -Wl,--gc-sections',
      '-DCORE_DEBUG_LEVEL=5',
    ].join('\n');
    await writeTree(project, {
      ...tinyProject(flags),
      'src/main.cpp': [
        '#include <Arduino.h>',
        '#include <stdio.h>',
        '#if !defined(WIFI_SSID) || !defined(WIFI_PASSWORD)',
        '#error "WIFI_SSID / WIFI_PASSWORD are not defined"',
        '#endif',
        'static_assert(sizeof(WIFI_SSID) > 1, "WIFI_SSID is empty");',
        '#ifdef UNWANTED',
        '#error "-U did not apply"',
        '#endif',
        'void setup() { char b[200]; snprintf(b, sizeof b, "[%s] [%s] %d %d %d", WIFI_SSID, WIFI_PASSWORD, NUM, SPACED, CORE_DEBUG_LEVEL); emu_print(b); }',
        'void loop() {}',
        '',
      ].join('\n'),
    });
    const statuses: string[] = [];
    const standIn = await build({ onStatus: (l) => statuses.push(l) });
    expect(await output(standIn.executable)).toBe('[esp-sse-emulator] [emulator] 7 3 5\n');
    expect(statuses.join('\n')).toMatch(/WIFI_SSID is not set/);
    expect(statuses.find((l) => l.startsWith('warning:'))).toMatch(/-mfix-esp32-psram-cache-issue -Wl,--gc-sections/);
    // No "CORE_DEBUG_LEVEL redefined" warning: the project's -D replaces the emulator's.
    expect(statuses.join('\n')).not.toMatch(/redefined/);

    // Single quotes keep the spaces; the inner double quotes make the C string.
    const real = await build({ environment: { WIFI_SSID: 'my network', WIFI_PASSWORD: 'pa$$ word' } });
    expect(real.key).not.toBe(standIn.key);
    expect(await output(real.executable)).toBe('[my network] [pa$$ word] 7 3 5\n');
    // As with PlatformIO (shlex), an apostrophe inside a single-quoted item ends the quote.
    expect((await failure(build({ environment: { WIFI_SSID: "it's mine" } }))).code).toBe('emulate.bad-build-flags');
  });

  it('takes build_flags from [env] and src_dir from [platformio], with default_envs choosing the env', async () => {
    await writeTree(project, {
      'platformio.ini': '[platformio]\ndefault_envs = b\nsrc_dir = firmware/src\n\n[env]\nbuild_flags = -DWHICH=\\"common\\"\n\n[env:a]\nbuild_flags = -DWHICH=\\"a\\"\n\n[env:b]\nboard = esp32dev\n',
      'firmware/src/main.cpp': '#include <Arduino.h>\nvoid setup() { emu_print(WHICH); }\nvoid loop() {}\n',
    });
    expect(await output((await build()).executable)).toBe('common\n');
    expect(await output((await build({ env: 'a' })).executable)).toBe('a\n');
  });

  it('a compile error is emulate.sketch-build with the user\'s path and line, and the API-subset note', async () => {
    await writeTree(project, {
      ...tinyProject(),
      'src/main.cpp': '#include <Arduino.h>\nvoid setup() {\n  events.send("x");\n}\nvoid loop() {}\n',
    });
    const e = await failure(build());
    expect(e.code).toBe('emulate.sketch-build');
    expect(e.exitCode).toBe(2);
    expect(e.message).toMatch(/^src\/main\.cpp:3:3: error: 'events' was not declared in this scope/m);
    expect(e.message).not.toContain(project);
    expect(e.message).not.toContain('esp-sse-emulator');
    expect(e.message).toMatch(/covers a subset.*"Your sketch in the emulator"/);
    expect(e.hint).toBeTruthy();
    expect(await readFile(join(project, '.pio', 'esp-sse-emulator', 'last-build.log'), 'utf8')).toContain('src/main.cpp:3:3');
  });

  it('a link error names the user\'s file, not the cache, and says a sketch needs loop()', async () => {
    await writeTree(project, { ...tinyProject(), 'src/main.cpp': '#include <Arduino.h>\nvoid missing();\nvoid setup() { missing(); }\n' });
    const e = await failure(build());
    expect(e.code).toBe('emulate.sketch-build');
    expect(e.message).toMatch(/undefined reference to `missing\(\)'/);
    expect(e.message).toMatch(/src\/main\.cpp/);
    expect(e.message).not.toContain('esp-sse-emulator');
    expect(e.message).toMatch(/no loop\(\) function/);
  });

  it('an #include the runtime does not provide is emulate.sketch-unsupported, listing what it does provide', async () => {
    await writeTree(project, { ...tinyProject(), 'src/main.cpp': '#include <Arduino.h>\n#include <Adafruit_BME280.h>\nvoid setup() {}\nvoid loop() {}\n' });
    const e = await failure(build());
    expect(e.code).toBe('emulate.sketch-unsupported');
    expect(e.message).toMatch(/Adafruit_BME280\.h/);
    expect(e.message).toMatch(/src\/main\.cpp:2: #include <Adafruit_BME280\.h>/);
    expect(e.message).toMatch(/provides: Arduino\.h, WiFi\.h\./);
    expect(e.hint).toMatch(/ESP_SSE_NATIVE/);
  });

  it('a header of the project\'s own libraries (lib/) is a sketch-build error that says where it is', async () => {
    await writeTree(project, { ...tinyProject(), 'lib/Mine/src/Mine.h': '#pragma once\n', 'src/main.cpp': '#include <Arduino.h>\n#include <Mine.h>\nvoid setup() {}\nvoid loop() {}\n' });
    const e = await failure(build());
    expect(e.code).toBe('emulate.sketch-build');
    expect(e.message).toMatch(/Mine\.h is in the project's libraries at lib\/Mine\/src\/Mine\.h/);
  });

  it('refuses .ino sketches, saying to rename to .cpp and include Arduino.h', async () => {
    await writeTree(project, { ...tinyProject(), 'src/sketch.ino': 'void setup() {}\nvoid loop() {}\n' });
    const e = await failure(build());
    expect(e.code).toBe('emulate.sketch-ino');
    expect(e.message).toContain('src/sketch.ino');
    expect(e.hint).toMatch(/\.cpp.*#include <Arduino\.h>/);
  });

  it('a project without platformio.ini, src_dir or sources is refused with its code', async () => {
    expect((await failure(build())).code).toBe('emulate.project-missing');
    await writeTree(project, { 'platformio.ini': tinyProject()['platformio.ini']! });
    expect((await failure(build())).code).toBe('emulate.sketch-missing');
    await writeTree(project, { 'src/notes.txt': 'no code here' });
    expect((await failure(build())).code).toBe('emulate.sketch-missing');
    expect((await failure(build({ env: 'nope' }))).code).toBe('ini.unknown-env');
  });

  it('a compiler that does not run is emulate.no-compiler; findCompiler says undefined for it', async () => {
    await writeTree(project, tinyProject());
    expect((await failure(build({ compiler: join(root, 'no-such-g++') }))).code).toBe('emulate.no-compiler');
    expect(await findCompiler({ compiler: join(root, 'no-such-g++') })).toBeUndefined();
    expect(await findCompiler({ environment: { CXX: cxx.path } })).toBe(cxx.path);
    expect(await findCompiler({ environment: {} })).toBeDefined();
    // With the cache folder of a build, a compiler seen there is not run again.
    await build();
    const calls = (await cxx.calls()).length;
    expect(await findCompiler({ compiler: cxx.path, cacheDir: join(project, '.pio', 'esp-sse-emulator') })).toBe(cxx.path);
    expect((await cxx.calls()).length).toBe(calls);
  });

  it('a build killed while linking leaves no executable under its key; the next build makes one', async () => {
    await writeTree(project, tinyProject());
    const hang = loggingCompiler(root, 'hangs');
    const { path: compiler, hangFile } = await hang;
    await writeFile(hangFile, '');
    const script = join(root, 'child.mts');
    await writeFile(script, `import { buildSketch } from ${JSON.stringify(new URL('./build.ts', import.meta.url).pathname)};\n`
      + `await buildSketch(${JSON.stringify({ projectDir: project, runtimeDir: runtime, compiler, environment: {}, runtimeCacheDir: join(project, '.pio', 'esp-sse-emulator') })});\n`);
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, ['--import', 'tsx', script], { detached: true, stdio: 'ignore', cwd: process.cwd() });
    try {
      for (let i = 0; !(await stat(`${hangFile}.reached`).catch(() => undefined)); i++) {
        if (i > 600 || child.exitCode !== null) throw new Error(`the child build did not reach the link (exit ${child.exitCode})`);
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      const exited = new Promise((r) => child.once('exit', r));
      process.kill(-child.pid!, 'SIGKILL');
      await exited; // reaped: a zombie still answers kill(pid, 0)
    }
    const cache = join(project, '.pio', 'esp-sse-emulator');
    const sketchDir = (await readdir(cache)).find((n) => n.startsWith('sketch-'))!;
    const files = await readdir(join(cache, sketchDir));
    expect(files).not.toContain('firmware');
    expect(files.some((f) => f.endsWith('.tmp'))).toBe(true); // the half executable, under its temporary name

    await rm(hangFile);
    const built = await build({ compiler });
    expect(`sketch-${built.key}`).toBe(sketchDir);
    expect(built.compiled).toBe(true);
    expect(await output(built.executable)).toBe('hello from the sketch\n');
    expect((await readdir(join(cache, sketchDir))).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('an aborted build rejects with an AbortError, kills the compiler and leaves no executable', async () => {
    await writeTree(project, tinyProject());
    const { path: compiler, hangFile } = await loggingCompiler(root, 'hangs');
    await writeFile(hangFile, '');
    const abort = new AbortController();
    const building = build({ compiler, signal: abort.signal });
    for (let i = 0; !(await stat(`${hangFile}.reached`).catch(() => undefined)); i++) {
      if (i > 600) throw new Error('the build did not reach the link');
      await new Promise((r) => setTimeout(r, 50));
    }
    abort.abort();
    await expect(building).rejects.toMatchObject({ name: 'AbortError' });
    const cache = join(project, '.pio', 'esp-sse-emulator');
    const sketchDir = (await readdir(cache)).find((n) => n.startsWith('sketch-'))!;
    expect(await readdir(join(cache, sketchDir))).toEqual(['obj']);
  });
});

describe('buildSketch against firmware/runtime', () => {
  const repo = packageRoot();
  const runtimeInclude = join(repo, 'firmware', 'runtime', 'include');
  const sketch = readFileSync(join(repo, 'firmware', 'src', 'main.cpp'), 'utf8');
  const wanted = [...sketch.matchAll(/^#include <(.+)>/gm)].map((m) => m[1]!);
  const lacking = wanted.filter((h) => !existsSync(join(runtimeInclude, h)));

  // Skipped (by this name) while the runtime lacks a header the shipped sketch includes.
  it.skipIf(lacking.length > 0)(`the shipped sketch (platformio.ini at the repository root) builds${lacking.length ? ` — skipped: firmware/runtime lacks ${lacking.join(', ')}` : ''}`, async () => {
    const cacheDir = join(root, 'cache');
    const built = await buildSketch({ projectDir: repo, cacheDir, environment: {} });
    expect(built.compiled).toBe(true);
    expect(built.sources).toEqual([join(repo, 'firmware', 'src', 'main.cpp')]);
    expect((await stat(built.executable)).mode & 0o111).not.toBe(0);
    expect((await buildSketch({ projectDir: repo, cacheDir, environment: {} })).compiled).toBe(false);
  }, 300_000);
});
