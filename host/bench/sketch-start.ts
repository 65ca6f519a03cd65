/**
 * Sketch start benchmark: what the compiled sketch (`app: 'sketch'`, the default) costs before
 * and at the first byte, against the TypeScript model (`app: 'model'`) in the same run.
 *
 * 1. Cold build of the shipped sketch with fresh, temporary `cacheDir` and `runtimeCacheDir`
 *    (nothing reused): plan (hashing, the compiler's `--version`), compile and link, split by
 *    the build's status lines. The runtime and the sketch compile in one parallel batch, so the
 *    sketch alone is a second build into a fresh `cacheDir` with the runtime's objects cached;
 *    the runtime ≈ the difference. Then a cache hit (no compiler runs).
 * 2. Warm start: `node dist/cli/main.js emulate --http-port 0` as a child process, the build
 *    cache warm (one untimed start of each app first): spawn → the URL line on stderr, and
 *    spawn → the first HTTP reply (head of `GET /`) on that URL; median and max of N starts,
 *    the apps interleaved. Baselines: `--app model`, and `esp-sse --version` (Node and the
 *    CLI's imports, spawn → exit).
 * 3. `hello!` latency, one client at a time: an emulator in this process, a fanout-client
 *    process opening one `/sse` connection every 10 ms, each from the request written to
 *    `hello!` received (kernel receive time); p50/p99. Per round and app: the first N
 *    connections after the start ("just started"), then N more after `--warmup` connections
 *    ("running"): V8 compiles the per-connection code only after a few hundred connections.
 *    The apps take turns, `--rounds` times; the table gives the median of the rounds' figures.
 *
 * Targets: warm start (first reply) under 1 s, hello! p50 under 1 ms (a running emulator).
 *
 *   node --import tsx host/bench/sketch-start.ts [--starts 10] [--probes 300] [--warmup 600]
 *     [--rounds 3] [--skip-cold]
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { startEmulator, type AppKind } from '../src/emulator/index.js';
import { buildSketch } from '../src/emulator/native/index.js';
import { packageRoot } from '../src/emulator/package-root.js';
import { buildNative, probeFirstEvents } from './lib-native.js';
import { quantile } from './lib-stats.js';

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const starts = Number(arg('--starts') ?? 10);
const probes = Number(arg('--probes') ?? 300);
const warmup = Number(arg('--warmup') ?? 600);
const rounds = Number(arg('--rounds') ?? 3);
const target = { startMs: 1000, helloP50Ms: 1 };
const apps: AppKind[] = ['sketch', 'model'];
const cli = join(packageRoot(), 'dist', 'cli', 'main.js');

const ms = (x: number) => (Number.isFinite(x) ? (x >= 100 ? x.toFixed(0) : x.toFixed(2)) : '-');
const s1 = (x: number) => `${(x / 1000).toFixed(1)} s`;
const out = (line: string) => process.stdout.write(line + '\n');
const table = (rows: string[][]) => {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  for (const r of rows) out(r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));
};

/** One build, timed, with the time of each status line. */
async function timedBuild(cacheDir: string, runtimeCacheDir: string) {
  const marks: Array<{ line: string; at: number }> = [];
  const t0 = performance.now();
  const built = await buildSketch({ projectDir: packageRoot(), cacheDir, runtimeCacheDir, onStatus: (line) => marks.push({ line, at: performance.now() - t0 }) });
  const total = performance.now() - t0;
  const compileAt = marks.find((m) => m.line.startsWith('compiling'))?.at ?? NaN;
  const linkAt = marks.find((m) => m.line.startsWith('linking'))?.at ?? NaN;
  const files = marks.filter((m) => m.line.startsWith('compiling')).map((m) => m.line.replace(/^compiling (the emulator )?/, '').replace(/…$/, ''));
  return { total, plan: compileAt, compile: linkAt - compileAt, link: total - linkAt, files: files.join(' + '), compiled: built.compiled };
}

async function coldBuild(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'esp-sse-sketch-start-'));
  try {
    const runtime = join(root, 'runtime');
    const cold = await timedBuild(join(root, 'cold'), runtime);
    const sketch = await timedBuild(join(root, 'sketch'), runtime);
    const hit = await timedBuild(join(root, 'sketch'), runtime);
    out(`cold build of the shipped sketch (fresh cacheDir and runtimeCacheDir, ${availableParallelism()} compile jobs, load average ${loadavg()[0]!.toFixed(1)}):`);
    table([
      ['build', 'total', 'plan', 'compile', 'link'],
      [`cold: ${cold.files}`, s1(cold.total), `${ms(cold.plan)} ms`, s1(cold.compile), s1(cold.link)],
      [`sketch alone (runtime cached): ${sketch.files}`, s1(sketch.total), `${ms(sketch.plan)} ms`, s1(sketch.compile), s1(sketch.link)],
      ['runtime alone ≈ cold − sketch alone', s1(cold.total - sketch.total), '', '', ''],
      [`cache hit (${hit.compiled ? 'compiled: not a hit!' : 'no compiler runs'})`, `${ms(hit.total)} ms`, '', '', ''],
    ]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** Resolves with the head of `GET url` (status code), retrying while the port refuses. */
async function firstReply(url: string): Promise<number> {
  for (;;) {
    try {
      return await new Promise<number>((resolve, reject) => {
        const req = get(url, { agent: false }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
      });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ECONNREFUSED') throw e;
      await new Promise((r) => setTimeout(r, 5));
    }
  }
}

/** One `esp-sse emulate --http-port 0 [--app A]`: spawn → URL line, spawn → first reply; then SIGTERM. */
async function startOnce(app: AppKind): Promise<{ urlMs: number; replyMs: number }> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [cli, 'emulate', '--http-port', '0', '--app', app], { stdio: ['ignore', 'ignore', 'pipe'] });
  const closed = new Promise<number | null>((r) => child.once('close', r));
  try {
    let stderr = '';
    const url = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stderr }).on('line', (line) => {
        stderr += line + '\n';
        const m = / serving (http:\/\/\S+)/.exec(line);
        if (m) resolve(m[1]!);
      });
      void closed.then((code) => reject(new Error(`esp-sse emulate --app ${app} exited (${code}) before serving:\n${stderr}`)));
    });
    const urlMs = performance.now() - t0;
    const status = await firstReply(url);
    if (status !== 200) throw new Error(`GET ${url}: ${status}`);
    return { urlMs, replyMs: performance.now() - t0 };
  } finally {
    child.kill('SIGTERM');
    await closed;
  }
}

/** `esp-sse --version`: spawn → exit, Node and the CLI's imports (the floor of any start). */
async function versionOnce(): Promise<number> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [cli, '--version'], { stdio: 'ignore' });
  await new Promise((r) => child.once('close', r));
  return performance.now() - t0;
}

async function warmStart(): Promise<void> {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: npm run build (npm run bench does)`);
  for (const app of apps) await startOnce(app); // warms the build cache and the file cache
  const runs = new Map<string, Array<{ urlMs: number; replyMs: number }>>();
  for (let i = 0; i < starts; i++) {
    for (const app of apps) runs.set(app, [...(runs.get(app) ?? []), await startOnce(app)]);
    const v = await versionOnce();
    runs.set('version', [...(runs.get('version') ?? []), { urlMs: NaN, replyMs: v }]);
  }
  const p50 = (app: string, pick: (r: { urlMs: number; replyMs: number }) => number) => quantile(runs.get(app)!.map(pick), 0.5);
  const max = (app: string) => Math.max(...runs.get(app)!.map((r) => r.replyMs));
  const reply = (app: string) => p50(app, (r) => r.replyMs);
  const delta = (a: number, b: number) => `${a - b >= 0 ? '+' : ''}${ms(a - b)} ms`;
  out(`\nwarm start: node dist/cli/main.js emulate --http-port 0 → first HTTP reply, ${starts} starts each (load average ${loadavg()[0]!.toFixed(1)}); target < ${target.startMs} ms:`);
  table([
    ['command', 'URL line p50', 'reply p50', 'reply max', 'vs model p50', 'over --version p50', 'target'],
    ...apps.map((app) => [
      `emulate --app ${app}${app === 'model' ? ' (baseline)' : ''}`,
      `${ms(p50(app, (r) => r.urlMs))} ms`,
      `${ms(reply(app))} ms`,
      `${ms(max(app))} ms`,
      app === 'model' ? '' : delta(reply(app), reply('model')),
      delta(reply(app), reply('version')),
      max(app) < target.startMs ? 'met' : reply(app) < target.startMs ? 'p50 met, max not' : 'NOT met',
    ]),
    ['esp-sse --version (spawn → exit: Node + imports)', '', `${ms(reply('version'))} ms`, `${ms(max('version'))} ms`, '', '', ''],
  ]);
}

interface HelloFigures {
  p50: number;
  p99: number;
  max: number;
}

const figures = (lat: number[]): HelloFigures => ({ p50: quantile(lat, 0.5), p99: quantile(lat, 0.99), max: Math.max(...lat) });

/** One emulator: `probes` connections just after its start, then the same after `warmup` more. */
async function helloRound(bin: string, app: AppKind, everyMs: number): Promise<{ started: HelloFigures; running: HelloFigures }> {
  const emu = await startEmulator({ httpPort: 0, mdns: false, app });
  try {
    const started = figures(await probeFirstEvents(bin, emu.httpPort, probes * everyMs, everyMs));
    if (warmup > 0) await probeFirstEvents(bin, emu.httpPort, warmup * everyMs, everyMs);
    const running = figures(await probeFirstEvents(bin, emu.httpPort, probes * everyMs, everyMs));
    return { started, running };
  } finally {
    await emu.close();
  }
}

async function helloLatency(): Promise<void> {
  const bin = buildNative('fanout-client');
  const everyMs = 10;
  const runs = new Map<AppKind, Array<{ started: HelloFigures; running: HelloFigures }>>();
  for (let r = 0; r < rounds; r++) for (const app of apps) runs.set(app, [...(runs.get(app) ?? []), await helloRound(bin, app, everyMs)]);
  const median = (app: AppKind, phase: 'started' | 'running', pick: keyof HelloFigures) => quantile(runs.get(app)!.map((x) => x[phase][pick]), 0.5);
  const perRound = (app: AppKind, phase: 'started' | 'running') => runs.get(app)!.map((x) => ms(x[phase].p50)).join(' / ');
  const rows: string[][] = [['app', 'phase', 'p50', 'p99', 'max', 'p50 per round', 'target p50']];
  for (const phase of ['running', 'started'] as const) {
    for (const app of apps) {
      const p50 = median(app, phase, 'p50');
      const judged = phase === 'running' ? (p50 < target.helloP50Ms ? 'met' : 'NOT met') : '(not judged)';
      const label = phase === 'running' ? `running (after ${warmup} connections)` : `just started (first ${probes})`;
      rows.push([`${app}${app === 'model' ? ' (baseline)' : ''}`, label, `${ms(p50)} ms`, `${ms(median(app, phase, 'p99'))} ms`, `${ms(median(app, phase, 'max'))} ms`, perRound(app, phase), judged]);
    }
  }
  out(`\nhello! latency, one client every ${everyMs} ms, ${probes} connections a phase, median of ${rounds} rounds with the apps taking turns (request written → hello! received, kernel receive time; load average ${loadavg()[0]!.toFixed(1)}):`);
  table(rows);
  for (const phase of ['running', 'started'] as const) out(`sketch − model p50, ${phase}: ${ms(median('sketch', phase, 'p50') - median('model', phase, 'p50'))} ms`);
}

out(`sketch start: Node ${process.version}, ${availableParallelism()} cores, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}\n`);
if (!process.argv.includes('--skip-cold')) await coldBuild();
await warmStart();
await helloLatency();
