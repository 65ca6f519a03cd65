/**
 * `esp-sse monitor`: the board's serial log on the terminal (keys: Ctrl+] / Ctrl+C quit,
 * Ctrl+T menu), or, when stdin is not a terminal, a pipe for CI (`--until`, `--timeout`).
 * The port is chosen as `flash` chooses it; the baud rate is `--baud`, `monitor_speed` or
 * 115200; `--open-port-attempts` waits for a port that is not there yet. While it runs it hands
 * the port to an esp-sse flasher command that asks (transport/port-handover.ts) and takes it
 * back when that ends. The terminal is put back in cooked mode on every way out.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { UserError } from '../errors.js';
import { exitCodes } from '../flasher/exit-codes.js';
import type { MonitorResult } from '../monitor/index.js';
import { findAddr2line } from '../monitor/toolchain.js';
import { addSessionOptions, givenSessionFlags, parseSessionFlags, withImplicitElf, type SessionFlags, type SessionSettings } from './monitor-options.js';
import { collect, parseBaud } from './options.js';

/** `monitor_speed`'s default in PlatformIO, and the firmware's `Serial.begin` rate. */
export const DEFAULT_MONITOR_BAUD = 115200;

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

/** Port and baud: the port as `flash` picks it (`--port`, `--port-filter`, ESPTOOL_PORT, upload_port, the only adapter); baud `--baud` > `monitor_speed` > 115200. */
export async function resolveMonitorTarget(flags: MonitorFlags): Promise<{ port: string; baud: number; elfDefault?: string }> {
  const [{ loadProjectSettings }, { resolveTargets }, { listPorts }] = await Promise.all([import('./project-settings.js'), import('./board-target.js'), import('../transport/ports.js')]);
  const project = await loadProjectSettings(flags.project, flags.env);
  const targets = await resolveTargets({
    flags: { ...(flags.port ? { port: flags.port } : {}), ...(flags.portFilter ? { portFilter: flags.portFilter } : {}) },
    env: { ESPTOOL_PORT: process.env.ESPTOOL_PORT },
    ini: project.upload.uploadPort !== undefined ? { uploadPort: project.upload.uploadPort } : {},
    listPorts,
  }, { multi: false });
  const baud = flags.baud !== undefined ? parseBaud(flags.baud, '--baud')
    : project.monitorSpeed !== undefined ? parseBaud(project.monitorSpeed, 'monitor_speed in platformio.ini')
      : DEFAULT_MONITOR_BAUD;
  const elf = join(project.buildDir, 'firmware.elf');
  return { port: targets.ports[0]!, baud, ...(existsSync(elf) ? { elfDefault: elf } : {}) };
}

/** `monitor --decode FILE`: decodes the backtraces of a saved log, no port involved. */
async function decodeSavedLog(flags: MonitorFlags): Promise<void> {
  const file = flags.decode!;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UserError('monitor.decode-unreadable', `cannot read ${file}: ${(e as Error).message}`, 'pass a saved serial log, e.g. one written by --log', exitCodes.usage, { cause: e });
  }
  let elf = flags.elf;
  if (elf === undefined) {
    const { loadProjectSettings } = await import('./project-settings.js');
    const project = await loadProjectSettings(flags.project, flags.env);
    const built = join(project.buildDir, 'firmware.elf');
    if (existsSync(built)) elf = built;
  }
  if (elf === undefined || !existsSync(elf)) {
    throw new UserError('monitor.elf-missing', elf === undefined ? '--decode needs the firmware ELF and none was found in the build folder' : `--elf ${elf} does not exist`, 'pass --elf path/to/firmware.elf (the build that produced the log)', exitCodes.usage);
  }
  const addr2line = flags.addr2line ?? findAddr2line();
  if (addr2line === undefined) {
    throw new UserError('monitor.no-toolchain', 'no ESP32 addr2line on PATH or in ~/.platformio/packages', 'install the ESP32 toolchain (pio pkg install) or pass --addr2line PATH', exitCodes.usage);
  }
  const [{ decodeLog }, { colours }] = await Promise.all([import('../monitor/decode-log.js'), import('./monitor-port.js')]);
  process.stdout.write(await decodeLog(text, { elf, addr2line, ...(process.stdout.isTTY ? { paint: colours } : {}) }));
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
      if (flags.decode !== undefined) return decodeSavedLog(flags);
      const session = parseSessionFlags(flags);
      const target = await resolveMonitorTarget(flags);
      const { monitorPort } = await import('./monitor-port.js');
      await monitorPort(target.port, target.baud, { ...withImplicitElf(session, target.elfDefault), hex: flags.hex === true, reset: flags.reset === true });
    });
}

/** What `flash --monitor` does after the flash: the checked session options, and whether the monitor resets the board. */
export interface FlashMonitorPlan {
  resetOnStart: boolean;
  session: SessionSettings;
}

/**
 * `flash [--monitor]`, before flashing (a mistake fails here, before any board is touched):
 * session options without `--monitor` are refused; `--monitor` takes one board and no `--json`
 * (the log goes to stdout). With the default `--after hard_reset` the flasher leaves the chip
 * alone and the monitor resets it once it is listening, so the boot log is seen from its first
 * line (a reset before the port is handed over would print lines nobody reads).
 */
export function prepareFlashMonitor(flags: SessionFlags & { monitor?: boolean; port?: string[]; all?: boolean; json?: boolean; after: string }): FlashMonitorPlan | undefined {
  if (!flags.monitor) {
    const given = givenSessionFlags(flags);
    if (given.length === 0) return undefined;
    throw new UserError('flash.monitor-option', `${given.join(', ')} ${given.length > 1 ? 'apply' : 'applies'} to the monitor and needs --monitor`, `add --monitor (flash, then monitor the board), or drop ${given.join(' ')}`, exitCodes.usage);
  }
  if ((flags.port?.length ?? 0) > 1 || flags.all) {
    throw new UserError('flash.monitor-one-board', '--monitor works on one board, but several ports were given', 'flash them without --monitor, then run esp-sse monitor -p PORT for the one to watch', exitCodes.usage);
  }
  if (flags.json) {
    throw new UserError('flash.monitor-json', '--monitor and --json cannot be combined (the serial log goes to stdout)', 'drop --json, or run esp-sse monitor separately', exitCodes.usage);
  }
  const session = parseSessionFlags(flags);
  if (flags.after !== 'hard_reset') return { resetOnStart: false, session };
  flags.after = 'no_reset';
  return { resetOnStart: true, session };
}

/**
 * `flash --monitor`, after a successful flash: monitor the same port at `monitor_speed` (or
 * 115200), as `monitor` would with the same options; `elfDefault` is the ELF of the build that
 * was flashed, for decoding (used when a toolchain is found). `lend: false` when the port is
 * still borrowed from another esp-sse monitor (that one answers for the port).
 */
export async function monitorAfterFlash(port: string, monitorSpeed: string | undefined, plan: FlashMonitorPlan, elfDefault?: string, o: { lend?: boolean } = {}): Promise<MonitorResult> {
  const baud = monitorSpeed !== undefined ? parseBaud(monitorSpeed, 'monitor_speed in platformio.ini') : DEFAULT_MONITOR_BAUD;
  const { monitorPort } = await import('./monitor-port.js');
  return monitorPort(port, baud, { ...withImplicitElf(plan.session, elfDefault), reset: plan.resetOnStart, lend: o.lend !== false });
}
