/**
 * Flash throughput: a 1 MB app and the full SPIFFS image (firmware/data, 0x160000 bytes at
 * 0x290000) written by the flasher (esptool-js + our session) to the emulated ESP32 over a
 * UART paced at 921600 baud. Baseline, in the same run: the wire limit, i.e. the time the
 * compressed bytes alone need on the line (bytes × 10 bits / baud). Prints the effective speed
 * over the uncompressed bytes and the ratio to that limit (target ≥ 90 %).
 *
 * Two links to the same emulated chip model: in this process (an in-memory serial pair into the
 * UART; host and chip share one thread) and `esp-sse emulate` as a separate process over RFC 2217
 * on loopback TCP (host and chip on their own threads, as with a real board). A second named
 * baseline: esptool-js 0.7.0's own `writeFlash` over the in-process link.
 *
 * Run: node --import tsx host/bench/flash.ts [--baud 921600]
 */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultDataDir } from '../src/emulator/package-root.js';
import { readDataFolder } from '../src/settings/data-folder.js';
import { buildSpiffs } from '../src/formats/spiffs-builder.js';
import type { FlashEvent } from '../src/flasher/events.js';
import { flashBoards } from '../src/flasher/jobs.js';
import { md5Hex, padImage } from '../src/flasher/plan.js';
import { runSession } from '../src/flasher/run-session.js';
import { defaultLinkFactory } from '../src/flasher/default-link.js';
import type { LinkFactory } from '../src/flasher/link.js';
import { emulatedBoard } from './lib-flash-board.js';

const argBaud = process.argv.indexOf('--baud');
const BAUD = argBaud > 0 ? Number(process.argv[argBaud + 1]) : 921600;

/**
 * A 1 MB app that deflates to about 62 %, like a real Arduino ESP32 build: an image header, then
 * runs of random bytes mixed with back-references (deterministic).
 */
function fakeApp(size: number): Uint8Array {
  const d = new Uint8Array(size);
  let x = 12345;
  const rnd = () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0), x >>> 24);
  let i = 0;
  while (i < size) {
    if (i > 4096 && rnd() < 55) {
      const len = 6 + (rnd() & 31);
      const from = i - 64 - rnd() * 12;
      for (let k = 0; k < len && i < size; k++) d[i++] = d[from + k]!;
    } else {
      const len = 4 + (rnd() & 7);
      for (let k = 0; k < len && i < size; k++) d[i++] = rnd();
    }
  }
  d.set([0xe9, 0x06, 0x02, 0x20], 0);
  d.fill(0, 8, 24);
  return d;
}

const app = fakeApp(1 << 20);
const files = await readDataFolder(defaultDataDir());
const fs = buildSpiffs(files, 0x160000);
const images = [
  { address: 0x10000, data: app, name: 'app (1 MB)' },
  { address: 0x290000, data: fs, name: `spiffs (${fs.length} B, ${files.length} file(s) from ${join('firmware', 'data')})`, role: 'filesystem' as const },
];
const limitMs = (wire: number) => (wire * 10 * 1000) / BAUD;
const kbps = (bytes: number, ms: number) => ((bytes * 8) / ms).toFixed(0);
const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

/** Flashes both images through `link`, prints the figures; returns wire bytes and write time. */
async function measure(label: string, port: string, link: LinkFactory): Promise<{ wire: number; writeMs: number }> {
  const starts = new Map<number, number>();
  const phases: { name: string; size: number; wire: number; writeMs: number; withVerifyMs: number }[] = [];
  const onEvent = (e: FlashEvent): void => {
    if (e.type === 'image-start') starts.set(e.index, performance.now());
    if (e.type === 'image-done' && e.result.status === 'written') {
      const index = phases.length;
      phases.push({ name: e.result.name, size: e.result.size, wire: e.result.wireBytes, writeMs: e.result.ms, withVerifyMs: performance.now() - (starts.get(index) ?? 0) });
    }
  };
  const t0 = performance.now();
  const [outcome] = await flashBoards({ ports: [port], baud: BAUD, before: 'default_reset', after: 'no_reset_stub', link, onEvent }, images, undefined,
    { compress: true, force: true, eraseAll: false });
  const totalMs = performance.now() - t0;
  if (!outcome?.ok) {
    process.stderr.write(`flash failed: ${outcome ? JSON.stringify(outcome.error) : 'no outcome'}\n`);
    process.exit(1);
  }
  process.stdout.write(`\n${label}\n`);
  let size = 0, wire = 0, writeMs = 0, verifyMs = 0;
  for (const p of phases) {
    size += p.size; wire += p.wire; writeMs += p.writeMs; verifyMs += p.withVerifyMs;
    process.stdout.write(`  ${p.name}\n    ${p.size} B -> ${p.wire} B compressed (${pct(p.wire / p.size)}); write ${p.writeMs.toFixed(0)} ms, `
      + `wire limit ${limitMs(p.wire).toFixed(0)} ms -> ${pct(limitMs(p.wire) / p.writeMs)} of the limit; `
      + `effective ${kbps(p.size, p.writeMs)} kbit/s (${p.withVerifyMs.toFixed(0)} ms with MD5 verify)\n`);
  }
  process.stdout.write(`  all images: ${size} B (${wire} B on the wire) in ${writeMs.toFixed(0)} ms; wire limit ${limitMs(wire).toFixed(0)} ms\n`);
  process.stdout.write(`  ratio to wire limit: ${pct(limitMs(wire) / writeMs)} (target >= 90 %); with MD5 verification ${pct(limitMs(wire) / verifyMs)}, effective ${kbps(size, verifyMs)} kbit/s\n`);
  process.stdout.write(`  whole session (reset, sync, stub upload at 115200, baud change, writes, verify): ${(totalMs / 1000).toFixed(2)} s\n`);
  return { wire, writeMs };
}

process.stdout.write(`flash bench: emulated UART at ${BAUD} baud (wire limit ${(BAUD / 10 / 1024).toFixed(1)} KiB/s of compressed data)\n`);
process.stdout.write(`baseline "wire limit" = compressed bytes × 10 bits / ${BAUD} baud\n`);

// 1. In this process.
const board = emulatedBoard({ wireTiming: true });
const inProcess = await measure('in-process link (memory pair into the emulated UART)', 'emulated://bench', board.link);
board.dispose();
const ok = md5Hex(board.flash.read(0x10000, app.length)) === md5Hex(app) && md5Hex(board.flash.read(0x290000, fs.length)) === md5Hex(fs);
if (!ok) {
  process.stderr.write('flash contents differ from the images\n');
  process.exit(1);
}

// 2. `esp-sse emulate` in its own process, over RFC 2217 on loopback.
const cli = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'cli', 'main.ts');
const emu = spawn(process.execPath, ['--import', 'tsx', cli, 'emulate', '--http-port', '0', '--rfc2217-port', '0', '--quiet'], { stdio: ['ignore', 'ignore', 'pipe'] });
const rfcPort = await new Promise<string>((resolve, reject) => {
  let err = '';
  emu.stderr.on('data', (d: Buffer) => {
    err += d.toString();
    const m = /serial port (rfc2217:\/\/\S+)/.exec(err);
    if (m?.[1]) resolve(m[1]);
  });
  emu.once('exit', (code) => reject(new Error(`esp-sse emulate exited (${code}): ${err}`)));
});
await measure(`esp-sse emulate in its own process, ${rfcPort}`, rfcPort, await defaultLinkFactory());
emu.kill('SIGTERM');

// 3. Baseline: esptool-js 0.7.0's own writeFlash, same images, in-process link.
const stock = emulatedBoard({ wireTiming: true });
let stockMs = 0;
await runSession({ port: 'emulated://stock', baud: BAUD, before: 'default_reset', after: 'no_reset_stub', link: stock.link }, async (sess) => {
  for (const { address, data } of images) {
    const t = performance.now();
    await sess.loader.writeFlash({ fileArray: [{ data: padImage(data), address }], flashMode: 'keep', flashFreq: 'keep', flashSize: 'keep', eraseAll: false, compress: true });
    stockMs += performance.now() - t;
  }
});
stock.dispose();
process.stdout.write(`\nbaseline "esptool-js writeFlash" (same images, in-process link): ${stockMs.toFixed(0)} ms -> ${pct(limitMs(inProcess.wire) / stockMs)} of the wire limit; `
  + `esp-sse's write loop ${(stockMs / inProcess.writeMs).toFixed(2)}x faster\n`);
