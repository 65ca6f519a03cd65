/**
 * `esp-sse emulate` with its serial ports, as a user runs it (compiled CLI in a subprocess):
 * powered up in download mode with a raw TCP port and a pty; esptool-js flashes through
 * `socket://` (no control lines, so `no_reset`), starts the app with RUN_USER_CODE, and a serial
 * program (node-serialport) reading the pty sees the app's boot log; `--trace` prints frames.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ESPLoader, Transport } from 'esptool-js';
import { createTransport } from '../src/transport/open-port.js';
import { WebSerialAdapter } from '../src/transport/webserial-adapter.js';
import { Collector, waitTimeoutMs } from './serial-helpers.js';

const main = resolve(import.meta.dirname, '../../dist/cli/main.js');
const silent = { clean() {}, writeLine() {}, write() {} };
const md5 = (b: Uint8Array): string => createHash('md5').update(b).digest('hex');

const cleanup: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

function run(args: string[]): { child: ChildProcess; out: Collector; err: Collector; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [main, 'emulate', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const out = new Collector();
  const err = new Collector();
  child.stdout!.on('data', out.push);
  child.stderr!.on('data', err.push);
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  cleanup.push(async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
  });
  return { child, out, err, exited };
}

describe('esp-sse emulate serial ports (CLI)', () => {
  it('download boot: flash over socket://, run the app, read its boot log from the pty; --trace prints frames', async () => {
    const pty = join(mkdtempSync(join(tmpdir(), 'esp-sse-cli-pty-')), 'ttyESP');
    const cli = run(['--http-port', '0', '--no-mdns', '--socket-port', '0', '--pty', pty, '--boot-mode', 'download', '--trace', '--no-wire-timing']);
    await cli.err.untilText(`serial port ${pty}\n`);
    const socketUrl = /serial port (socket:\/\/127\.0\.0\.1:\d+)/.exec(cli.err.text)![1]!;
    await cli.out.untilText('waiting for download\r\n'); // the ROM banner is echoed to stdout
    expect(cli.out.text).toContain('boot:0x3 (DOWNLOAD_BOOT');

    const tty = createTransport(pty);
    await tty.open();
    cleanup.push(() => tty.close());
    const log = Collector.on(tty);

    const adapter = new WebSerialAdapter(createTransport(socketUrl));
    const transport = new Transport(adapter as unknown as ConstructorParameters<typeof Transport>[0], false);
    transport.trace = () => {};
    cleanup.push(() => transport.disconnect().catch(() => {}));
    const loader = new ESPLoader({ transport, baudrate: 115200, terminal: silent, debugLogging: false });
    expect(await loader.main('no_reset')).toBe('ESP32-D0WD-V3 (revision 3)');
    // Into the coredump partition (0x3f0000): the app and its SPIFFS stay intact.
    const data = Uint8Array.from({ length: 30000 }, (_, i) => (i * 7) & 0xff);
    await loader.writeFlash({
      fileArray: [{ data, address: 0x3f0000 }],
      flashMode: 'keep', flashFreq: 'keep', flashSize: 'keep', eraseAll: false, compress: true,
      calculateMD5Hash: (img) => md5(img),
    });
    expect(await loader.flashMd5sum(0x3f0000, data.length)).toBe(md5(data));
    // The stub's RUN_USER_CODE (no reply): the board leaves the loader and boots from flash.
    await loader.command(loader.ESP_RUN_USER_CODE, new Uint8Array(0), 0, false);
    await log.untilText('SPIFFS mounted successfully', waitTimeoutMs);
    await cli.out.untilText('SPIFFS mounted successfully');

    expect(cli.err.utf8).toMatch(/TRACE \+\d+\.\d{3} host→chip SYNC \(44 bytes\) 0008240000000000070712205555/);
    expect(cli.err.utf8).toMatch(/TRACE \+\d+\.\d{3} chip→host SYNC reply \(12 bytes\) 0108040007071220000000000*/);
    expect(cli.err.utf8).toMatch(/chip→host OHAI \(4 bytes\) 4f484149/);
    expect(cli.err.utf8).toMatch(/host→chip FLASH_DEFL_DATA/);
    expect(cli.err.utf8).toMatch(/host→chip RUN_USER_CODE/);

    cli.child.kill('SIGINT');
    expect(await cli.exited).toBe(0);
  });

  it('rejects serial options that cannot work, with a code and a hint', async () => {
    const bad = run(['--http-port', '0', '--no-mdns', '--boot-mode', 'download']);
    expect(await bad.exited).toBe(2);
    expect(bad.err.text).toMatch(/emulate\.no-serial-port/);
    const stray = run(['--http-port', '0', '--no-mdns', '--disconnect-after', '100']);
    expect(await stray.exited).toBe(2);
    expect(stray.err.text).toMatch(/error\[emulate\.no-serial-port\].*--disconnect-after/);
    const mode = run(['--http-port', '0', '--no-mdns', '--socket-port', '0', '--boot-mode', 'flash']);
    expect(await mode.exited).toBe(2);
    expect(mode.err.text).toMatch(/emulate\.bad-choice/);
    const mac = run(['--http-port', '0', '--no-mdns', '--socket-port', '0', '--mac', '12:34']);
    expect(await mac.exited).toBe(2);
    expect(mac.err.text).toMatch(/emulate\.bad-mac/);
  });
});
