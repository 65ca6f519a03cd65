/**
 * `esp-sse emulate`: boots a virtual board on localhost until SIGINT/SIGTERM. The board's UART
 * output goes to stdout byte for byte (unless --quiet); the URL line and other diagnostics
 * go to stderr. This file declares the options (and is all `emulate --help` loads); the run,
 * with the emulator, is emulate-run.ts. Add options by extending `EmulateFlags` here and
 * `toEmulatorOptions` there.
 */
import type { Command } from 'commander';
import { UserError } from '../errors.js';
import { defaultProfileId, profileIds } from '../protocol/http-profiles.js';
import { addSerialOptions, type SerialFlags } from './emulate-serial.js';
import { integerOption } from './int-option.js';

export interface EmulateFlags extends SerialFlags {
  host: string;
  httpPort: number;
  data?: string;
  flash?: string;
  profile: string;
  maxConnections: number;
  sseWriters: number;
  /** Checked when the command runs (against the writer kinds). */
  sseWriter?: string;
  bootMillis: number;
  quiet?: boolean;
  /** undefined = the library's default: on (on loopback only for a loopback --host), off for ::1. */
  mdns?: boolean;
  mdnsName?: string;
  /** Checked when the command runs (against the emulator's app kinds). */
  app?: string;
  project?: string;
  env?: string;
}

/** An mDNS host label: letters, digits and hyphens, 1–63 characters (RFC 1123). */
function hostLabel(value: string): string {
  if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(value)) {
    throw new UserError('emulate.bad-mdns-name', `--mdns-name "${value}" is not a host name label`, 'use letters, digits and hyphens (no dots, no .local), e.g. --mdns-name esp-sse-2');
  }
  return value;
}

export function registerEmulate(program: Command): Command {
  return addSerialOptions(program
    .command('emulate')
    .description('run a virtual esp-sse board on this machine: the firmware\'s page, /sse stream and /reset, byte for byte')
    .option('--app <kind>', 'what the board runs: sketch = your firmware\'s source built for this machine (default), model = the TypeScript model of the shipped sketch')
    .option('--project <dir>', 'PlatformIO project whose sketch (src_dir) and data folder the board runs (default: this package\'s firmware/)')
    .option('--env <name>', 'environment of that platformio.ini (default: default_envs, else the first)')
    .option('--host <address>', 'address to serve HTTP on', '127.0.0.1')
    .option('--http-port <port>', 'HTTP port (0 picks a free one)', integerOption('--http-port', 0, 65535, 8080), 8080)
    .option('--data <dir>', 'folder whose SPIFFS image goes into the flash\'s spiffs partition (default: the project\'s data_dir; firmware/data of this package)')
    .option('--flash <file>', '4 MB flash image kept across runs (created with the default layout if missing; writes are saved)')
    .option('--profile <name>', `wire profile: ${profileIds.join(' | ')}`, defaultProfileId)
    .option('--max-connections <n>', 'active TCP connection limit like the board\'s lwIP (0 = no limit)', integerOption('--max-connections', 0, 1_000_000, 16), 16)
    .option('--sse-writers <n>', 'processes that write the event stream to established clients, for load tests with thousands (0 = all in one process)', integerOption('--sse-writers', 0, 64, 2), 0)
    .option('--sse-writer <kind>', 'the writers\' program: auto = C++ (built with the host\'s compiler) when one is found, else Node (default); native; node')
    .option('--boot-millis <ms>', 'millis() at boot (values near 4294967295 reach the 32-bit wrap)', integerOption('--boot-millis', 0, 0xffffffff, 4294967000), 0)
    .option('--mdns', 'advertise over mDNS as the firmware does (default: on; for a loopback --host on loopback only, so nothing leaves this machine)')
    .option('--no-mdns', 'do not advertise over mDNS')
    .option('--mdns-name <name>', 'mDNS host and instance name without .local (default: esp-sse); implies --mdns', hostLabel)
    .option('-q, --quiet', 'do not echo the board\'s serial output to stdout'))
    .action(async (flags: EmulateFlags) => {
      const { runEmulate } = await import('./emulate-run.js');
      await runEmulate(flags);
    });
}
