import { readdir, readFile, realpath } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { RawPortInfo } from './ports.js';

async function attr(dir: string, name: string): Promise<string | undefined> {
  const v = await readFile(join(dir, name), 'utf8').catch(() => undefined);
  return v?.trim() || undefined;
}

/**
 * Lists serial ports from Linux sysfs the way pyserial's `list_ports_linux` does: every
 * `/sys/class/tty/*` entry with a `device` link not on the `platform` bus (unused on-chip
 * UARTs), with the USB attributes (`idVendor`, `idProduct`, `serial`, `manufacturer`) of
 * the nearest USB device above it. Used when node-serialport's lister is unavailable (it
 * runs `udevadm`, absent in containers). `root` is `/` except in tests.
 */
export async function listPortsSysfs(root = '/'): Promise<RawPortInfo[]> {
  const classDir = join(root, 'sys', 'class', 'tty');
  const devicesDir = join(root, 'sys', 'devices');
  const names = await readdir(classDir).catch(() => [] as string[]);
  const out: RawPortInfo[] = [];
  for (const name of names.sort()) {
    const device = await realpath(join(classDir, name, 'device')).catch(() => undefined);
    if (!device) continue;
    const subsystem = await realpath(join(device, 'subsystem')).then(basename, () => undefined);
    if (subsystem === 'platform') continue;
    const info: RawPortInfo = { path: `/dev/${name}` };
    for (let dir = device; dir.startsWith(devicesDir) && dir !== devicesDir; dir = dirname(dir)) {
      const vendorId = await attr(dir, 'idVendor');
      if (vendorId === undefined) continue;
      info.vendorId = vendorId;
      info.productId = await attr(dir, 'idProduct');
      info.serialNumber = await attr(dir, 'serial');
      info.manufacturer = await attr(dir, 'manufacturer');
      break;
    }
    out.push(info);
  }
  return out;
}
