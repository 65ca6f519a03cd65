/**
 * `esp-sse discover` and the emulator's mDNS over real multicast, inside network namespaces
 * this file creates (mdns.md: multicast never leaves them). Two emulators (`esp-sse emulate
 * --host <veth address> --mdns-name …`) advertise in the "board" namespace; the compiled CLI
 * runs `discover` in the "cli" namespace, and avahi (an independent mDNS implementation) must
 * see the same boards, and see them leave when an emulator exits (the goodbye).
 *
 * Needs root (or CAP_SYS_ADMIN) for `ip netns`; without it the suite FAILS with
 * "NETWORK NAMESPACES UNAVAILABLE" rather than passing silently.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NetnsPair, PrivateAvahi, type Proc } from './discover-netns.js';

interface Emu {
  name: string;
  address: string;
  port: number;
  proc: Proc;
}

let pair: NetnsPair;
const emus: Emu[] = [];

/** `esp-sse emulate --host ADDRESS` in the board namespace; `name` undefined = no mDNS flag at all. */
async function startEmu(name: string | undefined, address: string, extra: string[] = []): Promise<Emu> {
  const args = ['emulate', '--host', address, '--http-port', '0', ...(name ? ['--mdns-name', name] : []), ...extra];
  const proc = pair.esp(pair.board, args, `emulate ${name ?? extra.join(' ')}`);
  const url = new RegExp(`serving http://${address.replace(/\./g, '\\.')}:(\\d+)/`);
  await proc.waitFor('the URL line', (p) => url.test(p.stderr));
  return { name: name ?? 'esp-sse', address, port: Number(url.exec(proc.stderr)![1]), proc };
}

let silent: Emu;

beforeAll(async () => {
  pair = NetnsPair.create();
  // esp-a is named; the second has no mDNS flag: on by default off loopback, with the
  // firmware's host name; a third with --no-mdns must stay invisible.
  emus.push(await startEmu('esp-a', pair.boardAddresses[0], ['--rfc2217-port', '0']), await startEmu(undefined, pair.boardAddresses[1]));
  silent = await startEmu(undefined, pair.boardAddresses[0], ['--no-mdns']);
  for (const e of emus) {
    // The sketch prints this after MDNS.begin() succeeded, as the firmware does.
    await e.proc.waitFor('the mDNS line', (p) => p.stdout.includes('mDNS responder started: esp-sse.local\nHTTP server started'));
  }
  await silent.proc.waitFor('the boot log', (p) => p.stdout.includes('HTTP server started'));
  // The firmware still runs MDNS.begin() and says so; --no-mdns keeps the emulator off the air.
  expect(silent.proc.stdout).toContain('mDNS responder started: esp-sse.local');
}, 240_000);

afterAll(async () => {
  await pair?.destroy();
});

describe('discover in a network namespace', () => {
  it('discover --json finds both emulators with host, address, port, TXT and version', async () => {
    const r = await pair.esp(pair.cli, ['discover', '--json', '--timeout', '5000']).result();
    expect(r.code, r.stderr).toBe(0);
    const boards = JSON.parse(r.stdout) as Array<Record<string, unknown>>;
    expect(boards.map((b) => b.name)).toEqual(['esp-a', 'esp-sse']);
    expect(boards.some((b) => b.port === silent.port)).toBe(false);
    for (const e of emus) {
      expect(boards.find((b) => b.name === e.name)).toEqual({
        name: e.name,
        host: `${e.name}.local`,
        addresses: [e.address],
        port: e.port,
        txt: { fw: 'esp-sse', version: '0.1.0', sse: '/sse' },
        version: '0.1.0',
        espSse: true,
      });
    }
  });

  it('the advertised address and port serve the page (fetched from the cli namespace)', async () => {
    const e = emus[1]!;
    const script = `const r = await fetch('http://${e.address}:${e.port}/'); const t = await r.text(); console.log(r.status, /<html/i.test(t));`;
    const r = await pair.spawn(pair.cli, [process.execPath, '--input-type=module', '-e', script], 'fetch').result();
    expect(r.stdout.trim()).toBe('200 true');
  });

  it('--name with --interface <name> stops at that board and prints the table', async () => {
    const r = await pair.esp(pair.cli, ['discover', '--name', 'esp-sse', '--interface', pair.cliIf, '--timeout', '20000']).result();
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+HOST\s+ADDRESS\s+PORT\s+VERSION$/);
    expect(lines.slice(1).map((l) => l.split(/\s+/))).toEqual([['esp-sse', 'esp-sse.local', emus[1]!.address, String(emus[1]!.port), '0.1.0']]);
  });

  it('after an EN reset the board runs MDNS.begin() again and is found again', async () => {
    const esp = emus[0]!;
    await esp.proc.waitFor('the serial port line', (p) => /^serial port rfc2217:\/\/\S+$/m.test(p.stderr));
    const port = /^serial port (rfc2217:\/\/\S+)$/m.exec(esp.proc.stderr)![1]!;
    // The sketch prints its own MDNS.begin() name; --mdns-name esp-a renames what is advertised.
    const before = esp.proc.stdout.split('mDNS responder started: esp-sse.local').length;
    const reset = await pair.esp(pair.board, ['monitor', '-p', port, '--reset', '--until', 'mDNS responder started: esp-sse\\.local', '--timeout', '60s']).result();
    expect(reset.code, reset.stderr).toBe(0);
    await esp.proc.waitFor('the second mDNS line', (p) => p.stdout.split('mDNS responder started: esp-sse.local').length > before);
    const r = await pair.esp(pair.cli, ['discover', '--name', 'esp-a', '--json', '--timeout', '20000']).result();
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as Array<{ name: string; port: number }>)).toMatchObject([{ name: 'esp-a', port: esp.port }]);
  });

  it('--name of a board that is not there exits 1 with discover.not-found', async () => {
    const r = await pair.esp(pair.cli, ['discover', '--name', 'esp-zz', '--timeout', '1500']).result();
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error[discover.not-found]');
  });

  it('avahi-browse sees both; an emulator that exits says goodbye, one that is killed stays cached', async () => {
    const avahi = await PrivateAvahi.start(pair);
    try {
      const seen = await avahi.browseUntil('both emulators resolved', (s) => emus.every((e) => s.some((x) => x.name === e.name)));
      for (const e of emus) {
        const s = seen.find((x) => x.name === e.name)!;
        expect(s).toMatchObject({ host: `${e.name}.local`, address: e.address, port: e.port });
        expect(s.txt.sort()).toEqual(['fw=esp-sse', 'sse=/sse', 'version=0.1.0']);
      }
      expect(seen.map((x) => x.name).sort()).toEqual(['esp-a', 'esp-sse']);
      // esp-a loses power (no goodbye); esp-sse is stopped with Ctrl+C (goodbye, TTL 0).
      await emus[0]!.proc.stop('SIGKILL');
      await emus[1]!.proc.stop('SIGINT');
      expect((await emus[1]!.proc.exited).code).toBe(0);
      const after = await avahi.browseUntil('esp-sse gone', (s) => !s.some((x) => x.name === 'esp-sse'));
      // Without a goodbye the record lives on in avahi's cache until its TTL runs out.
      expect(after.map((x) => x.name)).toContain('esp-a');
    } finally {
      await avahi.stop();
    }
  });
});
