/**
 * `esp-sse monitor`: the board's serial log on the terminal (keys: Ctrl+] / Ctrl+C quit,
 * Ctrl+T menu), or, when stdin is not a terminal, a pipe for CI (`--until`, `--timeout`).
 * The port is chosen as `flash` chooses it; the baud rate is `--baud`, `monitor_speed` or
 * 115200; `--open-port-attempts` waits for a port that is not there yet. While it runs it hands
 * the port to an esp-sse flasher command that asks (transport/port-handover.ts) and takes it
 * back when that ends. The terminal is put back in cooked mode on every way out. This file
 * holds the options (all that --help loads); the run, and `flash --monitor`'s, is monitor-run.ts.
 */
import type { Command } from 'commander';
import { addSessionOptions, DEFAULT_MONITOR_BAUD, type SessionFlags } from './monitor-options.js';
import { collect } from './options.js';

export interface MonitorFlags extends SessionFlags {
  port?: string[];
  portFilter?: string[];
  baud?: string;
  project: string;
  env?: string;
  hex?: boolean;
  reset?: boolean;
  decode?: string;
}

export function registerMonitor(program: Command): void {
  const cmd = program
    .command('monitor')
    .description('show the board\'s serial output (Ctrl+] quit, Ctrl+T menu); a pipe for CI with --until/--timeout when stdin is not a terminal; lends the port to esp-sse flash, uploadfs, erase, info and read-flash while they run')
    .option('-p, --port <port>', 'serial port: /dev/ttyUSB0, COM3, socket://host:port or rfc2217://host:port; default: ESPTOOL_PORT, upload_port, or the only ESP32 adapter', collect)
    .option('--port-filter <type=value>', 'choose the port among the connected ones by vid=, pid=, name= or serial=, as flash does (repeatable)', collect)
    .option('-b, --baud <rate>', `baud rate; default: monitor_speed from platformio.ini, else ${DEFAULT_MONITOR_BAUD}`)
    .option('--project <dir>', 'PlatformIO project directory (platformio.ini)', '.')
    .option('-e, --env <name>', 'platformio.ini environment (default: default_envs or the first [env:...])')
    .option('--reset', 'reset the board (EN via RTS) once the port is open, to see the boot log from the start')
    .option('--hex', 'start in the hex view (Ctrl+T a toggles)');
  addSessionOptions(cmd, 'monitor')
    .option('--decode <file>', 'do not open a port: print a saved log (e.g. from --log) with its backtraces decoded (needs --elf or the build folder\'s firmware.elf)')
    .action(async (flags: MonitorFlags) => {
      const { runMonitor } = await import('./monitor-run.js');
      await runMonitor(flags);
    });
}
