/**
 * `esp-sse hil --discover` finds the board over real mDNS and tests it. Multicast runs only
 * inside a network namespace this test makes (docs/mdns.md §3.2: `unshare --net`, loopback
 * up, the 224/4 route on lo), so nothing reaches the machine's network. Inside it, a compiled
 * emulator advertises as the firmware does, and the compiled CLI discovers it by name.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const dist = resolve(import.meta.dirname, '../../dist');
const main = `${dist}/cli/main.js`;

/** Runs in the namespace: an emulator with mDNS, then `hil --discover --name …`; exits with hil's code. */
const script = `
import { execFile } from 'node:child_process';
const { startEmulator } = await import(${JSON.stringify(`${dist}/emulator/index.js`)});
const emu = await startEmulator({ httpPort: 0, mdns: { hostname: 'esp-sse-hil' } });
const code = await new Promise((res) => {
  const c = execFile(process.execPath, [${JSON.stringify(main)}, 'hil', '--discover', '--name', 'esp-sse-hil', '--discover-timeout', '20000', '--window', '1000', '--json'], (err, stdout, stderr) => {
    process.stdout.write(stdout);
    process.stderr.write(stderr);
    res(err ? err.code : 0);
  });
});
await emu.close();
process.exit(code);
`;

function inNamespace(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((res) => {
    const sh = `ip link set lo up && ip route add 224.0.0.0/4 dev lo src 127.0.0.1 && exec "$0" --input-type=module -e "$1"`;
    const child = spawn('unshare', ['--net', 'sh', '-c', sh, process.execPath, script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      res({ code, stdout, stderr });
    });
  });
}

beforeAll(() => {
  if (!existsSync(main)) throw new Error(`${main} is missing: run \`npm run build\` first (npm test does)`);
});

describe('esp-sse hil --discover', () => {
  it('finds the board by its mDNS name and every HTTP check passes (inside a private network namespace)', async () => {
    const r = await inNamespace();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/found esp-sse-hil at http:\/\/127\.0\.0\.1:\d+\//);
    const report = JSON.parse(r.stdout) as { ok: boolean; target: { name?: string }; results: Array<{ status: string }> };
    expect(report.ok).toBe(true);
    expect(report.target.name).toBe('esp-sse-hil');
    expect(report.results.length).toBe(13);
  }, 150_000);
});
