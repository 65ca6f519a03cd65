import { describe, expect, it } from 'vitest';
import { isUserError } from '../errors.js';
import { chooseAutoPort, describePorts, formatUsbId } from './ports.js';

const raw = [
  { path: '/dev/ttyS0' },
  { path: '/dev/ttyUSB1', vendorId: '1a86', productId: '7523', serialNumber: 'A1' },
  { path: '/dev/ttyACM0', vendorId: '2341', productId: '0043', manufacturer: 'Arduino' },
  { path: '/dev/ttyUSB0', vendorId: '10C4', productId: 'EA60' },
];

describe('ports', () => {
  it('marks known ESP32 adapters and lists them first', () => {
    const ports = describePorts(raw);
    expect(ports.map((p) => [p.path, p.likelyEsp32, p.adapter])).toEqual([
      ['/dev/ttyUSB0', true, 'CP210x'],
      ['/dev/ttyUSB1', true, 'CH340'],
      ['/dev/ttyACM0', false, undefined],
      ['/dev/ttyS0', false, undefined],
    ]);
    expect(formatUsbId(ports[0]!)).toBe('10c4:ea60');
    expect(ports[1]!.serialNumber).toBe('A1');
  });

  it('chooses the only known adapter, and refuses to guess among several or none', () => {
    const code = (f: () => unknown) => {
      try { f(); } catch (e) { return isUserError(e) ? `${e.code}/${e.exitCode}` : 'other'; }
      return 'ok';
    };
    expect(chooseAutoPort(describePorts(raw.slice(0, 3)))).toBe('/dev/ttyUSB1');
    expect(code(() => chooseAutoPort(describePorts(raw)))).toBe('port.ambiguous/3');
    expect(code(() => chooseAutoPort(describePorts([raw[0]!, raw[2]!])))).toBe('port.none/3');
  });
});
