import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../src/emulator/index.js';
import type { FlashEvent } from '../src/flasher/events.js';
import type { LinkFactory, WebSerialLike } from '../src/flasher/link.js';
import { eraseRegion, readFlash } from '../src/flasher/operations.js';
import { runSession } from '../src/flasher/run-session.js';
import { createTransport } from '../src/transport/open-port.js';
import { WebSerialAdapter } from '../src/transport/webserial-adapter.js';
import { cliTimeoutMs, pattern, runCli } from './flash-helpers.js';

/**
 * The board is left as it was found: once the flasher is connected, `--after hard_reset` (the
 * default) runs on every way out — a request refused against the flash size the chip reported,
 * a loader error, success — so the app boots again and serves HTTP. The emulator's UART is a
 * real RFC 2217 port; its frame trace shows what reached the loader.
 */
const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

interface Bench {
  emu: RunningEmulator;
  port: string;
  /** One line per SLIP frame, both directions (`host→chip READ_FLASH (24 bytes) …`). */
  trace: string[];
  /** Resolves once the app has started its HTTP server `n` times since power-on. */
  booted(n: number): Promise<void>;
}

async function bench(): Promise<Bench> {
  const trace: string[] = [];
  let serial = '';
  const waiters = new Set<() => void>();
  const emu = await startEmulator({
    httpPort: 0,
    onSerial: (d) => { serial += Buffer.from(d).toString('latin1'); for (const w of [...waiters]) w(); },
    uart: { rfc2217Port: 0, wireTiming: false, trace: (l) => trace.push(l) },
  });
  cleanup.push(() => emu.close());
  const booted = (n: number) => new Promise<void>((resolve) => {
    const check = () => {
      if (serial.split('HTTP server started').length - 1 >= n) { waiters.delete(check); resolve(); }
    };
    waiters.add(check);
    check();
  });
  await booted(1);
  return { emu, port: emu.uart!.portNames[0]!, trace, booted };
}

const sent = (trace: string[], op: string) => trace.filter((l) => new RegExp(`host→chip ${op} \\(`).test(l)).length;

/** The app answers over HTTP again (it booted from flash after the flasher's EN pulse). */
async function servesHttp(b: Bench, boots: number): Promise<void> {
  await b.booted(boots);
  expect(b.emu.uart!.side.state).toBe('app');
  const res = await fetch(b.emu.url);
  expect(res.status).toBe(200);
  await res.arrayBuffer();
}

describe('refused after connecting: a usage error, and the board runs again', () => {
  it('read-flash past the end of the 4 MB flash: read.out-of-range (exit 2) naming where the flash ends, no read sent, no baud step-down', async () => {
    const b = await bench();
    const out = join(mkdtempSync(join(tmpdir(), 'esp-sse-past-end-')), 'out.bin');
    const r = await runCli(['read-flash', '--port', b.port, '--baud', '921600', '0x3FF000', '0x2000', out]);
    expect(r.stderr).toMatch(/error\[read\.out-of-range\]: 0x3ff000\+0x2000 ends at 0x401000, past the end of the 4 MB flash, which ends at 0x400000\n/);
    expect(r.stderr).toMatch(/hint: read at most 0x1000 bytes from 0x3ff000/);
    expect(r.stderr).not.toMatch(/retrying at|check the cable/);
    expect(r.code).toBe(2);
    expect(sent(b.trace, 'SYNC')).toBeGreaterThan(0); // it did connect (the size comes from the chip)
    expect(sent(b.trace, 'READ_FLASH')).toBe(0);
    expect(sent(b.trace, 'CHANGE_BAUDRATE')).toBe(1);
    expect(existsSync(out)).toBe(false);
    await servesHttp(b, 2);
  }, cliTimeoutMs);

  it('flash: an image too big for the flash the chip reports is image.too-big-for-flash (exit 2), nothing written; --after no_reset leaves it in the loader by request', async () => {
    const b = await bench();
    const dir = mkdtempSync(join(tmpdir(), 'esp-sse-too-big-')); // no platformio.ini: no partition table to check against before connecting
    writeFileSync(join(dir, 'big.bin'), pattern(0x20000, 7));
    const before = b.emu.board.flash.read(0x3f0000, 0x10000).slice();
    const r = await runCli(['flash', '--port', b.port, '0x3F0000', 'big.bin'], { cwd: dir });
    expect(r.stderr).toMatch(/error\[image\.too-big-for-flash\]: big\.bin ends at 0x410000, past the end of the 4 MB flash, which ends at 0x400000\n/);
    expect(r.stderr).toMatch(/hint: at 0x3f0000 an image of at most 0x10000 bytes fits/);
    expect(r.code).toBe(2);
    expect(sent(b.trace, 'FLASH_DEFL_BEGIN') + sent(b.trace, 'FLASH_BEGIN')).toBe(0);
    expect(b.emu.board.flash.read(0x3f0000, 0x10000)).toEqual(before);
    await servesHttp(b, 2);

    const kept = await runCli(['flash', '--port', b.port, '--after', 'no_reset', '0x3F0000', 'big.bin'], { cwd: dir });
    expect(kept.code).toBe(2);
    expect(kept.stderr).toMatch(/left in the loader \(no_reset\)/);
    expect(b.emu.uart!.side.state).toBe('download');
  }, cliTimeoutMs);

  it('fs pull of a partition that is not SPIFFS: fs.unsupported-filesystem (exit 2), and the board runs again', async () => {
    const b = await bench();
    const r = await runCli(['fs', 'pull', join(mkdtempSync(join(tmpdir(), 'esp-sse-pull-')), 'x'), '--port', b.port, '--partition', 'nvs']);
    expect(r.stderr).toContain('error[fs.unsupported-filesystem]');
    expect(r.code).toBe(2);
    await servesHttp(b, 2);
  }, cliTimeoutMs);
});

describe('errors the loader reports are the loader\'s, never the link\'s', () => {
  const link: LinkFactory = {
    createTransport: (name) => createTransport(name),
    toWebSerial: (t, info) => new WebSerialAdapter(t, info) as unknown as WebSerialLike,
  };

  it('a read the stub refuses (C4) and an erase region it refuses (C0): flash.loader-error with the status, at the asked rate, one connect each; the board runs again', async () => {
    const b = await bench();
    const events: FlashEvent[] = [];
    const opts = { port: b.port, baud: 921600, before: 'default_reset' as const, after: 'hard_reset' as const, link, onEvent: (e: FlashEvent) => events.push(e) };

    // Past the end without the pre-check (as with a flash whose size the chip did not report).
    const read = await runSession(opts, (s) => readFlash(s, 0x3ff000, 0x2000)).then(() => undefined, (e: unknown) => e);
    expect(read).toMatchObject({ code: 'flash.loader-error', exitCode: 5, message: expect.stringMatching(/refused to read flash: stub status 0xc4 \(SPI flash operation failed\)/) });
    expect((read as { hint: string }).hint).not.toMatch(/cable|--baud/);
    expect(sent(b.trace, 'READ_FLASH')).toBe(1);
    await servesHttp(b, 2);

    const erase = await runSession(opts, (s) => eraseRegion(s, 0x1001, 0x1000)).then(() => undefined, (e: unknown) => e);
    expect(erase).toMatchObject({ code: 'flash.loader-error', message: expect.stringMatching(/refused to erase region: stub status 0xc0/) });
    expect(sent(b.trace, 'ERASE_REGION')).toBe(1);
    await servesHttp(b, 3);

    expect(events.filter((e) => e.type === 'baud-fallback')).toEqual([]);
    expect(events.filter((e) => e.type === 'connecting').length).toBe(2);
    expect(events.filter((e) => e.type === 'baud-changed').map((e) => e.type === 'baud-changed' && e.baud)).toEqual([921600, 921600]);
    expect(events.filter((e) => e.type === 'reset').map((e) => e.type === 'reset' && e.mode)).toEqual(['hard_reset', 'hard_reset']);
  }, cliTimeoutMs);
});
