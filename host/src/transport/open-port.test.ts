import { describe, expect, it } from 'vitest';
import { UserError } from '../errors.js';
import { createTransport, parsePortName } from './open-port.js';

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return e instanceof UserError ? e.code : `not a UserError: ${String(e)}`;
  }
  return undefined;
}

describe('port names as pyserial/esptool name them', () => {
  it('reads device paths, socket:// and rfc2217:// with its options', () => {
    expect(parsePortName('/dev/ttyUSB0')).toEqual({ kind: 'device', path: '/dev/ttyUSB0' });
    expect(parsePortName('COM3')).toEqual({ kind: 'device', path: 'COM3' });
    expect(parsePortName('socket://127.0.0.1:4000')).toEqual({ kind: 'socket', host: '127.0.0.1', port: 4000 });
    expect(parsePortName('socket://[::1]:4000')).toEqual({ kind: 'socket', host: '::1', port: 4000 });
    expect(parsePortName('rfc2217://localhost:2217')).toEqual({ kind: 'rfc2217', host: 'localhost', port: 2217, options: {} });
    expect(parsePortName('rfc2217://127.0.0.1:2217?ign_set_control&timeout=5&logging=debug')).toEqual({
      kind: 'rfc2217', host: '127.0.0.1', port: 2217, options: { ignoreSetControl: true, timeoutSeconds: 5 },
    });
  });

  it('names the transport as the URL', () => {
    expect(createTransport('socket://127.0.0.1:4000').name).toBe('socket://127.0.0.1:4000');
    expect(createTransport('rfc2217://127.0.0.1:2217?ign_set_control').name).toBe('rfc2217://127.0.0.1:2217');
    expect(createTransport('/dev/ttyUSB7').name).toBe('/dev/ttyUSB7');
    expect(createTransport('socket://127.0.0.1:4000', { baudRate: 921600 }).baudRate).toBe(921600);
  });

  it('rejects bad names with a code and a hint', () => {
    expect(codeOf(() => parsePortName('loop://'))).toBe('port.unknown-scheme');
    expect(codeOf(() => parsePortName('spy://127.0.0.1:1'))).toBe('port.unknown-scheme');
    expect(codeOf(() => parsePortName('  '))).toBe('port.empty');
    expect(codeOf(() => parsePortName('socket://127.0.0.1'))).toBe('port.bad-url');
    expect(codeOf(() => parsePortName('socket://127.0.0.1:0'))).toBe('port.bad-url');
    expect(codeOf(() => parsePortName('rfc2217://127.0.0.1:99999'))).toBe('port.bad-url');
    expect(codeOf(() => parsePortName('rfc2217://127.0.0.1:2217/x'))).toBe('port.bad-url');
    expect(codeOf(() => parsePortName('rfc2217://127.0.0.1:2217?bogus'))).toBe('port.bad-option');
    expect(codeOf(() => parsePortName('rfc2217://127.0.0.1:2217?timeout=-1'))).toBe('port.bad-option');
    expect(codeOf(() => parsePortName('socket://127.0.0.1:2217?ign_set_control'))).toBe('port.bad-option');
    try {
      parsePortName('usb://x');
    } catch (e) {
      expect((e as UserError).hint).toMatch(/socket:\/\//);
    }
  });
});
