/**
 * `esp-sse emulate`: boots a virtual board on localhost until SIGINT/SIGTERM. The board's UART
 * output goes to stdout byte for byte (unless --quiet); the URL line and other diagnostics
 * go to stderr. Add options by extending `EmulateFlags` and `toEmulatorOptions`.
 */
import { Command } from 'commander';
import { UserError } from '../errors.js';
import { appKinds, startEmulator, type AppKind, type EmulatorOptions } from '../emulator/index.js';
import { isLoopbackHost } from '../emulator/mdns/board-mdns.js';
import { defaultProfileId, profileIds } from '../protocol/http-profiles.js';
import { addSerialOptions, toUartOptions, type SerialFlags } from './emulate-serial.js';
import { integerOption } from './int-option.js';
import { printWarning } from './warn.js';

interface EmulateFlags extends SerialFlags {
  host: string;
  httpPort: number;
  data?: string;
  flash?: string;
  profile: string;
  maxConnections: number;
  sseWriters: number;
  bootMillis: number;
  quiet?: boolean;
  /** undefined = on unless --host is loopback. */
  mdns?: boolean;
  mdnsName?: string;
  app?: string;
  project?: string;
  env?: string;
}

function appOption(value: string): AppKind {
  if (!(appKinds as readonly string[]).includes(value)) {
    throw new UserError('emulate.unknown-app', `--app ${value} is not one of ${appKinds.join(', ')}`, '--app sketch runs your firmware built for this machine; --app model the TypeScript model of the shipped sketch');
  }
  return value as AppKind;
}

/** An mDNS host label: letters, digits and hyphens, 1–63 characters (RFC 1123). */
function hostLabel(value: string): string {
  if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(value)) {
    throw new UserError('emulate.bad-mdns-name', `--mdns-name "${value}" is not a host name label`, 'use letters, digits and hyphens (no dots, no .local), e.g. --mdns-name esp-sse-2');
  }
  return value;
}

/** Serial → stdout; if stdout goes away (`esp-sse emulate | head`), echoing stops, the board keeps running. */
function echoToStdout(): (data: Uint8Array) => void {
  let open = true;
  process.stdout.on('error', () => {
    open = false;
  });
  return (data) => {
    if (open) process.stdout.write(data);
  };
}

/** `--mdns`/`--no-mdns`/`--mdns-name` → the library's `mdns` option (absent = its loopback rule). */
function mdnsOption(flags: EmulateFlags): Pick<EmulatorOptions, 'mdns'> {
  if (flags.mdns === false) return { mdns: false };
  const warn = printWarning;
  if (flags.mdns === undefined && flags.mdnsName === undefined) return isLoopbackHost(flags.host) ? {} : { mdns: { onWarning: warn } };
  return { mdns: { onWarning: warn, ...(flags.mdnsName !== undefined ? { hostname: flags.mdnsName } : {}) } };
}

/** Flags → library options: the one place a new flag is wired in. */
export function toEmulatorOptions(flags: EmulateFlags): EmulatorOptions {
  return {
    host: flags.host,
    httpPort: flags.httpPort,
    dataDir: flags.data,
    flashFile: flags.flash,
    onWarning: printWarning,
    ...(flags.app !== undefined ? { app: flags.app as AppKind } : {}),
    ...(flags.project !== undefined ? { project: flags.project } : {}),
    ...(flags.env !== undefined ? { env: flags.env } : {}),
    onStatus: (line) => process.stderr.write(`${line}\n`),
    profile: flags.profile,
    maxConnections: flags.maxConnections,
    sseWriters: flags.sseWriters,
    bootMillis: flags.bootMillis,
    onSerial: flags.quiet ? undefined : echoToStdout(),
    ...mdnsOption(flags),
    uart: toUartOptions(flags, (line) => process.stderr.write(`${line}\n`)),
  };
}

export function registerEmulate(program: Command): Command {
  return addSerialOptions(program
    .command('emulate')
    .description('run a virtual esp-sse board on this machine: the firmware\'s page, /sse stream and /reset, byte for byte')
    .option('--app <kind>', 'what the board runs: sketch = your firmware\'s source built for this machine (default), model = the TypeScript model of the shipped sketch', appOption)
    .option('--project <dir>', 'PlatformIO project whose sketch (src_dir) and data folder the board runs (default: this package\'s firmware/)')
    .option('--env <name>', 'environment of that platformio.ini (default: default_envs, else the first)')
    .option('--host <address>', 'address to serve HTTP on', '127.0.0.1')
    .option('--http-port <port>', 'HTTP port (0 picks a free one)', integerOption('--http-port', 0, 65535, 8080), 8080)
    .option('--data <dir>', 'folder whose SPIFFS image goes into the flash\'s spiffs partition (default: the project\'s data_dir; firmware/data of this package)')
    .option('--flash <file>', '4 MB flash image kept across runs (created with the default layout if missing; writes are saved)')
    .option('--profile <name>', `wire profile: ${profileIds.join(' | ')}`, defaultProfileId)
    .option('--max-connections <n>', 'active TCP connection limit like the board\'s lwIP (0 = no limit)', integerOption('--max-connections', 0, 1_000_000, 16), 16)
    .option('--sse-writers <n>', 'processes that write the event stream to established clients, for load tests with thousands (0 = all in one process)', integerOption('--sse-writers', 0, 64, 2), 0)
    .option('--boot-millis <ms>', 'millis() at boot (values near 4294967295 reach the 32-bit wrap)', integerOption('--boot-millis', 0, 0xffffffff, 4294967000), 0)
    .option('--mdns', 'advertise over mDNS as the firmware does (default: on unless --host is loopback)')
    .option('--no-mdns', 'do not advertise over mDNS')
    .option('--mdns-name <name>', 'mDNS host and instance name without .local (default: esp-sse); implies --mdns', hostLabel)
    .option('-q, --quiet', 'do not echo the board\'s serial output to stdout'))
    .action(async (flags: EmulateFlags) => {
      // Handlers first: a client that reacts to a boot line or the URL line with SIGINT must not
      // meet Node's default action (death by signal) before they are installed.
      const stopped = new Promise<void>((resolve) => {
        const stop = (): void => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          resolve();
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      const emulator = await startEmulator(toEmulatorOptions(flags));
      if (emulator.uart?.holdsBoard) {
        process.stderr.write(`esp-sse emulator (${emulator.board.profile.id}) waiting in the ROM loader (--boot-mode download); HTTP starts when the app runs\n`);
      } else {
        process.stderr.write(`esp-sse emulator (${emulator.board.profile.id}) serving ${emulator.url}\n`);
      }
      for (const name of emulator.uart?.portNames ?? []) process.stderr.write(`serial port ${name}\n`);
      await stopped;
      await emulator.close();
    });
}
