/**
 * `npm start` as the README's quick start runs it (issue 13): `npm start -- --http-port 0`
 * builds what changed and serves the emulator; SIGTERM to the npm process stops the emulator
 * and its sketch process and frees the port (npm hands the signal only to its `sh -c`, which
 * does not pass it on: host/scripts/start.mjs stops when its parent goes). The build is
 * incremental and keeps its build info in dist/, so a deleted dist/ is built again. How fast a
 * warm start is, is host/bench/npm-start.ts's to say.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { get } from 'node:http';
import { connect } from 'node:net';
import { relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it, onTestFinished } from 'vitest';

const root = resolve(import.meta.dirname, '../..');

/** pid → [ppid, command line] of every process (Linux /proc). */
function processes(): Map<number, [number, string]> {
  const all = new Map<number, [number, string]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'latin1');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      all.set(Number(name), [ppid, readFileSync(`/proc/${name}/cmdline`, 'latin1').replace(/\0/g, ' ').trim()]);
    } catch {
      // gone meanwhile
    }
  }
  return all;
}

/** The processes below `pid`, with their command lines. */
function descendants(pid: number): Array<{ pid: number; cmd: string }> {
  const all = processes();
  const found: Array<{ pid: number; cmd: string }> = [];
  const walk = (p: number): void => {
    for (const [child, [ppid, cmd]] of all) {
      if (ppid === p) {
        found.push({ pid: child, cmd });
        walk(child);
      }
    }
  };
  walk(pid);
  return found;
}

/** True while the process exists and is not a zombie. */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

function status(url: string): Promise<number> {
  return new Promise((res, rej) => get(url, { agent: false }, (r) => { r.resume(); res(r.statusCode ?? 0); }).on('error', rej));
}

function refused(port: number): Promise<boolean> {
  return new Promise((res) => {
    const s = connect(port, '127.0.0.1');
    s.on('connect', () => { s.destroy(); res(false); });
    s.on('error', (e: NodeJS.ErrnoException) => res(e.code === 'ECONNREFUSED'));
  });
}

describe('npm start', () => {
  it('serves the emulator; SIGTERM to npm stops it and its sketch, and frees the port', async () => {
    const npm = spawn('npm', ['start', '--', '--http-port', '0'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    const closed = new Promise<void>((res) => npm.on('close', () => res()));
    let below: Array<{ pid: number; cmd: string }> = [];
    onTestFinished(() => {
      for (const p of [...below, ...descendants(npm.pid!)]) if (alive(p.pid)) process.kill(p.pid, 'SIGKILL');
      if (npm.exitCode === null && npm.signalCode === null) npm.kill('SIGKILL');
    });
    let stderr = '';
    npm.stdout!.resume();
    const url = await new Promise<string>((res, rej) => {
      const timer = setTimeout(() => rej(new Error(`no URL line within 60 s: ${stderr}`)), 60_000);
      npm.stderr!.on('data', (b: Buffer) => {
        stderr += b.toString();
        const m = / serving (http:\/\/127\.0\.0\.1:\d+\/)/.exec(stderr);
        if (m) {
          clearTimeout(timer);
          res(m[1]!);
        }
      });
      void closed.then(() => rej(new Error(`npm start ended before serving: ${stderr}`)));
    });
    expect(await status(url)).toBe(200);
    below = descendants(npm.pid!);
    expect(below.map((p) => p.cmd)).toContainEqual(expect.stringMatching(/\/firmware$/)); // the compiled sketch runs

    npm.kill('SIGTERM');
    // 'close' comes once every process holding npm's pipes (the emulator and its sketch included) has let go.
    const orphans = new Promise<string>((res) => setTimeout(() => res(`still running 15 s after SIGTERM: ${below.filter((p) => alive(p.pid)).map((p) => p.cmd).join('; ')}`), 15_000).unref());
    expect(await Promise.race([closed.then(() => 'closed'), orphans])).toBe('closed');
    expect(await refused(Number(new URL(url).port))).toBe(true);
    expect(below.filter((p) => alive(p.pid))).toEqual([]);
  }, 90_000);

  it('builds incrementally, with the build info in dist/ (a deleted dist/ is built again)', () => {
    const file = resolve(root, 'tsconfig.build.json');
    const config = ts.getParsedCommandLineOfConfigFile(file, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(String(d.messageText)); } })!;
    const { incremental, outDir, tsBuildInfoFile } = config.options;
    expect(incremental).toBe(true);
    expect(relative(outDir!, tsBuildInfoFile!)).not.toMatch(/^\.\./);
    expect(JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')).files).toContain(`!${relative(root, tsBuildInfoFile!)}`);
  });
});
