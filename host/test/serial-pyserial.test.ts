/**
 * pyserial 3.5 (Debian `python3-serial`, the library esptool and PlatformIO's monitor use) as a
 * real third-party client of the emulator's RFC 2217 and raw TCP ports: esptool's ClassicReset
 * over `rfc2217://` puts the board into download mode (banner), SYNC gets the ROM's 8 replies;
 * over `socket://` a board powered up in download mode answers the same SYNC.
 */
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualBoard } from '../src/emulator/board.js';
import { FolderFileSource } from '../src/emulator/app/file-source.js';
import { defaultDataDir } from '../src/emulator/package-root.js';
import { attachUart, type UartOptions } from '../src/emulator/uart/attach.js';

/** The system Python, where `apt-get install python3-serial` puts pyserial. */
const PYTHON = '/usr/bin/python3';

const SCRIPT = String.raw`
import sys, time, serial
port = serial.serial_for_url(sys.argv[1], baudrate=115200, timeout=10, do_not_open=True)
port.open()
if sys.argv[2] == 'reset':
    # esptool's ClassicReset, one line at a time as esptool does it (its own timing)
    port.dtr = False
    port.rts = True
    time.sleep(0.1)
    port.dtr = True
    port.rts = False
    time.sleep(0.05)
    port.dtr = False
    sys.stdout.write(port.read_until(b'waiting for download\r\n').decode('latin1'))
    sys.stdout.write('\n')
sync = bytes([0, 8, 36, 0, 0, 0, 0, 0, 7, 7, 0x12, 0x20] + [0x55] * 32)
port.write(b'\xc0' + sync.replace(b'\xdb', b'\xdb\xdd').replace(b'\xc0', b'\xdb\xdc') + b'\xc0')
print(port.read(14 * 8).hex())
port.close()
`;

const cleanup: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

function python(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, ['-c', SCRIPT, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('latin1')));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', (e) => reject(new Error(`cannot run ${PYTHON} (install python3 and python3-serial): ${e.message}`)));
    child.on('exit', (code) => resolve({ code, out, err }));
  });
}

async function board(uart: UartOptions) {
  const b = new VirtualBoard({ httpPort: 0, loopTimer: false, files: new FolderFileSource(defaultDataDir()) });
  const u = await attachUart(b, { wireTiming: true, ...uart });
  cleanup.push(() => b.powerOff());
  cleanup.push(() => u.close());
  if (!u.holdsBoard) await b.powerOn();
  return { b, u };
}

const ROM_SYNC_REPLY = 'c00108040007071220' + '00000000' + 'c0';

describe('pyserial 3.5 against the emulator ports', () => {
  it('rfc2217://: esptool ClassicReset → ROM banner, SYNC → 8 ROM replies', async () => {
    const { b, u } = await board({ rfc2217Port: 0 });
    expect(b.state).toBe('running');
    const r = await python([`rfc2217://127.0.0.1:${u.rfc2217Port}`, 'reset']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const replies = r.out.trim().split('\n').at(-1);
    const banner = r.out.slice(0, r.out.lastIndexOf(replies ?? ''));
    expect(banner).toMatch(/rst:0x1 \(POWERON_RESET\),boot:0x3 \(DOWNLOAD_BOOT\(UART0\/UART1\/SDIO_REI_REO_V2\)\)/);
    expect(banner).toMatch(/waiting for download/);
    expect(replies).toBe(ROM_SYNC_REPLY.repeat(8));
    expect(u.side.state).toBe('download');
  });

  it('socket://: a board powered up in download mode answers SYNC', async () => {
    const { u } = await board({ socketPort: 0, bootMode: 'download' });
    const r = await python([`socket://127.0.0.1:${u.socketPort}`, 'no-reset']);
    expect(r.err).toBe('');
    expect(r.out.trim()).toBe(ROM_SYNC_REPLY.repeat(8));
  });
});
