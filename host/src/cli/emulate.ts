/**
 * `esp-sse emulate`: boots a virtual board on localhost until SIGINT/SIGTERM. The board's UART
 * output goes to stdout byte for byte (unless --quiet); the URL line and other diagnostics
 * go to stderr. Add options by extending `EmulateFlags` and `toEmulatorOptions`.
 */
import { Command, InvalidArgumentError } from 'commander';
import { startEmulator, type EmulatorOptions } from '../emulator/index.js';
import { defaultProfileId, profileIds } from '../protocol/http-profiles.js';

interface EmulateFlags {
  host: string;
  httpPort: number;
  data?: string;
  profile: string;
  maxConnections: number;
  bootMillis: number;
  quiet?: boolean;
}

function integer(min: number, max: number): (value: string) => number {
  return (value) => {
    if (!/^[0-9]+$/.test(value.trim())) throw new InvalidArgumentError(`expected an integer ${min}..${max}`);
    const n = Number(value);
    if (n < min || n > max) throw new InvalidArgumentError(`expected an integer ${min}..${max}`);
    return n;
  };
}

/** Flags → library options: the one place a new flag is wired in. */
export function toEmulatorOptions(flags: EmulateFlags): EmulatorOptions {
  return {
    host: flags.host,
    httpPort: flags.httpPort,
    dataDir: flags.data,
    profile: flags.profile,
    maxConnections: flags.maxConnections,
    bootMillis: flags.bootMillis,
    onSerial: flags.quiet ? undefined : (data) => process.stdout.write(data),
  };
}

export function registerEmulate(program: Command): Command {
  return program
    .command('emulate')
    .description('Run a virtual esp-sse board on this machine: the firmware\'s page, /sse stream and /reset, byte for byte')
    .option('--host <address>', 'address to serve HTTP on', '127.0.0.1')
    .option('--http-port <port>', 'HTTP port (0 picks a free one)', integer(0, 65535), 8080)
    .option('--data <dir>', 'folder served as the SPIFFS filesystem (default: firmware/data of this package)')
    .option('--profile <name>', `wire profile: ${profileIds.join(' | ')}`, defaultProfileId)
    .option('--max-connections <n>', 'active TCP connection limit like the board\'s lwIP (0 = no limit)', integer(0, 1_000_000), 16)
    .option('--boot-millis <ms>', 'millis() at boot (values near 4294967295 reach the 32-bit wrap)', integer(0, 0xffffffff), 0)
    .option('-q, --quiet', 'do not echo the board\'s serial output to stdout')
    .action(async (flags: EmulateFlags) => {
      const emulator = await startEmulator(toEmulatorOptions(flags));
      process.stderr.write(`esp-sse emulator (${emulator.board.profile.id}) serving ${emulator.url}\n`);
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          resolve();
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      await emulator.close();
    });
}
