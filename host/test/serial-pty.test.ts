/**
 * The emulator's `--pty PATH` bridge (socat): a serial program opens PATH with node-serialport;
 * bytes flow both ways; a disconnect fault loses bytes but the pty stays usable; closing removes
 * the link; a PATH that exists already is `emulate.pty-exists` and is left alone.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UserError } from '../src/errors.js';
import { PtyBridge } from '../src/emulator/uart/pty.js';
import { Uart } from '../src/emulator/uart/uart.js';
import { createTransport } from '../src/transport/open-port.js';
import { Collector } from './serial-helpers.js';

const cleanup: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

const tmpPath = (): string => join(mkdtempSync(join(tmpdir(), 'esp-sse-pty-')), 'ttyESP');

describe('pty bridge', () => {
  it('carries bytes both ways, survives a disconnect fault, removes its link on close', async () => {
    const uart = new Uart({ wireTiming: false, txFaults: { disconnectAfter: 5 } });
    const rx = new Collector();
    uart.onReceive(rx.push);
    const path = tmpPath();
    const bridge = await PtyBridge.start(uart, path);
    cleanup.push(() => bridge.close());
    expect(existsSync(path)).toBe(true);
    expect(bridge.device).toMatch(/^\/dev\/pts\//);

    const tty = createTransport(path);
    await tty.open();
    cleanup.push(() => tty.close());
    const got = Collector.on(tty);
    await tty.write(new TextEncoder().encode('to the board'));
    await rx.untilText('to the board');

    uart.transmit(new TextEncoder().encode('hello world'));
    await got.untilText('hello');
    uart.transmit(new TextEncoder().encode('|again'));
    await got.untilText('|again');
    expect(got.text).toBe('hello|again'); // " world" was cut by the fault

    await tty.close();
    await bridge.close();
    expect(existsSync(path)).toBe(false);
  });

  it('refuses a path that already exists and leaves the file alone', async () => {
    const path = tmpPath();
    writeFileSync(path, 'not a tty');
    const err = await PtyBridge.start(new Uart({ wireTiming: false }), path).catch((e: unknown) => e);
    if (err instanceof PtyBridge) cleanup.push(() => err.close());
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).code).toBe('emulate.pty-exists');
    expect(readFileSync(path, 'utf8')).toBe('not a tty'); // untouched
  });

  it('says what to install when socat is missing', async () => {
    const err = await PtyBridge.start(new Uart({ wireTiming: false }), tmpPath(), { socat: '/nonexistent/socat' }).catch((e: unknown) => e);
    expect((err as UserError).code).toBe('emulate.socat-missing');
    expect((err as UserError).hint).toMatch(/apt-get install socat/);
  });
});
