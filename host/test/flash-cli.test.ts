import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readSpiffs } from '../src/formats/spiffs-reader.js';
import { cliTimeoutMs, fakeEspImage, makeProject, pattern, runCli, runCliInTerminal, startBoard, type EmulatedBoard } from './flash-helpers.js';

/**
 * The real CLI (`dist/cli/main.js`, build with `npx tsc -p tsconfig.build.json`) as a
 * subprocess against the emulated board: UART on RFC 2217 over loopback TCP (DTR/RTS reset
 * into download mode, EN pulse at the end) or on a pseudo-terminal (no control lines: the
 * board powers up in download mode). Bytes are compared in the board's flash and read back.
 */
const boards: EmulatedBoard[] = [];
afterEach(async () => {
  for (const b of boards.splice(0)) await b.close();
});
async function board(o: Parameters<typeof startBoard>[0] = {}): Promise<EmulatedBoard> {
  const b = await startBoard(o);
  boards.push(b);
  return b;
}

interface JsonImage { name: string; address: number; size: number; wireBytes: number; status: 'written' | 'skipped'; md5: string }
interface JsonResult {
  ok: boolean;
  exitCode: number;
  boards: ({ port: string; ok: true; result: { baud: number; images: JsonImage[] } } | { port: string; ok: false; error: { code: string; message: string; hint?: string; exitCode: number } })[];
}
const parse = (stdout: string): JsonResult => JSON.parse(stdout) as JsonResult;

describe('esp-sse flash over RFC 2217', () => {
  it('writes the PlatformIO build and --fs, verified; a second run skips every image, --force writes them again', async () => {
    const b = await board();
    const p = makeProject({ 'index.html': '<h1>flashed page</h1>', 'js/app.js': 'console.log(1)' });
    const args = ['flash', '--project', p.dir, '--port', b.port, '--baud', '921600', '--fs', '--json'];
    const first = await runCli(args);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const r1 = parse(first.stdout);
    expect(r1.ok).toBe(true);
    const ok1 = r1.boards[0]!;
    if (!ok1.ok) throw new Error(ok1.error.message);
    expect(ok1.result.baud).toBe(921600);
    expect(ok1.result.images.map((i) => [i.address, i.status])).toEqual([
      [0x1000, 'written'], [0x8000, 'written'],
      [0xe000, 'skipped'], // an erased otadata on blank flash already matches
      [0x10000, 'written'], [0x290000, 'written'],
    ]);
    const flash = b.board.flash;
    expect(flash.read(0x1000, p.images.bootloader.length)).toEqual(p.images.bootloader);
    expect(flash.read(0x8000, p.images.partitions.length)).toEqual(p.images.partitions);
    expect(flash.read(0x10000, p.images.firmware.length)).toEqual(p.images.firmware);
    const fs = readSpiffs(flash.read(0x290000, 0x160000));
    expect(fs.files.map((f) => [f.name, Buffer.from(f.data).toString()])).toEqual([
      ['/index.html', '<h1>flashed page</h1>'], ['/js/app.js', 'console.log(1)'],
    ]);
    // the EN pulse at the end rebooted the chip out of the loader
    expect(b.uart.side.state).toBe('app');

    const second = parse((await runCli(args)).stdout);
    const ok2 = second.boards[0]!;
    expect(ok2.ok && ok2.result.images.every((i) => i.status === 'skipped')).toBe(true);

    flash.write(0x10000 + 5000, new Uint8Array([0x00, 0x01, 0x02])); // one region changed on the board
    const third = parse((await runCli(args)).stdout);
    const ok3 = third.boards[0]!;
    expect(ok3.ok && ok3.result.images.filter((i) => i.status === 'written').map((i) => i.address)).toEqual([0x10000]);
    expect(flash.read(0x10000, p.images.firmware.length)).toEqual(p.images.firmware);

    const forced = parse((await runCli([...args, '--force'])).stdout);
    const ok4 = forced.boards[0]!;
    expect(ok4.ok && ok4.result.images.every((i) => i.status === 'written')).toBe(true);
  }, cliTimeoutMs);

  it('prints a line per image with bytes, time and speed when not a terminal; read-flash reads the bytes back', async () => {
    const b = await board();
    const p = makeProject({});
    const app = pattern(40_000, 7);
    app[0] = 0xe9;
    app.fill(0, 12, 14);
    const appFile = join(p.dir, 'app.bin');
    const dataFile = join(p.dir, 'blob.bin');
    const blob = pattern(9000, 8);
    writeFileSync(appFile, app);
    writeFileSync(dataFile, blob);
    const run = await runCli(['flash', '--port', b.port, '--baud', '460800', '0x10000', appFile, '0x300000', dataFile], { cwd: p.dir });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/app\.bin: wrote 40000 bytes \(\d+ compressed\) at 0x00010000 in \d+\.\d\d s \(\d+\.\d kbit\/s on the wire\), hash verified/);
    expect(run.stderr).toMatch(/blob\.bin: wrote 9000 bytes/);
    expect(run.stderr).toMatch(/hard reset via RTS/);
    expect(run.stdout).toMatch(/ok, 2 images \(2 written, 0 skipped\), 49000 bytes \(\d+ on the wire\) in \d+\.\d\d s \([\d.]+ kbit\/s on the wire\) at 460800 baud, ESP32-D0WD-V3/);

    const out = join(p.dir, 'back.bin');
    const read = await runCli(['read-flash', '--port', b.port, '0x10000', '40000', out], { cwd: p.dir });
    expect(read.code).toBe(0);
    expect(new Uint8Array(readFileSync(out))).toEqual(app);
  }, cliTimeoutMs);

  it('draws a progress bar per image on a terminal, then the result on its own line', async () => {
    const b = await board();
    const p = makeProject({});
    writeFileSync(join(p.dir, 'app.bin'), fakeEspImage(100_000, 3));
    const run = await runCliInTerminal(['flash', '--port', b.port, '--baud', '921600', '0x10000', 'app.bin'], { cwd: p.dir });
    expect(run.code).toBe(0);
    expect(run.screen).toMatch(/app\.bin \[█{30}\] 100% \d+\/\d+ B/);
    expect(run.screen).toMatch(/app\.bin \[█{5,15}░+\] \d\d% /); // drawn while it was going
    expect(run.screen).toMatch(/app\.bin: wrote 100000 bytes \(\d+ compressed\) at 0x00010000 in \d+\.\d\d s \([\d.]+ kbit\/s on the wire\), hash verified/);
    const summary = run.screen.split(/\r?\n/).find((l) => l.includes('1 image (1 written'));
    expect(summary).toMatch(/^rfc2217:\/\/127\.0\.0\.1:\d+: (\u001b\[\d+m)?ok/);
  }, cliTimeoutMs);

  it('uploadfs writes the data folder into the table\'s SPIFFS partition and resets the board', async () => {
    const b = await board();
    const p = makeProject({ 'index.html': '<p>new page from uploadfs</p>' });
    // checked against the build folder's partitions.bin (Arduino default.csv: spiffs at 0x290000, 0x160000 bytes)
    const run = await runCli(['uploadfs', '--project', p.dir, '--port', b.port, '--json']);
    expect(run.code).toBe(0);
    const out = parse(run.stdout);
    const one = out.boards[0]!;
    expect(one.ok && one.result.images.map((i) => [i.address, i.size, i.status])).toEqual([[0x290000, 0x160000, 'written']]);
    const files = readSpiffs(b.board.flash.read(0x290000, 0x160000)).files;
    expect(files.map((f) => [f.name, Buffer.from(f.data).toString()])).toEqual([['/index.html', '<p>new page from uploadfs</p>']]);
    expect(b.uart.side.state).toBe('app');
  }, cliTimeoutMs);

  it('--erase-all erases the whole chip before writing (nothing is skipped)', async () => {
    const b = await board();
    const p = makeProject({});
    writeFileSync(join(p.dir, 'app.bin'), p.images.firmware);
    b.board.flash.write(0x10000, p.images.firmware); // already there: would be skipped
    b.board.flash.write(0x300000, new Uint8Array(0x1000).fill(0x22));
    const run = await runCli(['flash', '--port', b.port, '--erase-all', '--json', '0x10000', 'app.bin'], { cwd: p.dir });
    expect(run.code).toBe(0);
    const one = parse(run.stdout).boards[0]!;
    expect(one.ok && one.result.images.map((i) => i.status)).toEqual(['written']);
    expect(b.board.flash.read(0x300000, 0x1000).every((x) => x === 0xff)).toBe(true);
    expect(b.board.flash.read(0x10000, p.images.firmware.length)).toEqual(p.images.firmware);
  }, cliTimeoutMs);

  it('erase (region and chip) and info', async () => {
    const b = await board();
    b.board.flash.write(0x300000, new Uint8Array(0x3000).fill(0x11));
    const region = await runCli(['erase', '--port', b.port, '0x300000', '0x2000']);
    expect(region.code).toBe(0);
    expect(region.stdout).toMatch(/erased 0x300000\.\.0x302000/);
    expect(b.board.flash.read(0x300000, 0x2000).every((x) => x === 0xff)).toBe(true);
    expect(b.board.flash.read(0x302000, 0x1000).every((x) => x === 0x11)).toBe(true);

    const chip = await runCli(['erase', '--port', b.port]);
    expect(chip.code).toBe(0);
    expect(b.board.flash.read(0x302000, 0x1000).every((x) => x === 0xff)).toBe(true);

    const info = await runCli(['info', '--port', b.port, '--json']);
    expect(info.code).toBe(0);
    const chipInfo = (parse(info.stdout).boards[0] as { result: unknown }).result;
    expect(chipInfo).toMatchObject({
      description: 'ESP32-D0WD-V3 (revision 3)', chip: 'ESP32', revision: 3, crystalMHz: 40, mac: '24:0a:c4:ab:cd:ef', flashSize: '4MB',
      features: ['Wi-Fi', 'BT', 'Dual Core', '240MHz', 'VRef calibration in efuse', 'Coding Scheme None'],
    });
  }, cliTimeoutMs);
});

describe('esp-sse flash over a pseudo-terminal', () => {
  it('flashes ADDRESS FILE pairs to a board held in download mode and reads them back', async () => {
    const b = await board({ pty: true });
    const p = makeProject({});
    const blob = pattern(70_000, 3);
    const file = join(p.dir, 'blob.bin');
    writeFileSync(file, blob);
    const noReset = ['--port', b.port, '--before', 'no_reset'];
    const run = await runCli(['flash', ...noReset, '--after', 'no_reset', '--baud', '921600', '0x200000', file], { cwd: p.dir });
    expect(run.stderr).toMatch(/hash verified/);
    expect(run.code).toBe(0);
    expect(b.board.flash.read(0x200000, blob.length)).toEqual(blob);
    const out = join(p.dir, 'back.bin');
    const read = await runCli(['read-flash', ...noReset, '--after', 'no_reset', '0x200000', String(blob.length), out]);
    expect(read.code).toBe(0);
    expect(new Uint8Array(readFileSync(out))).toEqual(blob);
  }, cliTimeoutMs);
});

describe('several boards at once', () => {
  it('flashes two emulators in parallel with a result each; a missing third board fails alone (exit 7)', async () => {
    const [a, c] = await Promise.all([board(), board()]);
    const p = makeProject({ 'index.html': 'two boards' });
    const both = await runCli(['flash', '--project', p.dir, '--port', a.port, '--port', c.port, '--baud', '921600', '--json']);
    expect(both.code).toBe(0);
    const r = parse(both.stdout);
    expect(r.boards.map((x) => [x.port, x.ok])).toEqual([[a.port, true], [c.port, true]]);
    for (const x of [a, c]) expect(x.board.flash.read(0x10000, p.images.firmware.length)).toEqual(p.images.firmware);

    // a closed TCP port as the third board: the other two still finish (already written → skipped)
    const gone = await startBoard();
    const gonePort = gone.port;
    await gone.close();
    const three = await runCli(['flash', '--project', p.dir, '--port', a.port, '--port', gonePort, '--port', c.port, '--json']);
    expect(three.code).toBe(7);
    const r3 = parse(three.stdout);
    expect(r3.boards.map((x) => x.ok)).toEqual([true, false, true]);
    const failed = r3.boards[1]!;
    expect(!failed.ok && failed.error.code).toBe('port.unreachable');
    expect(!failed.ok && failed.error.exitCode).toBe(3);
  }, cliTimeoutMs);
});
