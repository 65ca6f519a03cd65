import { ESPLoader, Transport, type IEspLoaderTerminal } from 'esptool-js';
import type { ByteTransport } from '../transport/types.js';
import type { ChipInfo, FlashEventListener } from './events.js';
import type { LinkFactory, WebSerialLike } from './link.js';
import { LinkLostError, connectError, connectPhaseError, parseBootLog, translateOpenError } from './translate-error.js';

/** esptool's `--before` modes this flasher supports. */
export type BeforeMode = 'default_reset' | 'no_reset' | 'usb_reset';
/** esptool's `--after` modes this flasher supports on ESP32. */
export type AfterMode = 'hard_reset' | 'no_reset' | 'no_reset_stub';

export const ROM_BAUD = 115200;

export interface SessionOptions {
  port: string;
  /** Rate to switch to after the stub runs (the ROM is always spoken to at 115200). */
  baud: number;
  before: BeforeMode;
  link: LinkFactory;
  onEvent?: FlashEventListener;
  /** Forward esptool-js's own log lines as `log` events. */
  verbose?: boolean;
  /** Reset+sync attempts (esptool's default 7). */
  connectAttempts?: number;
}

/** Raised when the chip stops answering right after a baud change: retry lower. */
export class BaudChangeError extends Error {
  override readonly name = 'BaudChangeError';
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * One connected chip: a byte transport, esptool-js's `ESPLoader` on top of it, the stub
 * running and the link at the requested rate. Every loader call goes through {@link guard},
 * which fails fast with `LinkLostError` when the transport drops instead of waiting out
 * esptool-js's timeouts (up to 100 s for a read).
 */
export class FlasherSession {
  private lost?: Error;
  private readonly unsubscribe: Array<() => void> = [];
  private lostWaiters: Array<(e: Error) => void> = [];

  private constructor(
    readonly port: string,
    readonly transport: ByteTransport,
    readonly device: WebSerialLike,
    readonly loader: ESPLoader,
    readonly emitEvent: FlashEventListener,
  ) {}

  chip!: ChipInfo;
  baud = ROM_BAUD;

  /** Opens the port, resets into download mode, identifies the chip, runs the stub, changes baud. */
  static async connect(opts: SessionOptions): Promise<FlasherSession> {
    const emit = opts.onEvent ?? (() => {});
    let transport: ByteTransport;
    try {
      transport = await opts.link.createTransport(opts.port);
    } catch (e) {
      throw translateOpenError(opts.port, e);
    }
    const device = opts.link.toWebSerial(transport);
    const terminal: IEspLoaderTerminal = {
      clean: () => {},
      write: (s) => opts.verbose && emit({ type: 'log', port: opts.port, message: s }),
      writeLine: (s) => opts.verbose && emit({ type: 'log', port: opts.port, message: s }),
    };
    const espTransport = new Transport(device as never, false);
    // esptool-js prints trace lines with console.log even when tracing is off (docs/serial-protocol.md §3.10): keep stdout clean.
    espTransport.trace = (m: string) => void (opts.verbose && emit({ type: 'log', port: opts.port, message: m }));
    const loader = new ESPLoader({ transport: espTransport, baudrate: opts.baud, romBaudrate: ROM_BAUD, terminal });
    const s = new FlasherSession(opts.port, transport, device, loader, emit);
    s.watch();
    emit({ type: 'connecting', port: opts.port, baud: opts.baud });
    try {
      await s.sync(opts);
      await s.guard(loader.runStub());
      s.chip = await s.readChipInfo();
      if (opts.baud !== ROM_BAUD) await s.changeBaud(opts.baud);
      s.chip.flashId = await s.guard(loader.readFlashId());
      const size = loader.DETECTED_FLASH_SIZES[(s.chip.flashId >> 16) & 0xff];
      if (size) s.chip.flashSize = size;
    } catch (e) {
      await s.close();
      throw e instanceof BaudChangeError ? e : connectPhaseError(opts.port, e);
    }
    emit({ type: 'connected', port: opts.port, chip: s.chip });
    return s;
  }

  private watch(): void {
    this.unsubscribe.push(
      this.transport.onClose((err) => {
        if (!err) return;
        this.lost = new LinkLostError(err.message || 'the port closed');
        // Make any esptool-js read in progress fail now: 0xDB 0x00 is an invalid packet
        // head outside a frame and an invalid escape inside one.
        const t = this.loader.transport as unknown as { buffer: Uint8Array };
        t.buffer = Uint8Array.of(0xdb, 0x00);
        for (const w of this.lostWaiters) w(this.lost);
        this.lostWaiters = [];
      }),
    );
  }

  /** True once the transport reported that the link dropped. */
  get linkLost(): boolean {
    return this.lost !== undefined;
  }

  /** Runs a loader call, rejecting with `LinkLostError` as soon as the link drops. */
  guard<T>(op: Promise<T>): Promise<T> {
    if (this.lost) {
      op.catch(() => {});
      return Promise.reject(this.lost);
    }
    const lost = new Promise<never>((_, reject) => this.lostWaiters.push(reject));
    lost.catch(() => {});
    return Promise.race([op, lost]).catch((e: unknown) => {
      throw this.lost ?? e;
    });
  }

  private async sync(opts: SessionOptions): Promise<void> {
    const captured: Uint8Array[] = [];
    let capturedBytes = 0;
    const off = this.transport.onData((d) => {
      if (capturedBytes < 8192) {
        captured.push(d);
        capturedBytes += d.length;
      }
    });
    try {
      // detectChip = open at 115200, reset per `before`, SYNC, identify by magic register.
      await this.guard(this.loader.detectChip(opts.before, opts.connectAttempts ?? 7));
    } catch (e) {
      if (e instanceof LinkLostError) throw e;
      const m = e instanceof Error ? e.message : String(e);
      if (/Failed to connect|Serial data stream|No serial data|Invalid head|invalid response/i.test(m)) {
        throw connectError(opts.port, parseBootLog(Buffer.concat(captured)), e);
      }
      // Errors from opening the port surface here (the adapter opens inside esptool-js).
      throw translateOpenError(opts.port, e);
    } finally {
      off();
    }
  }

  private async readChipInfo(): Promise<ChipInfo> {
    const { loader } = this;
    const chip = loader.chip;
    const info: ChipInfo = {
      description: await this.guard(chip.getChipDescription(loader)),
      chip: chip.CHIP_NAME,
      // esptool-js joins some features with ", " inside an item (" BT"): trim each.
      features: (await this.guard(chip.getChipFeatures(loader))).map((f) => f.trim()).filter((f) => f !== ''),
      crystalMHz: await this.guard(chip.getCrystalFreq(loader)),
      mac: await this.guard(chip.readMac(loader)),
      stub: loader.IS_STUB,
    };
    if (chip.getChipRevision) info.revision = await this.guard(chip.getChipRevision(loader));
    return info;
  }

  /**
   * CHANGE_BAUDRATE without esptool-js's fallback (which resets and silently continues at
   * 115200): we retry at the next lower rate ourselves and tell the user.
   */
  private async changeBaud(baud: number): Promise<void> {
    const { loader } = this;
    const pkt = new Uint8Array(8);
    const dv = new DataView(pkt.buffer);
    dv.setUint32(0, baud, true);
    dv.setUint32(4, loader.IS_STUB ? ROM_BAUD : 0, true);
    await this.guard(loader.command(loader.ESP_CHANGE_BAUDRATE, pkt));
    await sleep(50);
    await this.guard(loader.transport.changeBaudrate(baud));
    await this.guard(loader.transport.drainInput());
    let ok = false;
    for (let i = 0; i < 2 && !ok; i++) {
      try {
        await this.guard(loader.readReg(loader.CHIP_DETECT_MAGIC_REG_ADDR, 500));
        ok = true;
      } catch (e) {
        if (e instanceof LinkLostError) throw e;
        loader.transport.flushInput();
      }
    }
    if (!ok) throw new BaudChangeError(`the chip stopped answering at ${baud} baud`);
    this.baud = baud;
    this.emitEvent({ type: 'baud-changed', port: this.port, baud });
  }

  /** SPI_FLASH_MD5 as lowercase hex; works around esptool-js hex-encoding the ROM's ASCII reply twice (§3.8/8). */
  async md5(address: number, size: number): Promise<string> {
    const raw = await this.guard(this.loader.flashMd5sum(address, size));
    if (this.loader.IS_STUB) return raw;
    return Buffer.from(raw, 'hex').toString('latin1').toLowerCase();
  }

  /**
   * The reset esptool-js's `HardReset` fails to do (§3.4): EN low via RTS (DTR released),
   * 100 ms, EN high. The app boots normally because GPIO0 (DTR) is not held.
   */
  async hardReset(): Promise<void> {
    await this.device.setSignals({ dataTerminalReady: false, requestToSend: true });
    await sleep(100);
    await this.device.setSignals({ dataTerminalReady: false, requestToSend: false });
    this.emitEvent({ type: 'reset', port: this.port, mode: 'hard_reset' });
  }

  /** Applies `--after`: hard reset, or leave the chip in the loader (stub or ROM). */
  async after(mode: AfterMode): Promise<void> {
    if (mode === 'hard_reset') await this.hardReset();
    else this.emitEvent({ type: 'reset', port: this.port, mode });
  }

  /** Closes the port; safe to call twice and after the link dropped. */
  async close(): Promise<void> {
    for (const off of this.unsubscribe.splice(0)) off();
    try {
      await this.loader.transport.disconnect();
    } catch {
      // The link may already be gone; closing the byte transport below is what matters.
    }
    await this.transport.close().catch(() => {});
  }
}
