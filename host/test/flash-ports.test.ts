import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chooseAutoPort, describePorts } from '../src/transport/ports.js';
import { listPortsSysfs } from '../src/transport/ports-sysfs.js';
import { runCli } from './flash-helpers.js';

/** A sysfs tree shaped like Linux's: class/tty links into devices/, USB attributes on the USB device. */
function fakeSysfs(): string {
  const root = mkdtempSync(join(tmpdir(), 'esp-sse-sysfs-'));
  const sys = join(root, 'sys');
  const dir = (...p: string[]) => { const d = join(sys, ...p); mkdirSync(d, { recursive: true }); return d; };
  const link = (target: string, at: string) => symlinkSync(relative(join(at, '..'), target), at);
  const bus = (name: string) => dir('bus', name);
  mkdirSync(join(sys, 'class', 'tty'), { recursive: true });
  // CP2102 board: ttyUSB0 under usb-serial, attributes on 1-1
  const usbDev = dir('devices', 'pci0000:00', 'usb1', '1-1');
  for (const [k, v] of Object.entries({ idVendor: '10c4\n', idProduct: 'ea60\n', serial: '0001\n', manufacturer: 'Silicon Labs\n' })) writeFileSync(join(usbDev, k), v);
  const ser = dir('devices', 'pci0000:00', 'usb1', '1-1', '1-1:1.0', 'ttyUSB0');
  link(bus('usb-serial'), join(ser, 'subsystem'));
  const ttyUsb = dir('devices', 'pci0000:00', 'usb1', '1-1', '1-1:1.0', 'ttyUSB0', 'tty', 'ttyUSB0');
  link(ser, join(ttyUsb, 'device'));
  link(ttyUsb, join(sys, 'class', 'tty', 'ttyUSB0'));
  // some other USB modem: ttyACM0
  const modem = dir('devices', 'pci0000:00', 'usb1', '1-2');
  writeFileSync(join(modem, 'idVendor'), '2341\n');
  writeFileSync(join(modem, 'idProduct'), '0043\n');
  const intf = dir('devices', 'pci0000:00', 'usb1', '1-2', '1-2:1.0');
  link(bus('usb'), join(intf, 'subsystem'));
  const ttyAcm = dir('devices', 'pci0000:00', 'usb1', '1-2', '1-2:1.0', 'tty', 'ttyACM0');
  link(intf, join(ttyAcm, 'device'));
  link(ttyAcm, join(sys, 'class', 'tty', 'ttyACM0'));
  // an unused on-chip UART (platform bus: left out) and a virtual console (no device: left out)
  const plat = dir('devices', 'platform', 'serial8250');
  link(bus('platform'), join(plat, 'subsystem'));
  const ttyS = dir('devices', 'platform', 'serial8250', 'tty', 'ttyS4');
  link(plat, join(ttyS, 'device'));
  link(ttyS, join(sys, 'class', 'tty', 'ttyS4'));
  const con = dir('devices', 'virtual', 'tty', 'tty1');
  link(con, join(sys, 'class', 'tty', 'tty1'));
  return root;
}

describe('serial port listing', () => {
  it('reads ports and their USB attributes from sysfs like pyserial (no udevadm needed)', async () => {
    const raw = await listPortsSysfs(fakeSysfs());
    expect(raw).toEqual([
      { path: '/dev/ttyACM0', vendorId: '2341', productId: '0043', serialNumber: undefined, manufacturer: undefined },
      { path: '/dev/ttyUSB0', vendorId: '10c4', productId: 'ea60', serialNumber: '0001', manufacturer: 'Silicon Labs' },
    ]);
    const ports = describePorts(raw);
    expect(ports.map((p) => [p.path, p.adapter, p.likelyEsp32])).toEqual([['/dev/ttyUSB0', 'CP210x', true], ['/dev/ttyACM0', undefined, false]]);
    expect(chooseAutoPort(ports)).toBe('/dev/ttyUSB0');
  });

  it('esp-sse ports --json lists this machine\'s ports', async () => {
    const r = await runCli(['ports', '--json']);
    expect(r.code).toBe(0);
    const ports = JSON.parse(r.stdout) as { path: string; likelyEsp32: boolean }[];
    expect(Array.isArray(ports)).toBe(true);
    for (const p of ports) {
      expect(p.path).toMatch(/^\/dev\//);
      expect(typeof p.likelyEsp32).toBe('boolean');
    }
    const table = await runCli(['ports']);
    expect(table.code).toBe(0);
    if (ports.length > 0) expect(table.stdout).toMatch(/^PORT +VID:PID +ADAPTER +SERIAL +ESP32\n/);
  });

  it('--port-filter through the CLI: no match is port.none (exit 3) naming the filter, a bad filter or one with --port a usage error (exit 2)', async () => {
    const none = await runCli(['info', '--port-filter', 'serial=no-such-board-here']);
    expect(none.stderr).toContain('error[port.none]: no serial port matches --port-filter serial=no-such-board-here (ports present: ');
    expect(none.code).toBe(3);
    const bad = await runCli(['flash', '--port-filter', 'colour=red']);
    expect(bad.stderr).toContain('error[port.bad-filter]: --port-filter "colour=red": expected TYPE=VALUE');
    expect(bad.code).toBe(2);
    const both = await runCli(['erase', '--port', '/dev/ttyUSB0', '--port-filter', 'vid=0x10c4']);
    expect(both.stderr).toContain('error[port.filter-and-port]');
    expect(both.code).toBe(2);
    const monitor = await runCli(['monitor', '--port-filter', 'serial=no-such-board-here']);
    expect(monitor.stderr).toContain('error[port.none]: no serial port matches --port-filter serial=no-such-board-here');
    expect(monitor.code).toBe(3);
    const listed = await runCli(['ports', '--json', '--port-filter', 'serial=no-such-board-here']);
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual([]);
  });
});
