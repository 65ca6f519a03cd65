/**
 * `esp-sse discover` when UDP 5353 cannot be bound (mdns.md §4 step 1): another program in the
 * querier's namespace holds 0.0.0.0:5353 without SO_REUSEADDR, so discover falls back to a
 * one-shot socket on an ephemeral port, warns `discover.port-5353-busy`, and still finds the
 * emulator, which answers such legacy-unicast queries by unicast as ESP-IDF does. With 5353
 * held, a board's multicast answers (to port 5353) cannot reach discover at all, so finding the
 * board proves both the emulator's unicast reply and discover's collecting of it.
 *
 * Runs in the two network namespaces of discover-netns.ts ("board" with the emulator, "cli"
 * with the blocker and the querier); multicast never leaves them. Needs root (or CAP_SYS_ADMIN);
 * without it the suite FAILS with "NETWORK NAMESPACES UNAVAILABLE".
 */
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NetnsPair, type Proc } from './discover-netns.js';
import { cliEnv, cliMain } from './monitor-helpers.js';

const dist = resolve(import.meta.dirname, '../../dist');
const name = 'esp-busy';
const busyCode = 'discover.port-5353-busy';

let pair: NetnsPair;
let emu: { address: string; port: number; proc: Proc };

/** Runs the compiled CLI in the cli namespace, without colours. */
function discover(args: string[]) {
  return pair.spawn(pair.cli, [process.execPath, cliMain, 'discover', ...args], `discover ${args.join(' ')}`, cliEnv()).result();
}

/** `browseBoards` from the compiled library in the cli namespace; prints its result and warnings as JSON. */
async function browseFromLibrary(): Promise<{ mode: string; boards: Array<{ name: string; port: number; addresses: string[] }>; warnings: string[][] }> {
  const script = `
const { discovery } = await import(${JSON.stringify(`${dist}/index.js`)});
const warnings = [];
const r = await discovery.browseBoards({ timeoutMs: 20000, name: ${JSON.stringify(name)}, interface: ${JSON.stringify(pair.cliAddress)}, onWarning: (...w) => warnings.push(w) });
console.log(JSON.stringify({ mode: r.mode, boards: r.boards.map((b) => ({ name: b.name, port: b.port, addresses: b.addresses })), warnings }));
`;
  const r = await pair.spawn(pair.cli, [process.execPath, '--input-type=module', '-e', script], 'browseBoards').result();
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

/** Holds 0.0.0.0:5353 in the cli namespace the way an exclusive mDNS daemon does: no SO_REUSEADDR. */
async function occupy5353(): Promise<Proc> {
  const script = `const s = require('node:dgram').createSocket({ type: 'udp4', reuseAddr: false }); s.bind(5353, '0.0.0.0', () => console.log('bound ' + s.address().port));`;
  const p = pair.spawn(pair.cli, [process.execPath, '-e', script], 'blocker');
  await p.waitFor('the blocker to hold 5353', (x) => x.stdout.includes('bound 5353'));
  return p;
}

function expectBoard(boards: Array<Record<string, unknown>>): void {
  expect(boards).toEqual([
    {
      name,
      host: `${name}.local`,
      addresses: [emu.address],
      port: emu.port,
      txt: { fw: 'esp-sse', version: '0.1.0', sse: '/sse' },
      version: '0.1.0',
      espSse: true,
    },
  ]);
}

beforeAll(async () => {
  pair = NetnsPair.create();
  const address = pair.boardAddresses[0];
  const proc = pair.esp(pair.board, ['emulate', '--host', address, '--http-port', '0', '--mdns-name', name], `emulate ${name}`);
  const url = new RegExp(`serving http://${address.replace(/\./g, '\\.')}:(\\d+)/`);
  await proc.waitFor('the URL line', (p) => url.test(p.stderr));
  await proc.waitFor('the mDNS line', (p) => p.stdout.includes('mDNS responder started: esp-sse.local'));
  emu = { address, port: Number(url.exec(proc.stderr)![1]), proc };
}, 240_000);

afterAll(async () => {
  await pair?.destroy();
});

describe('discover with UDP 5353 free', () => {
  it('queries from 5353 and prints no warning', async () => {
    const r = await discover(['--json', '--timeout', '5000']);
    expect(r.code, r.stderr).toBe(0);
    expectBoard(JSON.parse(r.stdout));
    expect(r.stderr).not.toContain(busyCode);
    expect(r.stderr).not.toContain('warning');
  });

  it('browseBoards reports mode "multicast" and no warning', async () => {
    const r = await browseFromLibrary();
    expect(r).toEqual({ mode: 'multicast', boards: [{ name, port: emu.port, addresses: [emu.address] }], warnings: [] });
  });
});

describe('discover with UDP 5353 held exclusively by another program', () => {
  let blocker: Proc;
  beforeAll(async () => {
    blocker = await occupy5353();
  });
  afterAll(async () => {
    await blocker?.stop('SIGKILL');
  });

  it('falls back to a one-shot socket, warns once with the hint, and finds the board by its unicast answer', async () => {
    const r = await discover(['--json', '--timeout', '5000']);
    expect(r.code, r.stderr).toBe(0);
    expectBoard(JSON.parse(r.stdout));
    const lines = r.stderr.split('\n');
    const warnings = lines.filter((l) => l.startsWith('warning['));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^warning\[discover\.port-5353-busy\]: UDP port 5353 cannot be bound \(EADDRINUSE/);
    const hint = lines[lines.indexOf(warnings[0]!) + 1]!;
    expect(hint).toMatch(/^ {2}hint: .*legacy unicast.*ESP-IDF.*avahi.*not bonjour/);
    expect(blocker.running).toBe(true);
  });

  it('browseBoards (pinned with an interface) reports mode "one-shot" and passes the warning with its hint', async () => {
    const r = await browseFromLibrary();
    expect(r.mode).toBe('one-shot');
    expect(r.boards).toEqual([{ name, port: emu.port, addresses: [emu.address] }]);
    expect(r.warnings.map((w) => w[0])).toEqual([busyCode]);
    expect(r.warnings[0]![2]).toMatch(/legacy unicast/);
  });
});
