/**
 * `esp-sse monitor`, run (monitor.ts holds its options): picks the port and baud, then monitors
 * (monitor-port.ts) or decodes a saved log; and `flash --monitor`'s checks before the flash and
 * its monitor after it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exitCodes, UserError } from '../errors.js';
import type { MonitorResult } from '../monitor/index.js';
import { findAddr2line } from '../monitor/toolchain.js';
import type { MonitorFlags } from './monitor.js';
import { DEFAULT_MONITOR_BAUD, givenSessionFlags, type SessionFlags, type SessionSettings } from './monitor-options.js';
import { parseSessionFlags, withImplicitElf } from './monitor-session-flags.js';
import { parseBaud } from './options.js';

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

/** `esp-sse monitor` as `flags` ask: a saved log decoded (`--decode`), or the board's port monitored. */
export async function runMonitor(flags: MonitorFlags): Promise<void> {
  if (flags.decode !== undefined) return decodeSavedLog(flags);
  const session = parseSessionFlags(flags);
  const target = await resolveMonitorTarget(flags);
  const { monitorPort } = await import('./monitor-port.js');
  await monitorPort(target.port, target.baud, { ...withImplicitElf(session, target.elfDefault), hex: flags.hex === true, reset: flags.reset === true });
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
