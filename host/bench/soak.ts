/**
 * Soak (issue 14): `esp-sse emulate` in its own process (`dist/cli/main.js emulate --http-port 0
 * --rfc2217-port 0 --socket-port 0`, the compiled shipped sketch) with N normal SSE clients
 * attached, first for a baseline segment with no abuse, then for the same time under mixed abuse
 * in rotation, each from its own process (`lib-soak-abuse.ts`): endless request lines, endless
 * tiny headers, silent peers on every slot the normal clients leave free; on the serial ports
 * unterminated SLIP frames, an endless RFC 2217 subnegotiation and a 64 MiB push-and-disconnect.
 *
 * Every 10 s it prints the emulator's RSS and its sketch's (from /proc), the normal clients'
 * min / median events/s over the window and their worst single second, and the connects of
 * normal clients (the streams' reconnects and a probe per second: a new /sse that waits for
 * `hello!` up to 30 s, longer than the board keeps a silent peer's slot: 3 s + 20 s). At the
 * end, a verdict: RSS growth (max − start) against the 64 MB bound, the clients' rate against
 * the board's 50/s, and the baseline segment's figures beside the abuse segment's.
 *
 *   node --import tsx host/bench/soak.ts [--minutes 2] [--baseline-minutes M] [--clients 8]
 *   ESP_SSE_SOAK_MINUTES=10 npm run bench -- soak
 *
 * `--minutes` is the abuse segment (default 2, or ESP_SSE_SOAK_MINUTES); the baseline segment
 * before it lasts as long unless `--baseline-minutes` says otherwise.
 */
import { spawn } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { loopPeriodMs } from '../src/emulator/app/loop-scheduler.js';
import { packageRoot } from '../src/emulator/package-root.js';
import { boardMaxActiveTcp } from '../src/protocol/http-profiles.js';
import { abuseLanes, Lane, type SoakPorts } from './lib-soak-abuse.js';
import { NormalClients, type Attempt } from './lib-soak-clients.js';
import { childPids, usageOf } from './lib-proc-usage.js';

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const abuseS = 60 * Number(arg('--minutes') ?? process.env.ESP_SSE_SOAK_MINUTES ?? 2);
const baselineS = 60 * Number(arg('--baseline-minutes') ?? abuseS / 60);
const streams = Number(arg('--clients') ?? 8);
const windowS = 10;
const probeTimeoutMs = 30_000;
const boardRate = 1000 / loopPeriodMs;
const rssBound = 64 * 2 ** 20;
const MB = 2 ** 20;
const out = (line: string) => process.stdout.write(`${line}\n`);

// The emulator, as `esp-sse emulate` runs; its warnings are counted by code.
const cli = join(packageRoot(), 'dist', 'cli', 'main.js');
const emu = spawn(process.execPath, [cli, 'emulate', '--http-port', '0', '--rfc2217-port', '0', '--socket-port', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
const warnings = new Map<string, number>();
let exited: string | undefined;
let stopping = false;
process.on('exit', () => emu.kill('SIGKILL')); // a bench that dies must not leave the board running
const ports = await new Promise<SoakPorts>((resolve, reject) => {
  const found: Partial<SoakPorts> = {};
  createInterface({ input: emu.stderr }).on('line', (line) => {
    const w = /warning(?:\x1b\[\d+m)?\[([\w.-]+)\]/.exec(line);
    if (w) warnings.set(w[1]!, (warnings.get(w[1]!) ?? 0) + 1);
    const m = /serving http:\/\/[^:]+:(\d+)|serial port (socket|rfc2217):\/\/[^:]+:(\d+)/.exec(line);
    if (m?.[1]) found.http = Number(m[1]);
    else if (m?.[2]) found[m[2] as 'socket' | 'rfc2217'] = Number(m[3]);
    if (found.http && found.socket && found.rfc2217) resolve(found as SoakPorts);
  });
  emu.once('exit', (code, signal) => {
    if (stopping) return;
    exited = `the emulator exited (${code ?? signal})`;
    reject(new Error(exited));
  });
});
const emuPid = emu.pid!;

const clients = new NormalClients(ports.http, streams, probeTimeoutMs);
await clients.start();
clients.probeEvery(1000);

interface Sample {
  at: number;
  /** Taken by the 1 s sampler (not at a window's edge). */
  tick: boolean;
  emuRss: number;
  sketchRss: number;
  events: number[];
}
const samples: Sample[] = [];
const sample = (tick = false): Sample => {
  const s = { at: performance.now(), tick, emuRss: usageOf([emuPid]).rss, sketchRss: usageOf(childPids(emuPid)).rss, events: clients.events() };
  samples.push(s);
  return s;
};
const sampler = setInterval(() => sample(true), 1000);

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const median = (xs: number[]) => sorted(xs)[Math.floor(xs.length / 2)] ?? NaN;
const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '-');
const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '-');
const mb = (bytes: number) => `${(bytes / MB).toFixed(1)}`;

/** Per-client events/s between two samples. */
const rates = (a: Sample, b: Sample) => b.events.map((n, i) => ((n - a.events[i]!) * 1000) / (b.at - a.at));
/** The lowest per-client rate over any one-second step of the sampler between `from` and `to`. */
const worstSecond = (from: Sample, to: Sample) => {
  const span = samples.filter((s) => s.tick && s.at >= from.at && s.at <= to.at);
  return Math.min(...span.slice(1).map((s, i) => Math.min(...rates(span[i]!, s))));
};
/** Connects that ended (hello! or failure) in (from, to], and those still waiting at `to`. */
const connects = (from: number, to: number) => {
  const ended = (a: Attempt, t: number | undefined) => t !== undefined && t > from && t <= to;
  const ok = clients.attempts.filter((a) => ended(a, a.okAt));
  const waiting = clients.attempts.filter((a) => a.startedAt <= to && (a.okAt ?? a.failedAt ?? Infinity) > to);
  const waits = [...ok.map((a) => a.okAt! - a.startedAt), ...waiting.map((a) => to - a.startedAt)];
  return { ok: ok.length, failed: clients.attempts.filter((a) => ended(a, a.failedAt)).length, waiting: waiting.length, maxWait: Math.max(0, ...waits) };
};

const head = ['t s', 'segment', 'emu RSS MB', 'sketch RSS MB', 'rate min', 'rate p50', 'worst 1 s', 'connects ok', 'failed', 'waiting', 'max wait s', 'abuse in the window'];
const row = (cells: string[]) => out(cells.map((c, i) => (i === cells.length - 1 ? c : c.padStart(head[i]!.length))).join('  '));
const t0 = performance.now();

/** Runs one segment, printing a row every `windowS`; returns its first and last samples. */
async function segment(name: string, seconds: number, running: () => string): Promise<{ first: Sample; last: Sample }> {
  const first = sample();
  let from = first;
  const end = first.at + seconds * 1000;
  while (performance.now() < end - 100 && !exited) {
    await new Promise((r) => setTimeout(r, Math.min(windowS * 1000, end - performance.now())));
    const to = sample();
    const r = rates(from, to);
    const c = connects(from.at, to.at);
    row([f1((to.at - t0) / 1000), name, mb(to.emuRss), mb(to.sketchRss), f2(Math.min(...r)), f2(median(r)), f2(worstSecond(from, to)), String(c.ok), String(c.failed), String(c.waiting), f1(c.maxWait / 1000), running()]);
    from = to;
  }
  return { first, last: from };
}

out(`soak: esp-sse emulate (pid ${emuPid}, ports http ${ports.http}, socket ${ports.socket}, rfc2217 ${ports.rfc2217}), ${streams} normal SSE clients + 1 probe/s; baseline ${baselineS / 60} min, then abuse ${abuseS / 60} min; Node ${process.version}, ${availableParallelism()} cores, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
out(`(rate = events/s per normal client over the window; worst 1 s = the lowest any client had in one second; board ${f2(boardRate)}/s; RSS bound: growth < 64 MB)\n`);
row(head);
const base = await segment('baseline', baselineS, () => '');
const lanes = abuseLanes(ports, Math.max(1, boardMaxActiveTcp - streams)).map((kinds) => new Lane(kinds));
const abuseEnd = performance.now() + abuseS * 1000;
const laneRuns = Promise.all(lanes.map((l) => l.run(abuseEnd)));
const abused = await segment('abuse', abuseS, () => lanes.flatMap((l) => l.takeRan()).join(' + '));
lanes.forEach((l) => l.stop());
await laneRuns;
clearInterval(sampler);
clients.stop();

// The verdict: each segment's figures, the baseline first.
const growth = (from: Sample, to: Sample) => {
  const span = samples.filter((s) => s.at >= from.at && s.at <= to.at);
  return Math.max(...span.map((s) => s.emuRss + s.sketchRss)) - (from.emuRss + from.sketchRss);
};
const failed = new Map<string, string>();
out('\nsegment    rate min  rate p50  vs board  worst 1 s  connects ok/tried  longest wait  RSS growth (max − start)');
const summaries = [['baseline', base], ['abuse', abused]] as const;
for (const [name, s] of summaries) {
  const r = rates(s.first, s.last);
  const c = clients.attempts.filter((a) => a.startedAt >= s.first.at && a.startedAt < s.last.at && a.failure !== 'stopped');
  const ok = c.filter((a) => a.okAt !== undefined);
  const failures = new Map<string, number>();
  for (const a of c) if (a.failure) failures.set(a.failure, (failures.get(a.failure) ?? 0) + 1);
  failed.set(name, [...failures].map(([why, n]) => `${why} ×${n}`).join(', '));
  const longest = Math.max(0, ...ok.map((a) => a.okAt! - a.startedAt));
  out(`${name.padEnd(9)}  ${f2(Math.min(...r)).padStart(8)}  ${f2(median(r)).padStart(8)}  ${`${f1((median(r) / boardRate - 1) * 100)} %`.padStart(8)}  ${f2(worstSecond(s.first, s.last)).padStart(9)}  ${`${ok.length}/${c.length}`.padStart(17)}  ${`${f1(longest / 1000)} s`.padStart(12)}  ${mb(growth(s.first, s.last))} MB`);
}
for (const [name, why] of failed) if (why) out(`normal connects that failed, ${name}: ${why}${why.includes('reset') ? ' (reset: more than the board\'s 16 connections and 5 waiting, tcp-server.ts)' : ''}`);
out('\nabuse runs:');
for (const lane of lanes) for (const kind of lane.kinds) {
  const o = lane.outputs.get(kind) ?? [];
  const cut = lane.cut.get(kind) ? ` (+${lane.cut.get(kind)} cut short by the end)` : '';
  out(`  ${kind.name}: ${o.length} run(s)${cut}${o.length ? `; ${kind.summary(o)}` : ''}`);
}
out(`emulator warnings (lines, rate-limited per code): ${[...warnings].map(([code, n]) => `${code} ×${n}`).join(', ') || 'none'}`);

const whole = growth(base.first, abused.last);
const r = rates(abused.first, abused.last);
const baseR = rates(base.first, base.last);
stopping = true;
emu.kill('SIGTERM');
await new Promise((resolve) => (emu.exitCode !== null ? resolve(null) : emu.once('exit', resolve)));
out(`\nverdict: ${exited ? `${exited.toUpperCase()} during the run; ` : 'the emulator stayed up; '}RSS growth (max − start, emulator + sketch) ${mb(whole)} MB ${whole < rssBound ? '<' : '≥'} 64 MB: ${whole < rssBound ? 'within the bound' : 'OVER the bound'}; normal clients under abuse ${f2(Math.min(...r))} min / ${f2(median(r))} p50 events/s against the board's ${f2(boardRate)} (baseline, same clients without abuse: ${f2(Math.min(...baseR))} / ${f2(median(baseR))}); load average now ${loadavg()[0]!.toFixed(1)}`);
if (exited) process.exitCode = 1;
