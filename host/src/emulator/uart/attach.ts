import type { WarnFn } from '../../errors.js';
import { limitWarnings, unrefSchedule } from '../../warn-limit.js';
import type { FaultOptions } from '../../transport/faults.js';
import type { VirtualBoard } from '../board.js';
import { FrameTracer } from '../rom/trace.js';
import type { Clock } from './clock.js';
import { PtyBridge } from './pty.js';
import type { BootMode } from './reset-circuit.js';
import { Rfc2217Server } from './rfc2217-server.js';
import { SerialSide } from './serial-side.js';
import { SocketServer } from './socket-server.js';
import { Uart } from './uart.js';

/** The emulator's serial port options (`esp-sse emulate --rfc2217-port/--socket-port/--pty/...`). */
export interface UartOptions {
  /** Address the TCP ports bind (default 127.0.0.1). */
  readonly host?: string;
  /** RFC 2217 server port (0 = a free port); absent = no RFC 2217 server. */
  readonly rfc2217Port?: number;
  /** Raw TCP port for `socket://` clients (0 = a free port); absent = none. */
  readonly socketPort?: number;
  /** Pseudo-terminal symlink to create (through socat); absent = none. */
  readonly ptyPath?: string;
  /** `download` powers up as if BOOT (IO0) were held: ROM banner, loader waiting. Default `normal`. */
  readonly bootMode?: BootMode;
  /** Bytes take their time on the wire at the set baud rate (default true). */
  readonly wireTiming?: boolean;
  /** Faults on the board → host (`tx`) and host → board (`rx`) directions. */
  readonly faults?: { readonly tx?: FaultOptions; readonly rx?: FaultOptions };
  /** `--trace`: receives one line per SLIP frame in either direction. */
  readonly trace?: (line: string) => void;
  /** Station MAC in the efuses (`aa:bb:cc:dd:ee:ff`). */
  readonly mac?: string;
  /** Baud rate of the app's `Serial.begin` (default 115200). */
  readonly appBaud?: number;
  readonly clock?: Clock;
  readonly warn?: WarnFn;
}

/** The board's UART0 with its servers. */
export interface AttachedUart {
  readonly uart: Uart;
  readonly side: SerialSide;
  readonly rfc2217Port?: number;
  readonly socketPort?: number;
  readonly ptyPath?: string;
  /** Port names a client can open: `rfc2217://…`, `socket://…`, the pty path. */
  readonly portNames: readonly string[];
  /** True when the board was powered up in download mode: the caller must not boot the app. */
  readonly holdsBoard: boolean;
  close(): Promise<void>;
}

/**
 * Gives a {@link VirtualBoard} its UART0: the app's Serial output goes out on the wire while
 * the app runs; DTR/RTS from RFC 2217 clients drive the auto-reset circuit; a download boot
 * runs the ROM loader (and then the stub) over the board's flash, a normal boot resets the board,
 * which boots from that flash. Call before `board.powerOn()`; when `holdsBoard` is set, skip
 * `powerOn()` (the board is waiting in the ROM loader).
 */
export async function attachUart(board: VirtualBoard, o: UartOptions = {}): Promise<AttachedUart> {
  // Every serial warning is about bytes a peer sent: a flood prints a line per code per 10 s.
  const warn = limitWarnings(o.warn ?? (() => {}), { schedule: unrefSchedule });
  const uart = new Uart({ wireTiming: o.wireTiming ?? true, clock: o.clock, txFaults: o.faults?.tx, rxFaults: o.faults?.rx, warn });
  const tracer = o.trace ? new FrameTracer(o.trace) : undefined;
  const side = new SerialSide({
    flash: board.flash,
    uart,
    mac: o.mac,
    appBaud: o.appBaud,
    // The boot stage prints the ROM's boot lines itself through the board's Serial.
    printRomBanner: false,
    board: {
      hold: () => void board.powerOff(),
      bootFromFlash: () => void board.reset().catch((e: unknown) => warn('emulate.boot-failed', `the board did not boot: ${(e as Error).message}`)),
      receive: (b) => board.serialIn(b),
    },
    // ROM text (the download banner) also reaches the emulator's stdout echo, like the app's.
    onText: (t) => {
      if (side.state === 'download') board.serial.print(t);
    },
    onFrame: tracer ? (d, p) => tracer.frame(d, p) : undefined,
    warn,
  });
  const offSerial = board.serial.onData((b) => {
    if (side.state === 'app') uart.transmit(b);
  });
  const host = o.host ?? '127.0.0.1';
  const hostPart = host.includes(':') ? `[${host}]` : host;
  const started: { close(): Promise<void> }[] = [];
  const names: string[] = [];
  let rfc2217Port: number | undefined;
  let socketPort: number | undefined;
  try {
    if (o.rfc2217Port !== undefined) {
      const s = await Rfc2217Server.start(uart, host, o.rfc2217Port, warn);
      started.push(s);
      rfc2217Port = s.port;
      names.push(`rfc2217://${hostPart}:${s.port}`);
    }
    if (o.socketPort !== undefined) {
      const s = await SocketServer.start(uart, host, o.socketPort, warn);
      started.push(s);
      socketPort = s.port;
      names.push(`socket://${hostPart}:${s.port}`);
    }
    if (o.ptyPath !== undefined) {
      const p = await PtyBridge.start(uart, o.ptyPath, { warn });
      started.push(p);
      names.push(o.ptyPath);
    }
  } catch (e) {
    for (const s of started.reverse()) await s.close();
    offSerial();
    side.dispose();
    throw e;
  }
  const download = o.bootMode === 'download';
  if (download) side.powerOn('download');
  else side.appStarted();
  let closed: Promise<void> | undefined;
  return {
    uart,
    side,
    rfc2217Port,
    socketPort,
    ptyPath: o.ptyPath,
    portNames: names,
    holdsBoard: download,
    close: () =>
      (closed ??= (async () => {
        offSerial();
        side.dispose();
        uart.flush();
        for (const s of started.reverse()) await s.close();
        warn.flush();
      })()),
  };
}
