/**
 * A default `esp-sse emulate` (HTTP on 127.0.0.1, no mDNS flag) answers mDNS on loopback only,
 * and a default `esp-sse discover` on the same machine finds it (docs/mdns.md §3.1). Inside the
 * network namespaces this file creates (NetnsPair), the "board" namespace plays a developer's
 * machine: loopback, and a network card (its veth) where the kernel's multicast route leads, as
 * eth0 does on a LAN host. The "cli" namespace plays the LAN behind that card: a packet socket
 * there records every frame the machine sends. Markers (UDP datagrams to port 9, sent from the
 * machine after each step has finished) cut the capture into steps; frames of one sender over
 * one veth arrive in order, so a step's frames all come before its marker.
 *
 * Needs root (or CAP_SYS_ADMIN) for `ip netns` and python3 for the capture; without them the
 * suite FAILS rather than passing silently.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NetnsPair, type Proc } from './discover-netns.js';

/** Every frame on the interface, one JSON line each: IPv4/IPv6 with protocol and UDP ports, the DNS QR bit, a marker's text. */
const captureScript = `
import json, socket, struct, sys
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
s.bind((sys.argv[1], 0))
print('capturing', flush=True)
while True:
    f = s.recv(65535)
    ether = struct.unpack('!H', f[12:14])[0]
    fr = {'ether': ether}
    l4 = None
    if ether == 0x0800:
        fr.update(proto=f[23], src=socket.inet_ntoa(f[26:30]), dst=socket.inet_ntoa(f[30:34]))
        l4 = 14 + (f[14] & 15) * 4
    elif ether == 0x86dd:
        fr.update(proto=f[20], src=socket.inet_ntop(socket.AF_INET6, f[22:38]), dst=socket.inet_ntop(socket.AF_INET6, f[38:54]))
        l4 = 54
    if l4 is not None and fr['proto'] == 17:
        sport, dport = struct.unpack('!HH', f[l4:l4 + 4])
        body = f[l4 + 8:]
        fr.update(sport=sport, dport=dport, qr=(body[2] >> 7) if len(body) > 2 else None)
        if dport == 9:
            fr['text'] = body.decode('latin1')
    print(json.dumps(fr), flush=True)
`;

interface Frame {
  ether: number;
  proto?: number;
  src?: string;
  dst?: string;
  sport?: number;
  dport?: number;
  qr?: number | null;
  text?: string;
}

const group = '224.0.0.251';

let pair: NetnsPair;
let capture: Proc;
let emu: Proc;
let emuPort: number;

/** Node, in `ns`, running `script` (CommonJS; dns-packet resolves from the repository). */
function node(ns: string, script: string, label: string): Proc {
  return pair.spawn(ns, [process.execPath, '-e', script], label);
}

/** Sends marker `tag` from the machine to the LAN (cli address, port 9). */
const markerCode = (tag: string): string => `
  const m = require('node:dgram').createSocket('udp4');
  m.send('${tag}', 9, '${pair.cliAddress}', () => { m.close(); console.log('marker ${tag} sent'); });`;

async function marker(tag: string): Promise<void> {
  const r = await node(pair.board, markerCode(tag), `marker ${tag}`).result();
  expect(r.code, r.stderr).toBe(0);
}

const captured = (): Frame[] => capture.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Frame);

let stepStart = 0;
/** The frames the machine sent on its network card since the last step, once marker `tag` has arrived. */
async function machineFramesUntil(tag: string): Promise<{ machine: Frame[]; all: Frame[] }> {
  await capture.waitFor(`marker ${tag}`, () => captured().some((f) => f.text === tag));
  const frames = captured();
  const end = frames.findIndex((f) => f.text === tag);
  const all = frames.slice(stepStart, end);
  stepStart = end + 1;
  // Every IPv4 frame and every IPv6 UDP datagram not sent by the LAN (ARP and the kernel's
  // IPv6 neighbour and router messages on a new link carry no mDNS).
  const machine = all.filter((f) => f.src !== undefined && f.src !== pair.cliAddress && (f.ether === 0x0800 || f.proto === 17));
  return { all, machine };
}

/**
 * Listens to the group on loopback (as another mDNS program on the machine would) until `count`
 * responses from 127.0.0.1 carry the `_http._tcp` PTR with a TTL that `ttl` accepts, then sends
 * marker `tag`.
 */
function loopbackWatcher(count: number, ttl: 'live' | 'goodbye', tag: string): Proc {
  return node(pair.board, `
    const packet = require('dns-packet');
    const s = require('node:dgram').createSocket({ type: 'udp4', reuseAddr: true });
    let n = 0;
    s.on('message', (m, r) => {
      let p;
      try { p = packet.decode(m); } catch { return; }
      const ptr = p.type === 'response' && r.address === '127.0.0.1' && p.answers.find((a) => a.type === 'PTR' && a.name === '_http._tcp.local');
      if (!ptr || (${ttl === 'goodbye' ? 'ptr.ttl !== 0' : 'ptr.ttl === 0'})) return;
      console.log('seen', ++n);
      if (n === ${count}) { s.close(); ${markerCode(tag)} }
    });
    s.bind(5353, '0.0.0.0', () => { s.addMembership('${group}', '127.0.0.1'); console.log('watching'); });`, `loopback watcher ${tag}`);
}

beforeAll(async () => {
  pair = NetnsPair.create();
  capture = pair.spawn(pair.cli, ['python3', '-c', captureScript, pair.cliIf], 'capture');
  await capture.waitFor('the capture to start', (p) => p.stdout.startsWith('capturing'));
}, 60_000);

afterAll(async () => {
  await pair?.destroy();
});

describe('a default emulator answers mDNS on loopback only', () => {
  it('starts and announces twice on loopback; not one frame leaves by the network card', async () => {
    const watcher = loopbackWatcher(2, 'live', 'A');
    await watcher.waitFor('its socket', (p) => p.stdout.includes('watching'));
    emu = pair.esp(pair.board, ['emulate', '--http-port', '0'], 'emulate');
    await emu.waitFor('the URL line', (p) => /serving http:\/\/127\.0\.0\.1:\d+\//.test(p.stderr));
    emuPort = Number(/serving http:\/\/127\.0\.0\.1:(\d+)\//.exec(emu.stderr)![1]);
    await emu.waitFor('the mDNS line', (p) => p.stdout.includes('mDNS responder started: esp-sse.local\n'));
    const w = await watcher.result();
    expect(w.stdout, w.stderr).toContain('seen 2\nmarker A sent');
    const { machine } = await machineFramesUntil('A');
    expect(machine.filter((f) => f.text !== 'A')).toEqual([]);
  }, 240_000);

  it('discover (no options) on the same machine finds it by name at 127.0.0.1; only discover\'s own queries go out by the card', async () => {
    const r = await pair.esp(pair.board, ['discover', '--name', 'esp-sse', '--json', '--timeout', '10s']).result();
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([{
      name: 'esp-sse',
      host: 'esp-sse.local',
      addresses: ['127.0.0.1'],
      port: emuPort,
      txt: { fw: 'esp-sse', version: '0.1.0', sse: '/sse' },
      version: '0.1.0',
      espSse: true,
    }]);
    await marker('B');
    const { machine } = await machineFramesUntil('B');
    const mdnsFrames = machine.filter((f) => f.sport === 5353 || f.dport === 5353);
    // discover still asks where the kernel's multicast route leads, as it always did: the capture sees the machine's multicast.
    expect(mdnsFrames.length).toBeGreaterThan(0);
    for (const f of mdnsFrames) expect(f).toMatchObject({ proto: 17, sport: 5353, dport: 5353, dst: group, qr: 0 });
    // Besides: discover's group membership on the card (IGMP) and the marker.
    expect(machine.filter((f) => !mdnsFrames.includes(f) && f.proto !== 2 && f.text !== 'B')).toEqual([]);
  }, 60_000);

  it('a one-shot query from the LAN reaches the machine and gets no answer: the emulator answers loopback only', async () => {
    // Some mDNS program on the machine has joined the group on the card (avahi would), so the
    // kernel takes the LAN's multicast in, and the emulator's socket hears it too. When the LAN
    // query has arrived, a one-shot query on loopback gets its (undelayed) answer: the emulator
    // has handled the LAN query before it, so any answer to it has been sent by then.
    const helper = node(pair.board, `
      const dgram = require('node:dgram');
      const packet = require('dns-packet');
      const s = dgram.createSocket({ type: 'udp4', reuseAddr: true });
      s.on('message', (m, r) => {
        if (r.address !== '${pair.cliAddress}') return;
        console.log('the LAN query arrived');
        const q = dgram.createSocket('udp4');
        q.on('message', (a, from) => {
          if (from.address !== '127.0.0.1') return;
          console.log('the emulator answered on loopback');
          q.close(); s.close();
          ${markerCode('C')}
        });
        q.bind(0, '0.0.0.0', () => {
          q.setMulticastInterface('127.0.0.1');
          q.send(packet.encode({ type: 'query', id: 2, questions: [{ name: 'esp-sse.local', type: 'ANY' }] }), 5353, '${group}');
        });
      });
      s.bind(5353, '0.0.0.0', () => { s.addMembership('${group}', '${pair.boardAddresses[0]}'); console.log('joined'); });`, 'joined on the card');
    await helper.waitFor('the membership', (p) => p.stdout.includes('joined'));
    // One-shot (ephemeral port): the emulator would answer by unicast to the querier's address, out by the card.
    const lan = await node(pair.cli, `
      const packet = require('dns-packet');
      const q = require('node:dgram').createSocket('udp4');
      q.bind(0, '${pair.cliAddress}', () => {
        q.setMulticastInterface('${pair.cliAddress}');
        const questions = [{ name: 'esp-sse.local', type: 'ANY' }, { name: '_http._tcp.local', type: 'PTR' }];
        q.send(packet.encode({ type: 'query', id: 1, questions }), 5353, '${group}', () => q.close());
      });`, 'LAN querier').result();
    expect(lan.code, lan.stderr).toBe(0);
    const h = await helper.result();
    expect(h.stdout, h.stderr).toContain('the LAN query arrived\nthe emulator answered on loopback\nmarker C sent');
    const { all, machine } = await machineFramesUntil('C');
    expect(all.some((f) => f.src === pair.cliAddress && f.dst === group && f.dport === 5353)).toBe(true);
    // The helper's membership on the card (IGMP) and the marker; no answer.
    expect(machine.filter((f) => f.proto !== 2 && f.text !== 'C')).toEqual([]);
  }, 60_000);

  it('says goodbye on loopback when stopped; nothing by the card', async () => {
    const watcher = loopbackWatcher(1, 'goodbye', 'D');
    await watcher.waitFor('its socket', (p) => p.stdout.includes('watching'));
    await emu.stop('SIGINT');
    const w = await watcher.result();
    expect(w.stdout, w.stderr).toContain('seen 1\nmarker D sent');
    const { machine } = await machineFramesUntil('D');
    // The kernel repeats step C's IGMP reports at random delays (IGMPv3's robustness), into this step.
    expect(machine.filter((f) => f.proto !== 2 && f.text !== 'D')).toEqual([]);
  }, 60_000);
});

describe('when the loopback responder cannot open its socket', () => {
  it('UDP 5353 held without sharing: one warning, and the board boots and serves as the firmware does', async () => {
    // The sockets of the steps above are closed; this one takes 5353 the way an exclusive mDNS daemon does (no SO_REUSEADDR).
    const holder = node(pair.board, `
      const s = require('node:dgram').createSocket({ type: 'udp4' });
      s.bind(5353, '0.0.0.0', () => console.log('holding 5353'));`, '5353 holder');
    await holder.waitFor('the port', (p) => p.stdout.includes('holding 5353'));
    const model = pair.esp(pair.board, ['emulate', '--app', 'model', '--http-port', '0'], 'emulate --app model');
    await model.waitFor('the URL line', (p) => /serving http:\/\/127\.0\.0\.1:\d+\//.test(p.stderr));
    const url = /serving (http:\/\/127\.0\.0\.1:\d+\/)/.exec(model.stderr)![1]!;
    expect(model.stderr.match(/warning\[emulate\.mdns-loopback\]/g)).toHaveLength(1);
    expect(model.stderr).toMatch(/warning\[emulate\.mdns-loopback\].*EADDRINUSE/);
    // MDNS.begin() on a board does not fail for want of this machine's loopback: the model says what the firmware says
    // (on its UART, paced at 115200 baud, so the lines may still be on their way when the URL line is out).
    await model.waitFor('the serial lines', (p) => p.stdout.includes('HTTP server started'));
    expect(model.stdout).toContain('mDNS responder started: esp-sse.local\nHTTP server started');
    const page = await node(pair.board, `fetch('${url}').then(async (r) => console.log(r.status, /<html/i.test(await r.text())));`, 'fetch').result();
    expect(page.stdout.trim()).toBe('200 true');
    expect(model.running).toBe(true);
  }, 60_000);
});
