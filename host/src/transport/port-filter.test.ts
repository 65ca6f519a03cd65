import { describe, expect, it } from 'vitest';
import { isUserError } from '../errors.js';
import { describePortFilter, matchesPortFilter, parsePortFilters } from './port-filter.js';
import { chooseFilteredPorts, describePorts } from './ports.js';

const ports = describePorts([
  { path: '/dev/ttyUSB0', vendorId: '10c4', productId: 'ea60', serialNumber: '0001' },
  { path: '/dev/ttyUSB1', vendorId: '10c4', productId: 'ea60', serialNumber: '7c98d1065267ee11' },
  { path: '/dev/ttyACM0', vendorId: '303a', productId: '1001', serialNumber: 'F4:12:FA:00:11:22' },
  { path: '/dev/ttyS0' },
]);
const pick = (...specs: string[]) => ports.filter((p) => matchesPortFilter(p, parsePortFilters(specs))).map((p) => p.path);
const code = (f: () => unknown) => {
  try {
    f();
    return 'ok';
  } catch (e) {
    return isUserError(e) ? `${e.code} ${e.exitCode}` : 'other';
  }
};

describe('--port-filter (esptool\'s rule: every type given, any of its values)', () => {
  it('vid and pid as 0x hex or decimal; name and serial as contained text', () => {
    expect(pick('vid=0x10c4')).toEqual(['/dev/ttyUSB0', '/dev/ttyUSB1']);
    expect(pick('vid=4292')).toEqual(['/dev/ttyUSB0', '/dev/ttyUSB1']);
    expect(pick('vid=0x303A', 'pid=0x1001')).toEqual(['/dev/ttyACM0']);
    expect(pick('name=ttyUSB')).toEqual(['/dev/ttyUSB0', '/dev/ttyUSB1']);
    expect(pick('serial=7c98')).toEqual(['/dev/ttyUSB1']);
    expect(pick('serial=FA:00')).toEqual(['/dev/ttyACM0']);
  });

  it('values of one type are alternatives, types are all required', () => {
    expect(pick('vid=0x303a', 'vid=0x10c4')).toEqual(['/dev/ttyACM0', '/dev/ttyUSB0', '/dev/ttyUSB1']);
    expect(pick('vid=0x10c4', 'serial=0001')).toEqual(['/dev/ttyUSB0']);
    expect(pick('vid=0x303a', 'serial=0001')).toEqual([]);
    expect(pick('serial=0')).toEqual(['/dev/ttyACM0', '/dev/ttyUSB0', '/dev/ttyUSB1']); // a port without a serial number never matches serial=
  });

  it('malformed filters are usage errors (exit 2) naming the filter', () => {
    expect(code(() => parsePortFilters(['vid']))).toBe('port.bad-filter 2');
    expect(code(() => parsePortFilters(['colour=red']))).toBe('port.bad-filter 2');
    expect(code(() => parsePortFilters(['vid=']))).toBe('port.bad-filter 2');
    expect(code(() => parsePortFilters(['vid=0x1ffff']))).toBe('port.bad-filter 2');
    expect(code(() => parsePortFilters(['pid=abc']))).toBe('port.bad-filter 2');
    expect(describePortFilter(parsePortFilters(['serial=01', 'vid=4292', 'name=USB']))).toBe('vid=0x10c4 name=USB serial=01');
  });

  it('choosing: one match, none (listing what is there), several (unless --all)', () => {
    expect(chooseFilteredPorts(ports, parsePortFilters(['serial=0001']), false)).toEqual(['/dev/ttyUSB0']);
    expect(chooseFilteredPorts(ports, parsePortFilters(['vid=0x10c4']), true)).toEqual(['/dev/ttyUSB0', '/dev/ttyUSB1']);
    expect(code(() => chooseFilteredPorts(ports, parsePortFilters(['vid=0x10c4']), false))).toBe('port.ambiguous 3');
    expect(code(() => chooseFilteredPorts(ports, parsePortFilters(['serial=nope']), true))).toBe('port.none 3');
    try {
      chooseFilteredPorts(ports, parsePortFilters(['serial=nope']), false);
    } catch (e) {
      expect((e as Error).message).toBe('no serial port matches --port-filter serial=nope (ports present: /dev/ttyACM0 (Espressif USB-JTAG/serial 303a:1001 SN F4:12:FA:00:11:22), '
        + '/dev/ttyUSB0 (CP210x 10c4:ea60 SN 0001), /dev/ttyUSB1 (CP210x 10c4:ea60 SN 7c98d1065267ee11), /dev/ttyS0 (? -))');
    }
  });
});
