/**
 * Soak helper: the abuse `soak.ts` runs in rotation, each run its own process. Two lanes run side
 * by side, each one kind at a time: HTTP (`soak-worker.ts`) and serial (the abuse tests' serial
 * client, `serialAbuser`). The board runs its app throughout (the normal clients need it), so
 * bytes on the serial ports reach the app's `Serial` at the wire's pace and a host that runs ahead
 * is paused; the loader's frame limit itself is what `serial-abuse.test.ts` checks.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serialAbuser } from '../test/abuse-peers.js';

const here = dirname(fileURLToPath(import.meta.url));
const MiB = 1024 * 1024;

export interface SoakPorts {
  http: number;
  socket: number;
  rfc2217: number;
}

/** One kind of abuse: runs of at most `slotS` seconds, and how its runs' outputs read together. */
interface AbuseKind {
  readonly name: string;
  readonly slotS: number;
  /** Ends on its own at the end of its slot (the HTTP workers); others are killed then. */
  readonly selfTimed?: boolean;
  start(seconds: number): { child: ChildProcess; output: Promise<string> };
  summary(outputs: string[]): string;
}

/** `soak-worker.ts KIND` for `seconds`: it prints one JSON line and exits. */
function worker(kind: string, port: number, seconds: number, peers = 0): { child: ChildProcess; output: Promise<string> } {
  const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'soak-worker.ts'), kind, String(port), String(seconds), String(peers)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  return { child, output: new Promise((resolve) => child.once('close', () => resolve(out.trim()))) };
}

/** Sums the workers' JSON reports field by field. */
function sums(outputs: string[]): Record<string, number> {
  const total: Record<string, number> = {};
  for (const o of outputs) for (const [k, v] of Object.entries(JSON.parse(o || '{}') as Record<string, number>)) total[k] = (total[k] ?? 0) + v;
  return total;
}

const floodSummary = (outputs: string[]): string => {
  const s = sums(outputs);
  return `${s.connections ?? 0} connections, ${s.reset ?? 0} reset, ${(s.sentMiB ?? 0).toFixed(0)} MiB written (what the kernel buffered included)`;
};

/** The abuse kinds of each lane, in rotation order. `silentPeers`: the board's slots the normal clients leave free. */
export function abuseLanes(ports: SoakPorts, silentPeers: number): AbuseKind[][] {
  const serial = (name: string, port: number, mode: 'push' | 'stream', total: number, prefix: string, suffix: string, summary: (outputs: string[]) => string, slotS = 10): AbuseKind => ({
    name,
    slotS,
    start: () => serialAbuser(mode, port, total, prefix, suffix, 3000),
    summary,
  });
  const killed = (outputs: string[]) => `${outputs.filter((o) => o === '').length} stopped at the end of their slot (paced at the wire, not swallowed)`;
  return [
    [
      { name: 'endless request line', slotS: 10, selfTimed: true, start: (s) => worker('request-line', ports.http, s), summary: floodSummary },
      { name: 'endless tiny headers', slotS: 10, selfTimed: true, start: (s) => worker('headers', ports.http, s), summary: floodSummary },
      {
        name: `${silentPeers} silent peers`,
        slotS: 25,
        selfTimed: true,
        start: (s) => worker('silent', ports.http, s, silentPeers),
        summary: (outputs) => {
          const s = sums(outputs);
          return `${s.peers ?? 0} peers, ${s.fin ?? 0} sent FIN by the emulator within their slot`;
        },
      },
    ],
    [
      serial('unterminated SLIP frame, socket://', ports.socket, 'stream', 32 * MiB, 'c0', '', killed),
      serial('endless RFC 2217 subnegotiation', ports.rfc2217, 'stream', 32 * MiB, 'fffa2c', 'fff0fffa2c010001c200fff0', (outputs) =>
        `SET-BAUDRATE after it answered in ${outputs.filter((o) => o.includes('fffa2c650001c200fff0')).length} of ${outputs.length}`, 20),
      serial('unterminated SLIP frame, rfc2217://', ports.rfc2217, 'stream', 32 * MiB, 'c0', '', killed),
      serial('64 MiB push and disconnect, socket://', ports.socket, 'push', 64 * MiB, '', '', (outputs) => {
        const took = outputs.map((o) => Number(/kernel-took=(\d+)/.exec(o)?.[1] ?? NaN) / MiB).filter(Number.isFinite);
        return `the kernel took ${took.map((t) => t.toFixed(1)).join(', ')} MiB of 64 before the disconnect`;
      }),
    ],
  ];
}

/** Runs a lane's kinds in rotation until `untilMs` (performance.now()). */
export class Lane {
  /** Each kind's outputs, of the runs that had their whole slot. */
  readonly outputs = new Map<AbuseKind, string[]>();
  /** Runs the end of the abuse segment cut short (not summarised). */
  readonly cut = new Map<AbuseKind, number>();
  private current = '';
  private ran = new Set<string>();
  private child: ChildProcess | undefined;
  private stopped = false;

  constructor(readonly kinds: AbuseKind[]) {}

  async run(untilMs: number): Promise<void> {
    for (let i = 0; ; i++) {
      const seconds = Math.min(this.kinds[i % this.kinds.length]!.slotS, (untilMs - performance.now()) / 1000);
      if (seconds < 1 || this.stopped) break;
      const kind = this.kinds[i % this.kinds.length]!;
      this.current = kind.name;
      this.ran.add(kind.name);
      const { child, output } = kind.start(Math.round(seconds));
      this.child = child;
      // A serial client streaming at the wire's pace would take hours: its slot ends it.
      const timer = setTimeout(() => child.kill('SIGKILL'), seconds * 1000 + (kind.selfTimed ? 5000 : 0));
      const out = await output;
      clearTimeout(timer);
      if (this.stopped) this.cut.set(kind, (this.cut.get(kind) ?? 0) + 1);
      else this.outputs.set(kind, [...(this.outputs.get(kind) ?? []), out]);
    }
    this.current = '';
  }

  /** The kinds that ran since the last call. */
  takeRan(): string[] {
    const ran = [...this.ran];
    this.ran = new Set(this.current ? [this.current] : []);
    return ran;
  }

  stop(): void {
    this.stopped = true;
    if (this.child?.exitCode === null) this.child.kill('SIGKILL');
  }
}
