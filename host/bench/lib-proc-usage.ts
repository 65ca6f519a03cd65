/**
 * Bench helper: CPU time and RSS of processes from /proc (Linux), for the servers' and
 * clients' child processes that `process.cpuUsage()` does not see.
 */
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcUsage {
  /** utime + stime, ms. */
  cpuMs: number;
  rss: number;
}

/** The fields of /proc/PID/stat after the command name (Linux); undefined once it has exited. */
function procStat(pid: number | string): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** The children of `parent` (default this process: client workers, the emulator's SSE writers and its sketch app). */
export function childPids(parent = process.pid): number[] {
  return readdirSync('/proc').filter((n) => /^\d+$/.test(n) && Number(procStat(n)?.[1]) === parent).map(Number);
}

/** CPU time and RSS of `pids`. */
export function usageOf(pids: Iterable<number>): ProcUsage {
  const usage = { cpuMs: 0, rss: 0 };
  const tick = 1000 / 100; // USER_HZ
  for (const pid of pids) {
    const f = procStat(pid);
    if (!f) continue;
    usage.cpuMs += (Number(f[11]) + Number(f[12])) * tick; // utime + stime
    usage.rss += Number(f[21]) * 4096;
  }
  return usage;
}
