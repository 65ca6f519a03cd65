/**
 * `esp-sse flash --monitor`: the compiled CLI flashes a PlatformIO build into the emulator over
 * RFC 2217, leaves the chip in the loader, and the monitor takes the same port over and resets
 * the board, so the first line it shows is the ROM's first boot line. (The build holds
 * placeholder images, so the emulated ROM boots them from flash and reports their checksum:
 * proof the board booted what was just written.) With the emulator's own bootloader and app in
 * the build, the board boots to the app, and `--until`/`--timeout` end the monitor with the
 * monitor's exit codes, as CI uses it.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { serial } from '../src/contract/board.js';
import { emulatorAppImage, emulatorBootloaderImage } from '../src/emulator/boot/default-images.js';
import { makeProject, type Project } from './flash-helpers.js';
import { appBootLines, esp, startEmulatorCli, type EmulatorProc, type Proc } from './monitor-helpers.js';

const started: Array<EmulatorProc | Proc> = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((p) => ('proc' in p ? p.proc : p).stop('SIGKILL')));
});

describe('flash --monitor', () => {
  it('flashes, hands the port to the monitor, which resets the board and shows its boot from the first line', async () => {
    const project = makeProject({ 'index.html': '<html></html>' });
    const emu = await startEmulatorCli(['--rfc2217-port', '0', '--quiet']);
    started.push(emu);
    const flash = esp(['flash', '-p', emu.port('rfc2217'), '--project', project.dir, '--monitor'], 'flash --monitor', { cwd: project.dir });
    started.push(flash);
    await flash.waitFor('the boot after the handover', (p) => /rst:0x1 \(POWERON_RESET\),boot:0x13 \(SPI_FAST_FLASH_BOOT\)\n/.test(p.stdout));
    // The flasher left the chip in the loader; the monitor reset it once it was listening.
    expect(flash.stderr).toContain('left in the loader (no_reset)');
    const handover = flash.stderr.slice(flash.stderr.indexOf('left in the loader'));
    expect(handover).toContain(`--- esp-sse monitor on ${emu.port('rfc2217')} at 115200 baud\n--- reset\n`);
    // stdout: the flash summary, then the ROM's boot from its very first line.
    const [summary, ...boot] = flash.stdout.split('\n');
    expect(summary).toMatch(/^rfc2217:\/\/127\.0\.0\.1:\d+: ok, 4 images/);
    expect(boot.slice(0, 3)).toEqual(['ets Jul 29 2019 12:21:46', '', 'rst:0x1 (POWERON_RESET),boot:0x13 (SPI_FAST_FLASH_BOOT)']);
    await flash.stop('SIGINT');
    expect((await flash.exited).code).toBe(130);
    rmSync(project.dir, { recursive: true, force: true });
  });

  it('--until ends the monitor at the app\'s "HTTP server started" line after flashing it, exit 0', async () => {
    const project = bootableProject();
    const emu = await startEmulatorCli(['--rfc2217-port', '0', '--quiet']);
    started.push(emu);
    const r = await esp(['flash', '-p', emu.port('rfc2217'), '--project', project.dir, '--monitor', '--until', serial.lines.httpStarted, '--timeout', '120s'], 'flash --monitor --until', { cwd: project.dir }).result();
    expect(r.code, r.stderr).toBe(0);
    const [summary, ...log] = r.stdout.trimEnd().split('\n');
    expect(summary).toMatch(/^rfc2217:\/\/127\.0\.0\.1:\d+: ok, 4 images/);
    expect(log).toContain('rst:0x1 (POWERON_RESET),boot:0x13 (SPI_FAST_FLASH_BOOT)');
    // The board booted the app that was just written and the monitor stopped at the match.
    expect(log.slice(-appBootLines.length)).toEqual(appBootLines);
    rmSync(project.dir, { recursive: true, force: true });
  }, 180_000);

  it('--timeout without the --until text exits with the monitor\'s timeout code (1) and monitor.timeout', async () => {
    const project = bootableProject();
    const emu = await startEmulatorCli(['--rfc2217-port', '0', '--quiet']);
    started.push(emu);
    const r = await esp(['flash', '-p', emu.port('rfc2217'), '--project', project.dir, '--monitor', '--until', 'this line is never printed', '--timeout', '3s'], 'flash --monitor --timeout', { cwd: project.dir }).result();
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^rfc2217:\/\/127\.0\.0\.1:\d+: ok, 4 images/);
    expect(r.stderr).toContain('error[monitor.timeout]: no line matched /this line is never printed/ within 3000 ms');
    rmSync(project.dir, { recursive: true, force: true });
  }, 180_000);

  it('refuses monitor options without --monitor, and bad ones with it, before touching any board', async () => {
    const without = await esp(['flash', '-p', 'socket://127.0.0.1:1', '--until', 'HTTP server started']).result();
    expect(without.code).toBe(2);
    expect(without.stderr).toContain('error[flash.monitor-option]');
    const badRegex = await esp(['flash', '-p', 'socket://127.0.0.1:1', '--monitor', '--until', '(']).result();
    expect(badRegex.code).toBe(2);
    expect(badRegex.stderr).toContain('error[monitor.bad-regex]');
    const badTimeout = await esp(['flash', '-p', 'socket://127.0.0.1:1', '--monitor', '--timeout', 'soon']).result();
    expect(badTimeout.code).toBe(2);
    expect(badTimeout.stderr).toContain('error[monitor.bad-timeout]');
  });

  it('refuses --monitor with several ports or with --json, before touching any board', async () => {
    const several = await esp(['flash', '-p', 'socket://127.0.0.1:1', '-p', 'socket://127.0.0.1:2', '--monitor']).result();
    expect(several.code).toBe(2);
    expect(several.stderr).toContain('error[flash.monitor-one-board]');
    const json = await esp(['flash', '-p', 'socket://127.0.0.1:1', '--monitor', '--json']).result();
    expect(json.code).toBe(2);
    expect(json.stderr).toContain('error[flash.monitor-json]');
  });
});

/** A project whose build holds the emulator's bootloader and esp-sse app, so the flashed board boots to the app. */
function bootableProject(): Project {
  const project = makeProject({ 'index.html': '<html></html>' });
  writeFileSync(join(project.buildDir, 'bootloader.bin'), emulatorBootloaderImage());
  writeFileSync(join(project.buildDir, 'firmware.bin'), emulatorAppImage());
  return project;
}
