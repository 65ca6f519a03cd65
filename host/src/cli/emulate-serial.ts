/**
 * The serial-port flags of `esp-sse emulate` (`--rfc2217-port`, `--socket-port`, `--pty`,
 * `--boot-mode`, `--trace`, `--mac`, `--no-wire-timing`, fault switches), kept apart from the
 * web flags: `addSerialOptions` declares them, `toUartOptions` turns them into the library's
 * `uart` option (undefined when no port was asked for).
 */
import type { Command } from 'commander';
import { UserError, type WarnFn } from '../errors.js';
import type { UartOptions } from '../emulator/uart/attach.js';
import type { FaultOptions } from '../transport/faults.js';
import { integerOption } from './int-option.js';

export interface SerialFlags {
  rfc2217Port?: number;
  socketPort?: number;
  pty?: string;
  bootMode?: string;
  trace?: boolean;
  /** Checked when the command runs (emulate-run.ts). */
  mac?: string;
  wireTiming?: boolean;
  corruptEvery?: number;
  dropEvery?: number;
  disconnectAfter?: number;
  faultDirection?: string;
}

function choice(flag: string, values: readonly string[]): (value: string) => string {
  return (value) => {
    if (!values.includes(value)) throw new UserError('emulate.bad-choice', `${flag} "${value}" is not one of ${values.join(', ')}`, `e.g. ${flag} ${values[0]}`);
    return value;
  };
}

export function addSerialOptions(cmd: Command): Command {
  return cmd
    .option('--rfc2217-port <port>', 'serve UART0 as an RFC 2217 port (esptool/pyserial rfc2217://HOST:PORT, with DTR/RTS reset; 0 = free port)', integerOption('--rfc2217-port', 0, 65535, 4000))
    .option('--socket-port <port>', 'serve UART0 as a raw TCP port (socket://HOST:PORT, no control lines; 0 = free port)', integerOption('--socket-port', 0, 65535, 4001))
    .option('--pty <path>', 'create a pseudo-terminal at PATH (through socat) that any serial program can open')
    .option('--boot-mode <mode>', 'power up normally or as if BOOT (IO0) were held: normal | download', choice('--boot-mode', ['normal', 'download']), 'normal')
    .option('--trace', 'print every SLIP frame to and from the ROM loader/stub on stderr, with time deltas')
    .option('--mac <mac>', 'station MAC in the efuses (default 24:0a:c4:ab:cd:ef)')
    .option('--no-wire-timing', 'deliver serial bytes at once instead of at the baud rate\'s pace')
    .option('--corrupt-every <n>', 'fault: flip a bit in every Nth serial byte', integerOption('--corrupt-every', 1, 1e9, 1000))
    .option('--drop-every <n>', 'fault: drop every Nth serial byte', integerOption('--drop-every', 1, 1e9, 1000))
    .option('--disconnect-after <n>', 'fault: cut the serial connection after N bytes', integerOption('--disconnect-after', 0, 1e12, 65536))
    .option('--fault-direction <dir>', 'which way the faults hit: to-host | to-board | both', choice('--fault-direction', ['to-host', 'to-board', 'both']), 'to-host');
}

/**
 * Flags → `EmulatorOptions.uart`; undefined when no serial port was requested. `print` takes the
 * `--trace` lines, `warn` the serial warnings (the CLI's printer, cli/warn.ts).
 */
export function toUartOptions(flags: SerialFlags, print: (line: string) => void, warn: WarnFn): UartOptions | undefined {
  const wanted = flags.rfc2217Port !== undefined || flags.socketPort !== undefined || flags.pty !== undefined;
  if (!wanted) {
    const stray = [
      flags.bootMode === 'download' && '--boot-mode download',
      flags.trace && '--trace',
      flags.mac !== undefined && '--mac',
      flags.wireTiming === false && '--no-wire-timing',
      flags.corruptEvery !== undefined && '--corrupt-every',
      flags.dropEvery !== undefined && '--drop-every',
      flags.disconnectAfter !== undefined && '--disconnect-after',
    ].find((f): f is string => typeof f === 'string');
    if (stray) throw new UserError('emulate.no-serial-port', `${stray} needs a serial port`, 'add --rfc2217-port 0, --socket-port 0 or --pty PATH');
    return undefined;
  }
  const faults: FaultOptions = {
    ...(flags.corruptEvery !== undefined ? { corruptEvery: flags.corruptEvery } : {}),
    ...(flags.dropEvery !== undefined ? { dropEvery: flags.dropEvery } : {}),
    ...(flags.disconnectAfter !== undefined ? { disconnectAfter: flags.disconnectAfter } : {}),
  };
  const dir = flags.faultDirection ?? 'to-host';
  return {
    ...(flags.rfc2217Port !== undefined ? { rfc2217Port: flags.rfc2217Port } : {}),
    ...(flags.socketPort !== undefined ? { socketPort: flags.socketPort } : {}),
    ...(flags.pty !== undefined ? { ptyPath: flags.pty } : {}),
    bootMode: flags.bootMode === 'download' ? 'download' : 'normal',
    wireTiming: flags.wireTiming !== false,
    ...(flags.mac !== undefined ? { mac: flags.mac } : {}),
    faults: {
      ...(dir !== 'to-board' ? { tx: faults } : {}),
      ...(dir !== 'to-host' ? { rx: faults } : {}),
    },
    ...(flags.trace ? { trace: print } : {}),
    warn,
  };
}
