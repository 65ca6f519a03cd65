/**
 * `--flash FILE`: the flash survives restarts. A missing file is created with the default
 * layout; what the board's flash receives is saved (atomically); a new SPIFFS image written
 * into it is served after a reset and after a restart; `--data` with an existing file writes
 * the folder's image into it. Library entry point and the compiled CLI.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UserError } from '../src/errors.js';
import { parseAppImage } from '../src/formats/app-image.js';
import { buildSpiffs } from '../src/formats/spiffs-builder.js';
import { readSpiffs } from '../src/formats/spiffs-reader.js';
import { FlashPersistence } from '../src/emulator/boot/flash-file.js';
import { Flash, startEmulator, type RunningEmulator } from '../src/emulator/index.js';
import { Collector, waitTimeoutMs } from './serial-helpers.js';

const running: RunningEmulator[] = [];
afterEach(async () => {
  for (const e of running.splice(0)) await e.close();
});

const enc = new TextEncoder();
const dec = new TextDecoder();
const SPIFFS_AT = 0x290000;
const SPIFFS_SIZE = 0x160000;
const page = (text: string): Uint8Array => buildSpiffs([{ name: '/index.html', data: enc.encode(text) }], SPIFFS_SIZE);
const tmp = (): string => mkdtempSync(join(tmpdir(), 'esp-sse-flashfile-'));
/** The `/index.html` stored in the spiffs partition of a flash file. */
function indexIn(file: string): string | undefined {
  const part = new Uint8Array(readFileSync(file)).subarray(SPIFFS_AT, SPIFFS_AT + SPIFFS_SIZE);
  const f = readSpiffs(part).files.find((x) => x.name === '/index.html');
  return f && dec.decode(f.data);
}

async function start(flashFile: string, dataDir?: string): Promise<{ emu: RunningEmulator; log: Collector }> {
  const log = new Collector();
  const emu = await startEmulator({ httpPort: 0, loopTimer: false, flashFile, onSerial: log.push, ...(dataDir ? { dataDir } : {}) });
  running.push(emu);
  return { emu, log };
}

const body = async (url: string): Promise<string> => (await fetch(url)).text();

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof UserError) return e.code;
    throw e;
  }
  throw new Error('expected a UserError');
}

describe('startEmulator({ flashFile })', () => {
  it('creates a missing file with the default layout (firmware/data in SPIFFS) and boots it', async () => {
    const file = join(tmp(), 'board.bin');
    const { emu } = await start(file);
    expect(statSync(file).size).toBe(4 << 20);
    const bytes = new Uint8Array(readFileSync(file));
    expect(parseAppImage(bytes.subarray(0x10000, 0x150000)).description?.projectName).toBe('esp-sse');
    const served = await body(emu.url);
    expect(served).toBe(readFileSync(resolve(import.meta.dirname, '../../firmware/data/index.html'), 'utf8'));
    expect(indexIn(file)).toBe(served);
  });

  it('saves what the flash receives; after a reset and after a restart the new page is served', async () => {
    const dir = tmp();
    const file = join(dir, 'board.bin');
    const first = await start(file);
    first.emu.board.flash.write(SPIFFS_AT, page('written page'));
    await first.emu.board.reset();
    expect(await body(first.emu.url)).toBe('written page');
    await first.emu.close();
    expect(indexIn(file)).toBe('written page');
    expect(readdirSync(dir)).toEqual(['board.bin']); // no temporary file left behind

    const second = await start(file);
    expect(await body(second.emu.url)).toBe('written page');
  });

  it('an erase reaches the file too: the next run boots a blank board', async () => {
    const file = join(tmp(), 'board.bin');
    const first = await start(file);
    first.emu.board.flash.eraseAll();
    await first.emu.close();
    expect(new Uint8Array(readFileSync(file)).every((b) => b === 0xff)).toBe(true);
    const second = await start(file);
    await second.log.untilText('invalid header: 0xffffffff\r\n');
    expect(second.emu.board.state).toBe('halted');
  });

  it('--data with an existing file writes the folder\'s SPIFFS image into it', async () => {
    const dir = tmp();
    const file = join(dir, 'board.bin');
    await (await start(file)).emu.close();
    const data = join(dir, 'data');
    mkdirSync(data);
    writeFileSync(join(data, 'index.html'), 'from --data');
    const { emu } = await start(file, data);
    expect(await body(emu.url)).toBe('from --data');
    await emu.close();
    expect(indexIn(file)).toBe('from --data');
  });

  it('a shorter file is padded with erased bytes; a larger one or a folder is refused with a code', async () => {
    const dir = tmp();
    const short = join(dir, 'short.bin');
    writeFileSync(short, new Uint8Array(0x1000).fill(0xff));
    const { emu, log } = await start(short);
    await log.untilText('invalid header: 0xffffffff\r\n');
    expect(emu.board.flash.size).toBe(4 << 20);
    const big = join(dir, 'big.bin');
    writeFileSync(big, new Uint8Array((4 << 20) + 1));
    expect(await codeOf(startEmulator({ httpPort: 0, flashFile: big }))).toBe('emulate.bad-flash-file');
    expect(await codeOf(startEmulator({ httpPort: 0, flashFile: dir }))).toBe('emulate.bad-flash-file');
    expect(await codeOf(startEmulator({ httpPort: 0, flashFile: join(dir, 'no', 'such', 'dir', 'f.bin') }))).toBe('emulate.bad-flash-file');
  });
});

describe('FlashPersistence', () => {
  it('a burst of writes ends in one file holding the last bytes; a failing save is reported, not thrown', async () => {
    const dir = tmp();
    const file = join(dir, 'p.bin');
    const flash = new Flash(0x4000);
    const saver = new FlashPersistence(flash, file);
    for (let i = 0; i < 50; i++) flash.write(i * 16, new Uint8Array(16).fill(i));
    flash.erase(0x3000, 0x1000);
    await saver.close();
    const bytes = new Uint8Array(readFileSync(file));
    expect(bytes.length).toBe(0x4000);
    expect(bytes[49 * 16]).toBe(49);
    expect(readdirSync(dir)).toEqual(['p.bin']);
    flash.write(0, Uint8Array.of(1)); // closed: no longer watching (a watching saver would save it in flush)
    await saver.flush();
    expect(readFileSync(file)[0]).toBe(0);

    const errors: unknown[] = [];
    const broken = new FlashPersistence(flash, join(dir, 'gone', 'x.bin'), (e) => errors.push(e));
    flash.write(0, Uint8Array.of(2));
    await broken.close();
    expect(errors).toHaveLength(1);
    expect(readdirSync(dir)).toEqual(['p.bin']);
  });
});

describe('esp-sse emulate --flash FILE (compiled CLI)', () => {
  const main = resolve(import.meta.dirname, '../../dist/cli/main.js');

  const children: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const k of children.splice(0)) await k();
  });

  function run(args: string[]): { out: Collector; err: Collector; kill: () => Promise<number | null>; exited: Promise<number | null> } {
    const child = spawn(process.execPath, [main, 'emulate', '--http-port', '0', '--no-mdns', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out = new Collector();
    const err = new Collector();
    child.stdout.on('data', out.push);
    child.stderr.on('data', err.push);
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const kill = async (): Promise<number | null> => {
      if (child.exitCode === null) child.kill('SIGINT');
      return exited;
    };
    children.push(kill);
    return { out, err, kill, exited };
  }

  it('creates the file, serves from it, and a second run serves what was written into the file in between', async () => {
    expect(existsSync(main), `${main} missing: npm run build`).toBe(true);
    const file = join(tmp(), 'cli.bin');
    const a = run(['--flash', file]);
    await a.err.untilText(/serving (http:\/\/127\.0\.0\.1:\d+\/)/);
    await a.out.untilText('HTTP server started\r\n');
    expect(a.out.text).toMatch(/^ets Jul 29 2019 12:21:46\r\n\r\nrst:0x1 \(POWERON_RESET\)/);
    expect(await a.kill(), a.err.utf8).toBe(0);
    expect(statSync(file).size).toBe(4 << 20);

    const bytes = new Uint8Array(readFileSync(file));
    bytes.set(page('edited offline'), SPIFFS_AT);
    writeFileSync(file, bytes);
    const b = run(['--flash', file]);
    await b.err.untilText(/serving http:\/\/127\.0\.0\.1:\d+\//, waitTimeoutMs);
    const url = /serving (http:\/\/127\.0\.0\.1:\d+\/)/.exec(b.err.utf8)![1]!;
    expect(await body(url)).toBe('edited offline');
    expect(await b.kill()).toBe(0);
  });

  it('a flash file larger than 4 MB is error[emulate.bad-flash-file] with a hint, exit 2, and is left alone', async () => {
    const file = join(tmp(), 'big.bin');
    writeFileSync(file, new Uint8Array(5 << 20).fill(7));
    const r = run(['--flash', file]);
    expect(await r.exited).toBe(2);
    expect(r.err.utf8).toMatch(/^error\[emulate\.bad-flash-file\]: .*5242880 bytes.*\n {2}hint: .+\n$/);
    expect(statSync(file).size).toBe(5 << 20);
  });
});
