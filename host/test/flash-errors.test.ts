import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { attachUart } from '../src/emulator/uart/attach.js';
import { VirtualBoard } from '../src/emulator/board.js';
import { cliTimeoutMs, fakeEspImage, makeProject, pattern, runCli, startBoard, type CliResult, type EmulatedBoard } from './flash-helpers.js';

/**
 * Errors a user can act on, from the real CLI: each names what is wrong and the fix
 * (`error[code]: …` then `  hint: …` on stderr), exits with the documented code, and — for
 * image checks — touches nothing on the board.
 */
const boards: EmulatedBoard[] = [];
afterEach(async () => {
  for (const b of boards.splice(0)) await b.close();
});
async function board(): Promise<EmulatedBoard> {
  const b = await startBoard();
  boards.push(b);
  return b;
}

function expectError(r: CliResult, code: string, exit: number, message?: RegExp): void {
  expect(r.stderr).toMatch(new RegExp(`error\\[${code.replace('.', '\\.')}\\]: .+\\n  hint: .+`));
  if (message) expect(r.stderr).toMatch(message);
  expect(r.code).toBe(exit);
}

const blank = (b: EmulatedBoard) => b.board.flash.read(0, 0x400000).every((x) => x === 0xff);

describe('images are checked before anything is written (exit 2, board untouched)', () => {
  it('bad magic, wrong chip, overlap, too big for its partition, not built', async () => {
    const b = await board();
    const p = makeProject({});
    const bad = fakeEspImage(5000, 1);
    bad[0] = 0x7f;
    writeFileSync(join(p.dir, 'bad.bin'), bad);
    const s3 = fakeEspImage(5000, 1);
    s3[12] = 0x09;
    writeFileSync(join(p.dir, 's3.bin'), s3);
    const port = ['--port', b.port];
    expectError(await runCli(['flash', ...port, '0x10000', 'bad.bin'], { cwd: p.dir }), 'image.bad-magic', 2, /bad\.bin at 0x10000 is not an ESP32 app image \(first byte 0x7f, expected 0xe9\)/);
    expectError(await runCli(['flash', ...port, '0x10000', 's3.bin'], { cwd: p.dir }), 'image.wrong-chip', 2, /built for ESP32-S3, not ESP32/);
    const asJson = await runCli(['flash', ...port, '--json', '0x10000', 's3.bin'], { cwd: p.dir });
    expect(asJson.code).toBe(2);
    expect(JSON.parse(asJson.stdout)).toMatchObject({ ok: false, exitCode: 2, error: { code: 'image.wrong-chip', exitCode: 2 }, boards: [] });
    writeFileSync(join(p.dir, 'a.bin'), pattern(0x3000, 2));
    expectError(await runCli(['flash', ...port, '0x300000', 'a.bin', '0x301000', 'a.bin'], { cwd: p.dir }), 'image.overlap', 2);
    expectError(await runCli(['flash', ...port, '0x300001', 'a.bin'], { cwd: p.dir }), 'image.unaligned', 2);
    expectError(await runCli(['flash', ...port, '0x10000'], { cwd: p.dir }), 'cli.odd-pairs', 2);
    expectError(await runCli(['flash', ...port, '0x10000', 'missing.bin'], { cwd: p.dir }), 'image.not-found', 2);

    const big = makeProject({}, { appSize: 0x140000 + 1 });
    expectError(await runCli(['flash', '--project', big.dir, ...port]), 'image.too-big-for-partition', 2, /partition 'app0' at 0x10000 holds 1310720/);
    const unbuilt = makeProject({});
    rmSync(join(unbuilt.dir, '.pio'), { recursive: true });
    expectError(await runCli(['flash', '--project', unbuilt.dir, ...port]), 'project.not-built', 2, /bootloader\.bin does not exist/);

    expect(blank(b)).toBe(true);
    expect(b.uart.side.state).toBe('app'); // never even reset into the loader
  }, cliTimeoutMs);

  it('uploadfs: unknown partition, not a filesystem, data that does not fit, a prebuilt image of the wrong size', async () => {
    const b = await board();
    const port = ['--port', b.port];
    const p = makeProject({ 'index.html': 'hi' });
    expectError(await runCli(['uploadfs', '--project', p.dir, ...port, '--partition', 'nope']), 'fs.no-partition', 2, /no partition named 'nope' \(it has: nvs, otadata, app0, app1, spiffs, coredump\)/);
    expectError(await runCli(['uploadfs', '--project', p.dir, ...port, '--partition', 'nvs']), 'fs.not-filesystem', 2);
    const full = makeProject({ 'big.bin': pattern(0x160000, 5) });
    expectError(await runCli(['uploadfs', '--project', full.dir, ...port]), 'fs.too-big', 2);
    const img = join(p.dir, 'fs.bin');
    writeFileSync(img, new Uint8Array(0x10000).fill(0xff));
    expectError(await runCli(['uploadfs', '--project', p.dir, ...port, '--image', img]), 'image.fs-size-mismatch', 2, /is 65536 bytes but partition 'spiffs' is 1441792 bytes/);
    expect(blank(b)).toBe(true);
  }, cliTimeoutMs);

  it('erase: unaligned region, address without size', async () => {
    expectError(await runCli(['erase', '--port', 'rfc2217://127.0.0.1:9', '0x1001', '0x1000']), 'erase.unaligned', 2);
    expectError(await runCli(['erase', '--port', 'rfc2217://127.0.0.1:9', '0x1000']), 'erase.no-size', 2);
  }, cliTimeoutMs);
});

describe('ports and connections', () => {
  it('a device that does not exist: exit 3 with the fix', async () => {
    expectError(await runCli(['info', '--port', '/dev/ttyESPSSE-NOPE']), 'port.not-found', 3, /run esp-sse ports/);
  }, cliTimeoutMs);

  it('no port named and no ESP32 adapter connected: port.none listing what is there (exit 3)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'esp-sse-noport-'));
    expectError(await runCli(['info', '--project', dir]), 'port.none', 3, /no ESP32 USB-UART adapter found \(serial ports present: /);
    expectError(await runCli(['flash', '--all', '--project', dir, '0x10000', 'x.bin']), 'port.none', 3);
  }, cliTimeoutMs);

  it('ESPTOOL_PORT, then upload_port / upload_speed from platformio.ini; a bad ESPTOOL_BAUD is a usage error', async () => {
    const b = await board();
    const dir = mkdtempSync(join(tmpdir(), 'esp-sse-ini-'));
    const fromEnv = await runCli(['info', '--project', dir, '--json'], { env: { ESPTOOL_PORT: b.port, ESPTOOL_BAUD: '230400' } });
    expect(fromEnv.code).toBe(0);
    expect(JSON.parse(fromEnv.stdout).boards[0].port).toBe(b.port);
    expect(fromEnv.stderr).toBe('');

    writeFileSync(join(dir, 'platformio.ini'), `[env:esp32dev]\nboard = esp32dev\nupload_port = ${b.port}\nupload_speed = 230400\n`);
    const fromIni = await runCli(['info', '--project', dir]);
    expect(fromIni.code).toBe(0);
    expect(fromIni.stderr).toMatch(/link at 230400 baud/);
    expect(fromIni.stdout).toMatch(new RegExp(`Port: +${b.port.replace(/[/.]/g, '\\$&')}`));

    expectError(await runCli(['info', '--project', dir], { env: { ESPTOOL_BAUD: 'fast' } }), 'cli.bad-baud', 2, /ESPTOOL_BAUD: "fast" is not a baud rate/);
  }, cliTimeoutMs);

  it('nothing answers the sync (a raw TCP serial port cannot reset the running board): connect.no-answer, exit 4', async () => {
    const vb = new VirtualBoard({ httpPort: 0, loopTimer: false });
    const uart = await attachUart(vb, { socketPort: 0 });
    await vb.powerOn();
    try {
      const r = await runCli(['info', '--port', uart.portNames[0]!, '--connect-attempts', '1']);
      expectError(r, 'connect.no-answer', 4, /hold BOOT and press EN/);
    } finally {
      await uart.close();
      await vb.powerOff();
    }
  }, cliTimeoutMs);

  it('read-flash leaves no file behind when it fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'esp-sse-read-'));
    const out = join(dir, 'out.bin');
    const gone = await startBoard();
    await gone.close();
    expectError(await runCli(['read-flash', '--port', gone.port, '0', '0x1000', out]), 'port.unreachable', 3);
    expect(existsSync(out)).toBe(false);
  }, cliTimeoutMs);
});
