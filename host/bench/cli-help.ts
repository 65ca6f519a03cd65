/**
 * CLI start benchmark: the CPU time of `esp-sse --help` and `esp-sse emulate --help` (and of
 * every other command's `--help`, the worst one reported) against `node -e 0` in the same run.
 * Each is a fresh `node dist/cli/main.js …` process; its CPU time (user + system, getrusage at
 * exit) comes from a one-line preload (lib-exit-cpu.cjs) that every run gets, the baseline
 * included. Runs are interleaved round by round so load on the machine hits all alike; the
 * median of N runs is compared (the verdict); the fastest run of each against the fastest baseline
 * is shown beside it, as the figure that other load on the machine disturbs least.
 *
 * Target: every `--help` within 1.5× the CPU time of `node -e 0`. A help prints the text stored
 * at build time (host/src/cli/stored-help.ts; host/test/stored-help.test.ts); the live help of
 * `flash` (commander and the command's module, never esptool-js, serialport or the emulator:
 * host/test/cli-lazy-load.test.ts) is measured beside it, not judged.
 *
 *   node --import tsx host/bench/cli-help.ts [--runs 20]
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const cli = join(root, 'dist', 'cli', 'main.js');
const preload = join(here, 'lib-exit-cpu.cjs');
const runsArg = process.argv.indexOf('--runs');
const runs = runsArg >= 0 ? Number(process.argv[runsArg + 1]) : 10;
const targetRatio = 1.5;

const out = (line: string) => process.stdout.write(line + '\n');
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const ms = (us: number) => `${(us / 1000).toFixed(1)} ms`;

/** One process: CPU time (µs) from the preload, and wall time (ms) spawn → exit. */
function once(args: string[], env: NodeJS.ProcessEnv = {}): { cpuUs: number; wallMs: number } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['-r', preload, ...args], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  const wallMs = performance.now() - t0;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status ?? r.signal}: ${r.stderr}`);
  const cpuUs = Number(String(r.output[3]).trim());
  if (!Number.isFinite(cpuUs) || cpuUs <= 0) throw new Error(`node ${args.join(' ')}: no CPU time reported`);
  return { cpuUs, wallMs };
}

if (!existsSync(cli)) throw new Error(`${cli} is missing: npm run build (npm run bench does)`);

/** The commands, from the root help's command list (so a new command is measured too). */
const helpText = spawnSync(process.execPath, [cli, '--help'], { encoding: 'utf8' }).stdout;
const commands = [...helpText.slice(helpText.indexOf('Commands:')).matchAll(/^ {2}([a-z][\w-]*)/gm)].map((m) => m[1]!).filter((c) => c !== 'help');

/** The live help of the heaviest command, for what the stored texts save (not judged). */
const live = 'esp-sse flash --help, live (ESP_SSE_LIVE_HELP=1)';
const cases: Array<{ name: string; args: string[]; env?: NodeJS.ProcessEnv }> = [
  { name: 'node -e 0 (baseline)', args: ['-e', '0'] },
  { name: 'esp-sse --help', args: [cli, '--help'] },
  { name: 'esp-sse --version', args: [cli, '--version'] },
  ...commands.map((c) => ({ name: `esp-sse ${c} --help`, args: [cli, c, '--help'] })),
  { name: live, args: [cli, 'flash', '--help'], env: { ESP_SSE_LIVE_HELP: '1' } },
];
const samples = new Map(cases.map((c) => [c.name, { cpu: [] as number[], wall: [] as number[] }]));
for (const c of cases) once(c.args, c.env); // file cache warm
for (let i = 0; i < runs; i++) {
  for (const c of cases) {
    const s = once(c.args, c.env);
    samples.get(c.name)!.cpu.push(s.cpuUs);
    samples.get(c.name)!.wall.push(s.wallMs);
  }
}

const base = median(samples.get(cases[0]!.name)!.cpu);
// The fastest run of each, against the fastest baseline: other load on the machine only adds
// CPU time (cache misses, migrations), so this ratio moves less with it than the medians'.
const baseMin = Math.min(...samples.get(cases[0]!.name)!.cpu);
const rows = cases.map((c) => {
  const s = samples.get(c.name)!;
  const cpu = median(s.cpu);
  const ratio = cpu / base;
  const minRatio = Math.min(...s.cpu) / baseMin;
  return { name: c.name, cpu, wall: median(s.wall), ratio, minRatio, met: !c.name.endsWith(' --help') || ratio <= targetRatio };
});
out(`CLI help: Node ${process.version}, ${availableParallelism()} cores, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}; median of ${runs} runs each, interleaved`);
const table = [['process', 'CPU p50', 'wall p50', 'CPU vs node -e 0', 'fastest vs fastest', `target ≤ ${targetRatio}× (p50)`]];
const shown = rows.filter((r) => ['node -e 0 (baseline)', 'esp-sse --help', 'esp-sse --version', 'esp-sse emulate --help', live].includes(r.name));
const worst = rows.filter((r) => r.name.endsWith(' --help') && r.name !== 'esp-sse --help').sort((a, b) => b.ratio - a.ratio)[0];
if (worst && !shown.includes(worst)) shown.push({ ...worst, name: `${worst.name} (the slowest command help)` });
for (const r of shown) table.push([r.name, ms(r.cpu), `${r.wall.toFixed(0)} ms`, `${r.ratio.toFixed(2)}×`, `${r.minRatio.toFixed(2)}×`, r.name === live ? 'not judged' : !r.name.includes(' --help') ? '' : r.met ? 'met' : 'NOT met']);
const widths = table[0]!.map((_, i) => Math.max(...table.map((r) => r[i]!.length)));
for (const r of table) out(r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));
const missed = rows.filter((r) => !r.met);
const helps = rows.filter((r) => r.name.endsWith(' --help'));
out(missed.length === 0 ? `every help within ${targetRatio}× (${helps.length} commands)` : `over ${targetRatio}×: ${missed.map((r) => `${r.name} ${r.ratio.toFixed(2)}×`).join(', ')}`);
