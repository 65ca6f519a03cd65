/**
 * `npm start` benchmark (issue 13): how long the README's quick start takes to a listening
 * emulator when nothing changed, and what it costs on top of the emulator itself.
 *
 * 1. Warm start: `npm start -- --http-port 0` (host/scripts/start.mjs: `tsc -b`, then the
 *    emulator in the same process), spawn → the URL line and spawn → the first HTTP reply
 *    (`GET /`), the sketch's build cache and dist/ up to date (one untimed start first); then
 *    SIGTERM to npm → every process gone (npm's pipes closed). Baselines in the same run,
 *    interleaved: `node dist/cli/main.js emulate --http-port 0` (no npm, no build check) and the
 *    build check alone (`tsc -b tsconfig.build.json` with nothing to do).
 * 2. The first build, as before: `tsc -b` in a temporary copy of the sources (node_modules
 *    linked), then again with nothing changed, then after deleting its dist/ (built again, not
 *    taken as up to date). Skipped with --skip-cold.
 *
 * Target: warm start (first reply) under 2 s.
 *
 *   node --import tsx host/bench/npm-start.ts [--starts 5] [--skip-cold]
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { get } from 'node:http';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { quantile } from './lib-stats.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(root, 'dist', 'cli', 'main.js');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const starts = Number(arg('--starts') ?? 5);
const targetMs = 2000;

const out = (line: string) => process.stdout.write(line + '\n');
const ms = (x: number) => (Number.isFinite(x) ? `${x.toFixed(0)} ms` : '-');
const table = (rows: string[][]) => {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  for (const r of rows) out(r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));
};

/** Resolves with the status of `GET url`, retrying while the port refuses. */
async function firstReply(url: string): Promise<number> {
  for (;;) {
    try {
      return await new Promise<number>((resolve, reject) => {
        get(url, { agent: false }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        }).on('error', reject);
      });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ECONNREFUSED') throw e;
      await new Promise((r) => setTimeout(r, 5));
    }
  }
}

interface Start { urlMs: number; replyMs: number; stopMs: number }

/** One start of `child` (an emulator behind npm or not): spawn → URL line → first reply; then SIGTERM → all pipes closed. */
async function timeStart(what: string, child: ChildProcess, t0: number): Promise<Start> {
  const closed = new Promise<void>((r) => child.once('close', () => r()));
  try {
    let stderr = '';
    child.stdout!.resume();
    const url = await new Promise<string>((resolve, reject) => {
      child.stderr!.on('data', (b: Buffer) => {
        stderr += b.toString();
        const m = / serving (http:\/\/\S+)/.exec(stderr);
        if (m) resolve(m[1]!);
      });
      void closed.then(() => reject(new Error(`${what} ended before serving:\n${stderr}`)));
    });
    const urlMs = performance.now() - t0;
    const status = await firstReply(url);
    if (status !== 200) throw new Error(`${what}: GET ${url} → ${status}`);
    const replyMs = performance.now() - t0;
    const t1 = performance.now();
    child.kill('SIGTERM');
    await closed;
    return { urlMs, replyMs, stopMs: performance.now() - t1 };
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

const npmStart = () => {
  const t0 = performance.now();
  return timeStart('npm start', spawn('npm', ['start', '--', '--http-port', '0'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] }), t0);
};
const emulate = () => {
  const t0 = performance.now();
  return timeStart('esp-sse emulate', spawn(process.execPath, [cli, 'emulate', '--http-port', '0'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] }), t0);
};
/** `tsc -b` in `dir`: wall time and whether it wrote dist/cli/main.js. */
function buildCheck(dir: string): { ms: number; ok: boolean } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [tsc, '-b', 'tsconfig.build.json'], { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tsc -b in ${dir} exited ${r.status ?? r.signal}:\n${r.stdout}${r.stderr}`);
  return { ms: performance.now() - t0, ok: existsSync(join(dir, 'dist', 'cli', 'main.js')) };
}

async function warm(): Promise<void> {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: npm run build (npm run bench does)`);
  await npmStart(); // the sketch's build cache and dist/ up to date, files cached
  const rows = { npm: [] as Start[], emulate: [] as Start[], build: [] as number[] };
  for (let i = 0; i < starts; i++) {
    rows.npm.push(await npmStart());
    rows.emulate.push(await emulate());
    rows.build.push(buildCheck(root).ms);
  }
  const p50 = (xs: Start[], k: keyof Start) => quantile(xs.map((x) => x[k]), 0.5);
  const max = (xs: Start[], k: keyof Start) => Math.max(...xs.map((x) => x[k]));
  out(`warm start, nothing changed: ${starts} starts each, interleaved (load average ${loadavg()[0]!.toFixed(1)}); target < ${targetMs} ms to the first reply:`);
  table([
    ['command', 'URL line p50', 'reply p50', 'reply max', 'over emulate p50', 'SIGTERM → all gone p50', 'target'],
    ['npm start -- --http-port 0', ms(p50(rows.npm, 'urlMs')), ms(p50(rows.npm, 'replyMs')), ms(max(rows.npm, 'replyMs')),
      `+${ms(p50(rows.npm, 'replyMs') - p50(rows.emulate, 'replyMs'))}`, ms(p50(rows.npm, 'stopMs')),
      max(rows.npm, 'replyMs') < targetMs ? 'met' : p50(rows.npm, 'replyMs') < targetMs ? 'p50 met, max not' : 'NOT met'],
    ['node dist/cli/main.js emulate (baseline)', ms(p50(rows.emulate, 'urlMs')), ms(p50(rows.emulate, 'replyMs')), ms(max(rows.emulate, 'replyMs')), '', ms(p50(rows.emulate, 'stopMs')), ''],
    ['tsc -b tsconfig.build.json, nothing to do', '', ms(quantile(rows.build, 0.5)), ms(Math.max(...rows.build)), '', '', ''],
  ]);
}

function cold(): void {
  const dir = mkdtempSync(join(tmpdir(), 'esp-sse-npm-start-'));
  try {
    for (const f of ['package.json', 'tsconfig.json', 'tsconfig.build.json', 'host/src']) cpSync(join(root, f), join(dir, f), { recursive: true });
    symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
    const first = buildCheck(dir);
    const again = buildCheck(dir);
    rmSync(join(dir, 'dist'), { recursive: true, force: true });
    const rebuilt = buildCheck(dir);
    out(`\nthe build in a copy of the sources (${availableParallelism()} cores, load average ${loadavg()[0]!.toFixed(1)}):`);
    table([
      ['tsc -b tsconfig.build.json', 'wall', 'dist/cli/main.js'],
      ['first build (no dist/)', ms(first.ms), first.ok ? 'written' : 'MISSING'],
      ['again, nothing changed', ms(again.ms), again.ok ? 'present' : 'MISSING'],
      ['after rm -r dist/', ms(rebuilt.ms), rebuilt.ok ? 'written again' : 'MISSING (taken as up to date)'],
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

out(`npm start: Node ${process.version}, ${availableParallelism()} cores, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}\n`);
await warm();
if (!process.argv.includes('--skip-cold')) cold();
