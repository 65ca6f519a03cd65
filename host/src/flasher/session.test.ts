import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { Flash } from '../emulator/flash.js';
import { BootLoader } from '../emulator/rom/loader.js';
import { Op } from '../protocol/rom-opcodes.js';
import { isUserError } from '../errors.js';
import { createMemoryPair, type MemoryTransport } from '../transport/memory.js';
import { WebSerialAdapter } from '../transport/webserial-adapter.js';
import type { FlashEvent } from './events.js';
import { eraseBoards, flashBoards, infoBoards, readFromBoard, type Connection } from './jobs.js';
import type { LinkFactory, WebSerialLike } from './link.js';
import { eraseRegion } from './operations.js';
import { runSession } from './run-session.js';

/**
 * The flasher against the emulator's ROM loader + stub over an in-memory serial pair: real
 * esptool-js, real adapter, real loader; no reset lines (before=no_reset, the loader starts
 * in ROM download mode).
 */
function board() {
  const flash = new Flash();
  const ends: MemoryTransport[] = [];
  /** Opcodes of the commands the loader received, in order. */
  const ops: number[] = [];
  const link: LinkFactory = {
    createTransport: () => {
      const [host, device] = createMemoryPair();
      ends.push(device);
      const loader = new BootLoader(flash, {
        write: (b) => void device.write(b).catch(() => {}),
        onFrame: (d, p) => { if (d === 'in' && p[0] === 0 && p.length >= 8) ops.push(p[1]!); },
      });
      device.onData((d) => loader.receive(d));
      void device.open();
      return host;
    },
    toWebSerial: (t) => new WebSerialAdapter(t) as unknown as WebSerialLike,
  };
  return { flash, link, ends, ops };
}

function app(size: number): Uint8Array {
  const d = new Uint8Array(randomBytes(size));
  d[0] = 0xe9;
  d[12] = 0;
  d[13] = 0;
  return d;
}

const conn = (link: LinkFactory, events: FlashEvent[] = []): Connection => ({
  ports: ['memory://a'], baud: 115200, before: 'no_reset', after: 'no_reset_stub', link, onEvent: (e) => events.push(e),
});

describe('flasher session against the emulator loader (in memory)', () => {
  let cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0)) await c();
  });

  it('reads chip info, writes, verifies, skips unchanged images, reads back and erases', async () => {
    const b = board();
    cleanup.push(async () => { for (const e of b.ends) await e.close(); });
    const [info] = await infoBoards(conn(b.link));
    expect(info!.ok && info!.result.chip).toBe('ESP32');
    expect(info!.ok && info!.result.mac).toMatch(/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/);
    expect(info!.ok && info!.result.flashSize).toBe('4MB');

    const fw = app(70_000);
    const data = new Uint8Array(5000).fill(0x5a);
    const events: FlashEvent[] = [];
    const [first] = await flashBoards(conn(b.link, events), [
      { address: 0x10000, data: fw, name: 'firmware.bin' },
      { address: 0x300000, data, name: 'data.bin' },
    ], undefined, { compress: true, force: false, eraseAll: false });
    if (!first!.ok) throw new Error(first!.error.message);
    expect(first!.result.images.map((i) => i.status)).toEqual(['written', 'written']);
    expect(b.flash.read(0x10000, fw.length)).toEqual(fw);
    expect(b.flash.read(0x300000, data.length)).toEqual(data);
    expect(events.some((e) => e.type === 'image-progress')).toBe(true);

    const [second] = await flashBoards(conn(b.link), [{ address: 0x10000, data: fw, name: 'firmware.bin' }], undefined,
      { compress: true, force: false, eraseAll: false });
    expect(second!.ok && second!.result.images[0]!.status).toBe('skipped');
    const [forced] = await flashBoards(conn(b.link), [{ address: 0x10000, data: fw, name: 'firmware.bin' }], undefined,
      { compress: false, force: true, eraseAll: false });
    expect(forced!.ok && forced!.result.images[0]!.status).toBe('written');

    const read = await readFromBoard(conn(b.link), 0x10000, fw.length);
    expect(read.ok && read.result.data).toEqual(fw);

    const [erased] = await eraseBoards(conn(b.link), { region: { address: 0x300000, size: 0x2000 } });
    expect(erased!.ok).toBe(true);
    expect(b.flash.read(0x300000, 0x2000).every((x) => x === 0xff)).toBe(true);
  });

  it('fails fast with flash.connection-lost and says what was written when the board drops mid-write', async () => {
    const b = board();
    cleanup.push(async () => { for (const e of b.ends) await e.close(); });
    const fw = app(0x40000);
    const events: FlashEvent[] = [];
    const c = conn(b.link, events);
    c.onEvent = (e) => {
      events.push(e);
      if (e.type === 'image-progress' && e.written > 0) void b.ends[0]!.close();
    };
    const t0 = Date.now();
    const [r] = await flashBoards(c, [{ address: 0x10000, data: fw, name: 'firmware.bin' }], undefined, { compress: false, force: true, eraseAll: false });
    expect(r!.ok).toBe(false);
    if (r!.ok) return;
    expect(r!.error.code).toBe('flash.connection-lost');
    expect(r!.error.exitCode).toBe(5);
    expect(r!.error.message).toMatch(/interrupted: firmware\.bin @0x10000/);
    expect(Date.now() - t0).toBeLessThan(25_000); // bounded: esptool-js alone would wait out its timeouts
  });

  it('once connected, --after runs on every exit path: a read past the end (refused before any read), an image too big for the flash, a loader error', async () => {
    const b = board();
    cleanup.push(async () => { for (const e of b.ends) await e.close(); });
    const events: FlashEvent[] = [];
    const c: Connection = { ...conn(b.link, events), after: 'hard_reset' };
    const resets = () => events.filter((e) => e.type === 'reset').map((e) => e.type === 'reset' && e.mode);

    const read = await readFromBoard(c, 0x3ff000, 0x2000);
    expect(!read.ok && read.error).toMatchObject({ code: 'read.out-of-range', exitCode: 2 });
    expect(b.ops).not.toContain(Op.READ_FLASH);
    expect(resets()).toEqual(['hard_reset']);

    const [big] = await flashBoards(c, [{ address: 0x3f0000, data: new Uint8Array(0x20000).fill(1), name: 'big.bin' }], undefined, { compress: true, force: false, eraseAll: false });
    expect(!big!.ok && big!.error).toMatchObject({ code: 'image.too-big-for-flash', exitCode: 2 });
    expect(b.ops).not.toContain(Op.FLASH_DEFL_BEGIN);
    expect(resets()).toEqual(['hard_reset', 'hard_reset']);

    // The stub refuses ERASE_REGION off a sector boundary (C0): the chip's answer, not a link fault.
    const refused = await runSession({ ...c, port: 'memory://a', baud: 115200 }, (s) => eraseRegion(s, 0x1001, 0x1000)).then(() => undefined, (e: unknown) => e);
    expect(refused).toMatchObject({ code: 'flash.loader-error', message: expect.stringMatching(/refused to erase region: stub status 0xc0/) });
    expect(events.some((e) => e.type === 'baud-fallback')).toBe(false);
    expect(resets()).toEqual(['hard_reset', 'hard_reset', 'hard_reset']);
  });

  it('rejects images before opening any port', async () => {
    const b = board();
    const bad = app(100);
    bad[0] = 0;
    const out = await flashBoards(conn(b.link), [{ address: 0x10000, data: bad, name: 'fw' }], undefined, { compress: true, force: false, eraseAll: false })
      .then(() => 'no error', (e: unknown) => (isUserError(e) ? e.code : String(e)));
    expect(out).toBe('image.bad-magic');
    expect(b.ends.length).toBe(0);
  });
});
