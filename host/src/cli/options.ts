import { Option, type Command } from 'commander';
import { exitCodes, UserError } from '../errors.js';

/** Options every board command (flash, uploadfs, erase, info, read-flash) shares. */
export interface ConnectionFlags {
  port?: string[];
  all?: boolean;
  portFilter?: string[];
  baud?: string;
  before: 'default_reset' | 'no_reset' | 'usb_reset';
  after: 'hard_reset' | 'no_reset' | 'no_reset_stub';
  connectAttempts: string;
  project: string;
  env?: string;
  json?: boolean;
  verbose?: boolean;
}

/** Commander's accumulator for an option that may be repeated (`--port A --port B`). */
export const collect = (v: string, prev: string[] | undefined): string[] => [...(prev ?? []), v];

/** Adds `--port` (repeatable), `--all`, `--port-filter` (repeatable), `--baud`, `--before`, `--after`, `--project`, `--env`, `--json`, `--verbose`. */
export function addConnectionOptions(cmd: Command, opts: { after?: boolean; multi?: boolean } = {}): Command {
  cmd.option('-p, --port <port>', 'serial port: /dev/ttyUSB0, COM3, socket://host:port or rfc2217://host:port'
    + (opts.multi ? ' (repeat to flash several boards at once)' : '') + '; default: ESPTOOL_PORT, upload_port, or the only ESP32 adapter', collect);
  if (opts.multi) cmd.option('--all', 'every connected ESP32 USB-UART adapter, in parallel');
  cmd.option('--port-filter <type=value>', 'choose the port among the connected ones by vid=, pid= (USB IDs), name= or serial= (text the path or serial number contains), as esptool; repeatable: every type given must match, any of its values'
    + (opts.multi ? '; with --all, every matching port' : ''), collect);
  cmd
    .option('-b, --baud <rate>', 'link rate after the stub starts; default: ESPTOOL_BAUD, upload_speed, 460800 (falls back to 115200 if the link fails)')
    .addOption(new Option('--before <mode>', 'how to enter download mode').choices(['default_reset', 'no_reset', 'usb_reset']).default('default_reset'))
    .option('--connect-attempts <n>', 'reset+sync attempts', '7')
    .option('--project <dir>', 'PlatformIO project directory (platformio.ini)', '.')
    .option('-e, --env <name>', 'platformio.ini environment (default: default_envs or the first [env:...])')
    .option('--json', 'print a machine-readable result on stdout')
    .option('-v, --verbose', 'show esptool-js log lines on stderr');
  if (opts.after !== false) {
    cmd.addOption(new Option('--after <mode>', 'what to do when done').choices(['hard_reset', 'no_reset', 'no_reset_stub']).default('hard_reset'));
  } else {
    cmd.setOptionValue('after', 'no_reset_stub');
  }
  return cmd;
}

/** Parses `0x1000`, `4096`, `4K`, `1M` as a byte count/address. */
export function parseNumber(text: string, what: string): number {
  const m = /^(0x[0-9a-f]+|\d+)([km])?$/i.exec(text.trim());
  if (!m) throw new UserError('cli.bad-number', `${what}: "${text}" is not a number`, 'use decimal or 0x hex, e.g. 0x10000 or 4096', exitCodes.usage);
  const mult = m[2] ? (m[2].toLowerCase() === 'k' ? 1024 : 1024 * 1024) : 1;
  return Number(m[1]) * mult;
}

export function parseBaud(text: string, source: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 300 || n > 5_000_000) {
    throw new UserError('cli.bad-baud', `${source}: "${text}" is not a baud rate`, 'use e.g. --baud 921600 or 115200', exitCodes.usage);
  }
  return n;
}
