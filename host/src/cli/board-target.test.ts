import { describe, expect, it } from 'vitest';
import { isUserError } from '../errors.js';
import { describePorts } from '../transport/ports.js';
import { resolveTargets, type TargetSources } from './board-target.js';

const listed = describePorts([
  { path: '/dev/ttyUSB0', vendorId: '10c4', productId: 'ea60' },
  { path: '/dev/ttyUSB1', vendorId: '1a86', productId: '55d4' },
  { path: '/dev/ttyS0' },
]);
const src = (over: Partial<TargetSources> = {}): TargetSources => ({
  flags: {}, env: {}, ini: {}, listPorts: async () => listed.slice(0, 1), ...over,
});

describe('resolveTargets', () => {
  it('follows flag > env > platformio.ini > auto for the port and the baud', async () => {
    expect(await resolveTargets(src(), { multi: false })).toEqual({ ports: ['/dev/ttyUSB0'], baud: 460800, portSource: 'auto' });
    expect(await resolveTargets(src({ ini: { uploadPort: '/dev/ttyACM3', uploadSpeed: '921600' } }), { multi: false }))
      .toEqual({ ports: ['/dev/ttyACM3'], baud: 921600, portSource: 'platformio.ini' });
    expect(await resolveTargets(src({ env: { ESPTOOL_PORT: 'rfc2217://127.0.0.1:4000', ESPTOOL_BAUD: '230400' }, ini: { uploadPort: 'x', uploadSpeed: '921600' } }), { multi: false }))
      .toEqual({ ports: ['rfc2217://127.0.0.1:4000'], baud: 230400, portSource: 'ESPTOOL_PORT' });
    expect(await resolveTargets(src({ flags: { port: ['socket://127.0.0.1:1'], baud: '115200' }, env: { ESPTOOL_PORT: 'y', ESPTOOL_BAUD: '9' } }), { multi: false }))
      .toEqual({ ports: ['socket://127.0.0.1:1'], baud: 115200, portSource: '--port' });
  });

  it('takes several ports or --all only for multi-board commands', async () => {
    const r = await resolveTargets(src({ flags: { all: true }, listPorts: async () => listed }), { multi: true });
    expect(r.ports).toEqual(['/dev/ttyUSB0', '/dev/ttyUSB1']);
    const code = async (p: Promise<unknown>) => p.then(() => 'ok', (e: unknown) => (isUserError(e) ? e.code : 'other'));
    expect(await code(resolveTargets(src({ flags: { port: ['a', 'b'] } }), { multi: false }))).toBe('port.one-only');
    expect(await code(resolveTargets(src({ listPorts: async () => listed }), { multi: false }))).toBe('port.ambiguous');
    expect(await code(resolveTargets(src({ flags: { baud: 'fast' } }), { multi: false }))).toBe('cli.bad-baud');
  });

  it('--port-filter chooses among every listed port (known adapter or not) and outranks ESPTOOL_PORT and upload_port', async () => {
    const all = async () => listed;
    const env = { ESPTOOL_PORT: '/dev/ttyX' };
    const ini = { uploadPort: '/dev/ttyY' };
    expect(await resolveTargets(src({ flags: { portFilter: ['name=ttyS'] }, env, ini, listPorts: all }), { multi: false }))
      .toEqual({ ports: ['/dev/ttyS0'], baud: 460800, portSource: '--port-filter' });
    expect(await resolveTargets(src({ flags: { portFilter: ['name=ttyUSB'], all: true }, listPorts: all }), { multi: true }))
      .toEqual({ ports: ['/dev/ttyUSB0', '/dev/ttyUSB1'], baud: 460800, portSource: '--all --port-filter' });
    const code = async (p: Promise<unknown>) => p.then(() => 'ok', (e: unknown) => (isUserError(e) ? e.code : 'other'));
    expect(await code(resolveTargets(src({ flags: { portFilter: ['name=ttyUSB'] }, listPorts: all }), { multi: false }))).toBe('port.ambiguous');
    expect(await code(resolveTargets(src({ flags: { portFilter: ['vid=0x303a'] }, listPorts: all }), { multi: true }))).toBe('port.none');
    expect(await code(resolveTargets(src({ flags: { portFilter: ['vid=1'], port: ['/dev/ttyUSB0'] } }), { multi: false }))).toBe('port.filter-and-port');
    expect(await code(resolveTargets(src({ flags: { portFilter: ['vid'] } }), { multi: false }))).toBe('port.bad-filter');
  });
});
