/**
 * `esp-sse emulate` when it runs (emulate.ts declares its options): checks what the options
 * alone could not (the app kind, the MAC), turns the flags into the library's options, boots
 * the board and serves until SIGINT/SIGTERM.
 */
import { UserError } from '../errors.js';
import { appKinds, checkSseWriterKind, startEmulator, type AppKind, type EmulatorOptions } from '../emulator/index.js';
import { parseMac } from '../emulator/rom/registers.js';
import type { EmulateFlags } from './emulate.js';
import { toUartOptions } from './emulate-serial.js';
import { printWarning } from './warn.js';

function checkApp(value: string): AppKind {
  if (!(appKinds as readonly string[]).includes(value)) {
    throw new UserError('emulate.unknown-app', `--app ${value} is not one of ${appKinds.join(', ')}`, '--app sketch runs your firmware built for this machine; --app model the TypeScript model of the shipped sketch');
  }
  return value as AppKind;
}

/** `--mac` as the efuses take it: lower case, `:` separators. */
function checkMac(value: string): string {
  try {
    parseMac(value);
  } catch {
    throw new UserError('emulate.bad-mac', `--mac "${value}" is not a MAC address`, 'use six hex byte pairs, e.g. --mac 24:0a:c4:12:34:56');
  }
  return value.toLowerCase().replace(/-/g, ':');
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

/**
 * `--mdns`/`--no-mdns`/`--mdns-name` → the library's `mdns` option (absent = its default: on,
 * on loopback only for a loopback --host; warnings go to the emulator's onWarning).
 */
function mdnsOption(flags: EmulateFlags): Pick<EmulatorOptions, 'mdns'> {
  if (flags.mdns === false) return { mdns: false };
  if (flags.mdns === undefined && flags.mdnsName === undefined) return {};
  return { mdns: { onWarning: printWarning, ...(flags.mdnsName !== undefined ? { hostname: flags.mdnsName } : {}) } };
}

/** Flags → library options: the one place a new flag is wired in. */
export function toEmulatorOptions(flags: EmulateFlags): EmulatorOptions {
  const mac = flags.mac !== undefined ? checkMac(flags.mac) : undefined;
  return {
    host: flags.host,
    httpPort: flags.httpPort,
    dataDir: flags.data,
    flashFile: flags.flash,
    onWarning: printWarning,
    ...(flags.app !== undefined ? { app: checkApp(flags.app) } : {}),
    ...(flags.project !== undefined ? { project: flags.project } : {}),
    ...(flags.env !== undefined ? { env: flags.env } : {}),
    onStatus: (line) => process.stderr.write(`${line}\n`),
    profile: flags.profile,
    maxConnections: flags.maxConnections,
    sseWriters: flags.sseWriters,
    ...(flags.sseWriter !== undefined ? { sseWriter: checkSseWriterKind(flags.sseWriter, '--sse-writer') } : {}),
    bootMillis: flags.bootMillis,
    onSerial: flags.quiet ? undefined : echoToStdout(),
    ...mdnsOption(flags),
    uart: toUartOptions({ ...flags, ...(mac !== undefined ? { mac } : {}) }, (line) => process.stderr.write(`${line}\n`), printWarning),
  };
}

/** Boots the board, prints where it serves, and closes it on SIGINT/SIGTERM. */
export async function runEmulate(flags: EmulateFlags): Promise<void> {
  const options = toEmulatorOptions(flags);
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
  const emulator = await startEmulator(options);
  if (emulator.uart?.holdsBoard) {
    process.stderr.write(`esp-sse emulator (${emulator.board.profile.id}) waiting in the ROM loader (--boot-mode download); HTTP starts when the app runs\n`);
  } else {
    process.stderr.write(`esp-sse emulator (${emulator.board.profile.id}) serving ${emulator.url}\n`);
  }
  for (const name of emulator.uart?.portNames ?? []) process.stderr.write(`serial port ${name}\n`);
  await stopped;
  await emulator.close();
}
