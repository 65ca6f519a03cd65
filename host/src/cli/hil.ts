/**
 * `esp-sse hil`: the conformance suite against a board (`--url`, `--discover`) or a virtual
 * one (`--emulator`), plus the serial-side checks when the board's port is given (`--port`;
 * `--emulator` always has one). Human report on stdout, or `--json`; `--junit FILE` for CI.
 * Exit 0 only when every check ran and passed, 1 otherwise, 2 for bad usage. This file holds
 * the options (all that --help loads); the run is hil-run.ts.
 */
import type { Command } from 'commander';
import { expectedProfiles } from '../hil/expected-wire.js';
import { durationHelp } from './duration.js';

/** The options as commander hands them over. */
export interface HilFlags {
  url?: string;
  discover?: boolean;
  name?: string;
  interface?: string;
  discoverTimeout: string;
  emulator?: boolean;
  port?: string;
  profile: string;
  window: string;
  timeout: string;
  bootTimeout: string;
  json?: boolean;
  junit?: string;
}

export function registerHil(program: Command): void {
  program
    .command('hil')
    .description('run the conformance suite (HTTP/SSE byte checks, and serial-side checks with --port) against a board or the emulator')
    .option('--url <url>', 'the board\'s base URL, e.g. http://192.168.1.50/')
    .option('--discover', 'find the board over mDNS (the first esp-sse board, or --name)')
    .option('--name <instance>', 'with --discover: the board\'s mDNS instance name')
    .option('--interface <ip|name>', 'with --discover: network interface to query on')
    .option('--discover-timeout <duration>', `with --discover: how long to listen, ${durationHelp}`, '3s')
    .option('--emulator', 'start a virtual board on free loopback ports and test it (serial checks included)')
    .option('-p, --port <port>', 'the board\'s serial port for the serial-side checks: /dev/ttyUSB0, COM3, rfc2217://host:port, socket://host:port')
    .option('--profile <name>', `ESPAsyncWebServer version whose bytes are expected: ${expectedProfiles.join(' | ')}`, 'esp32async-3.12.0')
    .option('--window <duration>', `how long the event stream is watched for the rate and id checks, ${durationHelp}`, '3s')
    .option('--timeout <duration>', `limit for each single wait (connection, reply, event), ${durationHelp}`, '10s')
    .option('--boot-timeout <duration>', `with a serial port: how long a reset may take until "HTTP server started" (Wi-Fi join included), ${durationHelp}`, '30s')
    .option('--json', 'print the report as JSON instead of text')
    .option('--junit <file>', 'also write a JUnit XML report (atomically) for CI')
    .action(async (o: HilFlags) => {
      const { runHilAndReport } = await import('./hil-run.js');
      await runHilAndReport(o);
    });
}
