import { describe, expect, it } from 'vitest';
import { UserError } from '../errors.js';
import { overallExitCode, runOnPorts } from './multi.js';
import { baudLadder } from './run-session.js';
import { describeProgress } from './write-images.js';
import { connectError, parseBootLog, translateOpenError } from './translate-error.js';

describe('multi-board runner', () => {
  it('runs every board even when one fails, and sums up the exit code', async () => {
    const out = await runOnPorts(['a', 'b', 'c'], async (p) => {
      if (p === 'b') throw new UserError('port.busy', 'busy', 'close it', 3);
      return p.toUpperCase();
    });
    expect(out).toEqual([
      { port: 'a', ok: true, result: 'A' },
      { port: 'b', ok: false, error: { code: 'port.busy', message: 'busy', hint: 'close it', exitCode: 3 } },
      { port: 'c', ok: true, result: 'C' },
    ]);
    expect(overallExitCode(out)).toBe(7);
    expect(overallExitCode(out.filter((o) => o.ok))).toBe(0);
    expect(overallExitCode(out.filter((o) => !o.ok))).toBe(3);
    const bug = await runOnPorts(['x'], async () => { throw new TypeError('oops'); });
    expect(bug[0]!.ok ? 0 : bug[0]!.error.exitCode).toBe(70);
  });
});

describe('baud ladder', () => {
  it('steps down to 115200 and never below the asked rate', () => {
    expect(baudLadder(921600)).toEqual([921600, 460800, 230400, 115200]);
    expect(baudLadder(500000)).toEqual([500000, 460800, 230400, 115200]);
    expect(baudLadder(115200)).toEqual([115200]);
    expect(baudLadder(57600)).toEqual([57600]);
  });
});

describe('errors a user can act on', () => {
  it('maps OS errors on open to port codes with the fix', () => {
    const e = (code: string, message: string) => Object.assign(new Error(message), { code });
    expect(translateOpenError('/dev/ttyUSB0', e('ENOENT', 'No such file or directory, cannot open /dev/ttyUSB0')).code).toBe('port.not-found');
    const perm = translateOpenError('/dev/ttyUSB0', e('EACCES', 'Permission denied, cannot open /dev/ttyUSB0'));
    expect([perm.code, perm.exitCode, /dialout/.test(perm.hint ?? '')]).toEqual(['port.permission', 3, true]);
    expect(translateOpenError('/dev/ttyUSB0', new Error('Error Resource temporarily unavailable Cannot lock port')).code).toBe('port.busy');
    expect(translateOpenError('rfc2217://127.0.0.1:9', e('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:9')).code).toBe('port.unreachable');
  });

  it('reads the boot mode the chip printed to say why it did not connect', () => {
    const normal = parseBootLog(Buffer.from('ets Jul 29 2019 12:21:46\r\n\r\nrst:0x1 (POWERON_RESET),boot:0x13 (SPI_FAST_FLASH_BOOT)\r\n'));
    expect(normal).toEqual({ bootMode: '0x13', downloadMode: false, sawBytes: true });
    const wrong = connectError('p', normal);
    expect([wrong.code, wrong.exitCode, /hold BOOT/i.test(wrong.hint ?? '')]).toEqual(['connect.wrong-boot-mode', 4, true]);
    const dl = parseBootLog(Buffer.from('rst:0x1 (POWERON_RESET),boot:0x3 (DOWNLOAD_BOOT(UART0/UART1/SDIO_REI_REO_V2))\r\nwaiting for download\r\n'));
    expect(connectError('p', dl).code).toBe('connect.no-sync');
    expect(connectError('p', parseBootLog(new Uint8Array(0))).code).toBe('connect.no-answer');
  });

  it('says what was written, what was not, when a write is interrupted', () => {
    const img = (name: string, address: number) => ({ name, address, data: new Uint8Array(4), role: 'data' as const, md5: '' });
    const images = [img('boot', 0x1000), img('app', 0x10000), img('fs', 0x290000)];
    const done = [{ name: 'boot', address: 0x1000, size: 4, wireBytes: 4, compressed: true, status: 'written' as const, ms: 1, md5: '' }];
    expect(describeProgress(images, done, { index: 1, sent: 16384, total: 40000 })).toBe(
      'done and verified: boot @0x1000; interrupted: app @0x10000 (16384 of 40000 wire bytes sent; this region is incomplete); not written: fs @0x290000');
  });
});
