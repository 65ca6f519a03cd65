/**
 * Test fixtures for real multicast without touching the machine's network (docs/mdns.md §3.1
 * and §3.3): two network namespaces joined by a veth pair — "board" with two
 * addresses (one per emulator) and "cli" for the querier — plus a private D-Bus and an
 * avahi-daemon confined to the cli namespace, as the independent mDNS client. Everything is
 * created per test file and removed afterwards; nothing is sent outside the namespaces.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { cliMain, Proc, waitMs } from './monitor-helpers.js';

export { Proc };

function ip(args: string[]): void {
  const r = spawnSync('ip', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ip ${args.join(' ')} failed: ${(r.stderr || r.error?.message || '').trim()}`);
}

let counter = 0;

/**
 * The "board" and "cli" namespaces joined by veth, each with a 224.0.0.0/4 route on its veth.
 * Board addresses: 10.53.0.1 and 10.53.0.3; cli address: 10.53.0.2.
 */
export class NetnsPair {
  readonly board: string;
  readonly cli: string;
  readonly boardIf: string;
  readonly cliIf: string;
  readonly boardAddresses = ['10.53.0.1', '10.53.0.3'] as const;
  readonly cliAddress = '10.53.0.2';
  private readonly procs: Proc[] = [];

  private constructor() {
    const id = `${process.pid % 100000}${counter++}`;
    this.board = `espsse-b${id}`;
    this.cli = `espsse-c${id}`;
    // Interface names are limited to 15 characters.
    this.boardIf = `esb${id}`.slice(0, 15);
    this.cliIf = `esc${id}`.slice(0, 15);
  }

  /**
   * Creates both namespaces. Throws an error that says so by name when namespaces cannot be
   * created (no root / CAP_SYS_ADMIN): these tests must fail visibly there, never pass silently.
   */
  static create(): NetnsPair {
    const pair = new NetnsPair();
    try {
      ip(['netns', 'add', pair.board]);
    } catch (e) {
      throw new Error(
        `NETWORK NAMESPACES UNAVAILABLE: the discovery tests need to create network namespaces (root or CAP_SYS_ADMIN) and could not: ${(e as Error).message}`,
      );
    }
    try {
      ip(['netns', 'add', pair.cli]);
      ip(['link', 'add', pair.boardIf, 'type', 'veth', 'peer', 'name', pair.cliIf]);
      ip(['link', 'set', pair.boardIf, 'netns', pair.board]);
      ip(['link', 'set', pair.cliIf, 'netns', pair.cli]);
      for (const a of pair.boardAddresses) ip(['-n', pair.board, 'addr', 'add', `${a}/24`, 'dev', pair.boardIf]);
      ip(['-n', pair.cli, 'addr', 'add', `${pair.cliAddress}/24`, 'dev', pair.cliIf]);
      for (const [ns, dev] of [[pair.board, pair.boardIf], [pair.cli, pair.cliIf]] as const) {
        ip(['-n', ns, 'link', 'set', 'lo', 'up']);
        ip(['-n', ns, 'link', 'set', dev, 'up']);
        ip(['-n', ns, 'route', 'add', '224.0.0.0/4', 'dev', dev]);
      }
    } catch (e) {
      pair.destroyNamespaces();
      throw e;
    }
    return pair;
  }

  /** Spawns `argv` inside namespace `ns` (`ip netns exec`, which execs, so signals reach the program). */
  spawn(ns: string, argv: string[], label: string, env: NodeJS.ProcessEnv = process.env): Proc {
    const p = new Proc(spawn('ip', ['netns', 'exec', ns, ...argv], { stdio: ['ignore', 'pipe', 'pipe'], env }), label);
    this.procs.push(p);
    return p;
  }

  /** Runs the compiled `esp-sse` CLI inside `ns`. */
  esp(ns: string, args: string[], label = `esp-sse ${args[0]}`): Proc {
    // NO_COLOR: the tests read `warning[code]` as plain text; picocolors colours it when CI is set.
    return this.spawn(ns, [process.execPath, cliMain, ...args], label, { ...process.env, NO_COLOR: '1' });
  }

  /** Kills whatever is still running, then deletes both namespaces (the veth goes with them). */
  async destroy(): Promise<void> {
    await Promise.all(this.procs.map((p) => p.stop('SIGKILL')));
    this.destroyNamespaces();
  }

  private destroyNamespaces(): void {
    for (const ns of [this.board, this.cli]) spawnSync('ip', ['netns', 'del', ns]);
  }
}

/** One resolved `avahi-browse -p` line (`=;iface;proto;name;type;domain;host;address;port;txt…`). */
export interface AvahiService {
  name: string;
  host: string;
  address: string;
  port: number;
  txt: string[];
}

export function parseAvahiBrowse(out: string): AvahiService[] {
  return out
    .split('\n')
    .filter((l) => l.startsWith('=;'))
    .map((l) => {
      const f = l.split(';');
      const txt = [...(f.slice(9).join(';').matchAll(/"((?:[^"\\]|\\.)*)"/g))].map((m) => m[1]!);
      return { name: f[3]!, host: f[6]!, address: f[7]!, port: Number(f[8]), txt };
    });
}

/**
 * A private system bus (in a temp folder, found through DBUS_SYSTEM_BUS_ADDRESS) and an
 * avahi-daemon in the cli namespace, listening only on its veth. avahi gets its own /run
 * (a tmpfs in a private mount namespace) so it never meets another avahi's pid file.
 */
export class PrivateAvahi {
  private constructor(
    private readonly pair: NetnsPair,
    private readonly dir: string,
    private readonly env: NodeJS.ProcessEnv,
    private readonly bus: Proc,
    private readonly daemon: Proc,
  ) {}

  static async start(pair: NetnsPair): Promise<PrivateAvahi> {
    const dir = mkdtempSync(join(tmpdir(), 'espsse-avahi-'));
    const busPath = join(dir, 'bus');
    writeFileSync(
      join(dir, 'bus.conf'),
      `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig><type>system</type><listen>unix:path=${busPath}</listen><auth>EXTERNAL</auth>
<policy context="default"><allow user="*"/><allow own="*"/>
<allow send_type="method_call"/><allow send_type="signal"/><allow send_type="method_return"/><allow send_type="error"/>
<allow receive_type="method_call"/><allow receive_type="signal"/><allow receive_type="method_return"/><allow receive_type="error"/>
</policy></busconfig>\n`,
    );
    writeFileSync(
      join(dir, 'avahi.conf'),
      `[server]\nuse-ipv4=yes\nuse-ipv6=no\nallow-interfaces=${pair.cliIf}\nenable-dbus=yes\n[wide-area]\nenable-wide-area=no\n`
        + `[publish]\npublish-addresses=no\npublish-hinfo=no\npublish-workstation=no\npublish-domain=no\n`,
    );
    const env = { ...process.env, DBUS_SYSTEM_BUS_ADDRESS: `unix:path=${busPath}` };
    const bus = new Proc(
      spawn('dbus-daemon', ['--config-file', join(dir, 'bus.conf'), '--nofork', '--print-address'], { stdio: ['ignore', 'pipe', 'pipe'] }),
      'dbus-daemon',
    );
    await bus.waitFor('the bus address', (p) => p.stdout.includes(busPath));
    const daemon = pair.spawn(
      pair.cli,
      ['unshare', '-m', 'sh', '-c', `mount -t tmpfs none /run && exec avahi-daemon -f '${join(dir, 'avahi.conf')}' --no-chroot --no-rlimits --no-drop-root`],
      'avahi-daemon',
      env,
    );
    await daemon.waitFor('startup', (p) => /Server startup complete/.test(p.stderr + p.stdout));
    return new PrivateAvahi(pair, dir, env, bus, daemon);
  }

  /** One `avahi-browse -rtp _http._tcp` run in the cli namespace (dumps the cache, resolves, exits). */
  async browse(): Promise<AvahiService[]> {
    const r = await this.pair.spawn(this.pair.cli, ['avahi-browse', '-rtp', '_http._tcp'], 'avahi-browse', this.env).result();
    if (r.code !== 0) throw new Error(`avahi-browse exited ${r.code}: ${r.stderr}`);
    return parseAvahiBrowse(r.stdout);
  }

  /** Browses until `pred` holds for the list (each run is an event; no fixed sleeps). */
  async browseUntil(what: string, pred: (s: AvahiService[]) => boolean): Promise<AvahiService[]> {
    const deadline = Date.now() + waitMs;
    let last: AvahiService[] = [];
    while (Date.now() < deadline) {
      last = await this.browse();
      if (pred(last)) return last;
    }
    throw new Error(`avahi-browse never showed ${what}; last: ${JSON.stringify(last)}`);
  }

  async stop(): Promise<void> {
    await this.daemon.stop('SIGTERM');
    await this.bus.stop('SIGTERM');
    rmSync(this.dir, { recursive: true, force: true });
  }
}
