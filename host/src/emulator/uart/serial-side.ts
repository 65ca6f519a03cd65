import type { WarnFn } from '../../errors.js';
import type { Flash } from '../flash.js';
import { BootLoader } from '../rom/loader.js';
import { RegisterFile } from '../rom/registers.js';
import { romBanner } from '../rom/banner.js';
import { ResetCircuit, type BootMode } from './reset-circuit.js';
import { RxFifo, UART_FIFO_BYTES } from './rx-fifo.js';
import type { Uart } from './uart.js';

/** What the serial side needs from the rest of the virtual board. */
export interface BoardPower {
  /** EN went low: stop the app (no more Serial output, servers down as on a real reset). */
  hold(): void;
  /** Boot from flash: the board validates it and runs the app, printing through the UART. */
  bootFromFlash(): void;
  /** Bytes received while the app runs: its `Serial` input. */
  receive?(bytes: Uint8Array): void;
}

export interface SerialSideOptions {
  flash: Flash;
  uart: Uart;
  board: BoardPower;
  /** Station MAC reported by the efuses (`aa:bb:cc:dd:ee:ff`). */
  mac?: string;
  /** Baud rate of the app's Serial (`Serial.begin`). */
  appBaud?: number;
  /** Prints the ROM's reset banner before `bootFromFlash()` (the ROM's part of a normal boot). */
  printRomBanner?: boolean;
  /** Text the chip prints (banners; not loader frames), for echoing to the emulator's stdout. */
  onText?(text: string): void;
  /** Every loader frame, for `--trace`. */
  onFrame?(direction: 'in' | 'out', payload: Uint8Array): void;
  warn?: WarnFn;
}

export type ChipState = 'off' | 'reset' | 'download' | 'app';

/**
 * The chip as the serial line sees it: DTR/RTS drive the reset circuit; a boot into download
 * mode prints the ROM banner and runs the ROM loader (then the stub) on the UART; a normal boot
 * hands over to the board, which boots from the same `Flash` the loader writes.
 */
export class SerialSide {
  state: ChipState = 'off';
  loader?: BootLoader;
  readonly registers: RegisterFile;
  readonly circuit: ResetCircuit;
  /** The loader's side of the RX FIFO (the app's receive buffer is its runtime's). */
  private readonly fifo: RxFifo;
  private readonly off: (() => void)[];

  constructor(private readonly o: SerialSideOptions) {
    this.registers = new RegisterFile(o.mac);
    this.circuit = new ResetCircuit({ onHold: () => this.hold(), onBoot: (m) => this.boot(m) });
    this.fifo = new RxFifo(
      (b) => this.loader?.receive(b),
      () => o.uart.txBacklog > UART_FIFO_BYTES,
      (lost) => o.warn?.('serial.rx-overrun', `${lost} byte(s) lost: they arrived while the loader was still sending its reply (UART RX FIFO overrun)`),
    );
    this.off = [
      o.uart.onLines((l) => this.circuit.setLines(l)),
      o.uart.onReceive((b) => {
        if (this.state === 'download') this.fifo.push(b);
        else if (this.state === 'app') this.o.board.receive?.(b);
      }),
      o.uart.onTransmitted(() => {
        if (this.state === 'download') this.fifo.poll();
      }),
    ];
  }

  /** Power-on: as if EN rose with IO0 held low (`download`, the BOOT button) or not. */
  powerOn(mode: BootMode = 'normal'): void {
    this.boot(mode);
  }

  /** The board was powered up by its owner and is running the app: just follow it. */
  appStarted(): void {
    this.state = 'app';
    this.o.uart.setBaudRate(this.o.appBaud ?? 115200);
  }

  /** EN low. */
  hold(): void {
    this.state = 'reset';
    this.loader = undefined;
    this.fifo.clear();
    this.o.uart.flush();
    this.o.board.hold();
  }

  /** EN released in `mode`. */
  boot(mode: BootMode): void {
    if (this.state === 'app' || this.state === 'download') this.o.board.hold();
    this.fifo.clear();
    this.o.uart.flush();
    this.o.uart.setBaudRate(115200);
    if (mode === 'download') {
      this.state = 'download';
      this.loader = new BootLoader(
        this.o.flash,
        {
          write: (b) => this.o.uart.transmit(b),
          onBaudRate: (baud) => this.o.uart.setBaudRate(baud),
          onRunApp: () => this.runApp(),
          onFrame: this.o.onFrame,
          onWarning: this.o.warn,
        },
        this.registers,
      );
      this.print(romBanner('download'));
    } else {
      if (this.o.printRomBanner ?? true) this.print(romBanner('normal'));
      this.runApp();
    }
  }

  /** Leaves the loader and runs the app (ROM FLASH_END, stub RUN_USER_CODE, normal boot). */
  private runApp(): void {
    this.state = 'app';
    this.loader = undefined;
    this.fifo.clear();
    this.o.uart.setBaudRate(this.o.appBaud ?? 115200);
    this.o.board.bootFromFlash();
  }

  private print(text: string): void {
    this.o.uart.transmit(new TextEncoder().encode(text));
    this.o.onText?.(text);
  }

  dispose(): void {
    for (const f of this.off) f();
  }
}
