import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualBoard } from '../src/emulator/board.js';
import { Flash } from '../src/emulator/flash.js';
import { attachUart } from '../src/emulator/uart/attach.js';
import type { FaultOptions } from '../src/transport/faults.js';
import { cliTimeoutMs, makeProject, runCli, startBoard, type EmulatedBoard } from './flash-helpers.js';

/**
 * Line faults injected in the emulator's UART (drops, bit flips, a cut link) while the real
 * CLI flashes over RFC 2217: every run ends in a verified success or a clear failure (non-zero
 * exit, error code, hint) — never exit 0 with bytes in flash that differ from the images.
 */
const boards: EmulatedBoard[] = [];
afterEach(async () => {
  for (const b of boards.splice(0)) await b.close();
});

async function faultyBoard(faults: { tx?: FaultOptions; rx?: FaultOptions }): Promise<EmulatedBoard> {
  const b = await startBoard({ faults });
  boards.push(b);
  return b;
}

/** Replaces the board's UART servers with clean ones (the cable swapped), same flash. */
async function reconnectClean(b: EmulatedBoard): Promise<string> {
  await b.uart.close();
  const uart = await attachUart(b.board, { rfc2217Port: 0 });
  boards.push({ ...b, uart, port: uart.portNames[0]!, close: () => uart.close() });
  return uart.portNames[0]!;
}

describe('flash with line faults', () => {
  it('a link cut mid-write fails with flash.connection-lost (exit 5) naming what was and was not written; the rerun resumes and verifies', async () => {
    const p = makeProject({ 'index.html': 'x' }, { appSize: 200_000 });
    // host → board bytes: connect + stub ≈ 8 KB, bootloader ≈ 17 KB, partitions ≈ 0.2 KB; cut inside the app
    const b = await faultyBoard({ rx: { disconnectAfter: 100_000 } });
    const run = await runCli(['flash', '--project', p.dir, '--port', b.port, '--baud', '921600']);
    expect(run.code).toBe(5);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/error\[flash\.connection-lost\]: lost the connection to rfc2217:\/\/127\.0\.0\.1:\d+/);
    expect(run.stderr).toMatch(/done and verified: .*bootloader\.bin @0x1000, .*partitions\.bin @0x8000/);
    expect(run.stderr).toMatch(/interrupted: .*firmware\.bin @0x10000 \(\d+ of \d+ wire bytes sent; this region is incomplete\)/);
    expect(run.stderr).toMatch(/hint: reconnect the board and run the same command again/);
    expect(b.board.flash.read(0x10000, p.images.firmware.length)).not.toEqual(p.images.firmware);

    const port = await reconnectClean(b);
    const again = await runCli(['flash', '--project', p.dir, '--port', port, '--baud', '921600', '--json']);
    expect(again.code).toBe(0);
    const result = JSON.parse(again.stdout) as { boards: { ok: boolean; result: { images: { address: number; status: string }[] } }[] };
    expect(result.boards[0]!.result.images.map((i) => [i.address, i.status])).toEqual([
      [0x1000, 'skipped'], [0x8000, 'skipped'], [0xe000, 'skipped'], [0x10000, 'written'],
    ]);
    expect(b.board.flash.read(0x10000, p.images.firmware.length)).toEqual(p.images.firmware);
  }, cliTimeoutMs);

  const noisy: [string, { tx?: FaultOptions; rx?: FaultOptions }, boolean?][] = [
    ['bit flips host → board', { rx: { corruptRate: 2e-5, seed: 11 } }],
    ['bit flips board → host', { tx: { corruptRate: 1e-3, seed: 12 } }],
    ['dropped bytes host → board', { rx: { dropRate: 1e-5, seed: 13 } }],
    ['bit flips both ways', { rx: { corruptRate: 1e-5, seed: 14 }, tx: { corruptRate: 5e-4, seed: 15 } }],
    // every 16 KB block damaged (and the stub upload too, sooner or later): these must fail, clearly
    ['a flip every 12000th byte host → board', { rx: { corruptEvery: 12_000 } }, true],
    ['a flip every 3000th byte host → board', { rx: { corruptEvery: 3000 } }, true],
  ];
  for (const [name, faults, mustFail] of noisy) {
    it(`${name}: verified success or a clear failure, never success with wrong bytes`, async () => {
      const p = makeProject({ 'index.html': name }, { appSize: 120_000 });
      const b = await faultyBoard(faults);
      const run = await runCli(['flash', '--project', p.dir, '--port', b.port, '--baud', '921600', '--fs']);
      if (mustFail) expect(run.code).not.toBe(0);
      const flash = b.board.flash;
      const allThere = flash.read(0x1000, p.images.bootloader.length).every((x, i) => x === p.images.bootloader[i])
        && flash.read(0x10000, p.images.firmware.length).every((x, i) => x === p.images.firmware[i]);
      if (run.code === 0) {
        expect(allThere).toBe(true);
        expect(run.stdout).toMatch(/ok, 5 images/);
      } else {
        expect([4, 5, 6]).toContain(run.code);
        expect(run.stderr).toMatch(/error\[(connect|flash)\.[a-z-]+\]: .+\n {2}hint: .+/);
        expect(run.stdout).not.toMatch(/\bok\b/);
      }
    }, cliTimeoutMs);
  }

  it('a flash chip that does not keep what it is given: flash.verify-failed (exit 6), never ok', async () => {
    /** Bit 0 of the byte at 0x10100 is stuck at 0, like a worn cell. */
    class StuckBitFlash extends Flash {
      override write(offset: number, data: Uint8Array): void {
        const copy = data.slice();
        const at = 0x10100 - offset;
        if (at >= 0 && at < copy.length) copy[at]! &= 0xfe;
        super.write(offset, copy);
      }
    }
    const vb = new VirtualBoard({ httpPort: 0, loopTimer: false, flash: new StuckBitFlash(), files: { read: () => undefined } });
    const uart = await attachUart(vb, { rfc2217Port: 0 });
    await vb.powerOn();
    boards.push({ board: vb, uart, port: uart.portNames[0]!, close: async () => { await uart.close(); await vb.powerOff(); } });
    const p = makeProject({}, { appSize: 4096 });
    p.images.firmware[0x100] = 0xff; // the stuck bit matters
    writeFileSync(join(p.buildDir, 'firmware.bin'), p.images.firmware);
    const run = await runCli(['flash', '--project', p.dir, '--port', uart.portNames[0]!, '--baud', '921600']);
    expect(run.stderr).toMatch(/error\[flash\.verify-failed\]: .*firmware\.bin at 0x10000 on rfc2217:\/\/127\.0\.0\.1:\d+ did not verify: flash MD5 [0-9a-f]{32}, expected [0-9a-f]{32}/);
    expect(run.stderr).toMatch(/hint: run again with --force; if it repeats/);
    expect(run.code).toBe(6);
  }, cliTimeoutMs);
});
