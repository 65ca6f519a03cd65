/**
 * `startEmulator`: boots a virtual board serving the firmware's HTTP/SSE interface on
 * localhost. The CLI (`esp-sse emulate`) is one client; tests and benchmarks are others.
 */
import { statSync } from 'node:fs';
import { UserError, type WarnFn } from '../errors.js';
import { readDataFolder } from '../settings/data-folder.js';
import { isProfileId, profileIds, type ProfileId } from '../protocol/http-profiles.js';
import { FolderFileSource, type FileSource } from './app/file-source.js';
import type { LoopTimer } from './app/loop-scheduler.js';
import { VirtualBoard, type BoardOptions } from './board.js';
import { flashBootStage } from './boot/boot-stage.js';
import { defaultFlashImage, writeSpiffsImage } from './boot/default-flash.js';
import { FlashPersistence, openFlashFile } from './boot/flash-file.js';
import { writeLittlefsImage } from './boot/littlefs-data.js';
import { Flash } from './flash.js';
import type { TimeSource } from './clock.js';
import { defaultDataDir } from './package-root.js';
import { attachUart, type AttachedUart, type UartOptions } from './uart/attach.js';
import { createBoardMdns, mdnsByDefault, type BoardMdns, type EmulatorMdnsOptions } from './mdns/board-mdns.js';
import { appKinds, prepareSketchApp, type AppKind } from './app-choice.js';
import { checkSseWriterKind, prepareSseWriter, type SseWriterKind } from './sse-writer-choice.js';
import { DEFAULT_MAC } from './rom/registers.js';
import { packageRoot } from './package-root.js';
import { loadProjectSettings } from '../settings/project.js';
import { parseFsType, type FsType } from '../formats/fs-type.js';

export { VirtualBoard } from './board.js';
export type { BoardOptions, BootLoop, BootOutcome, BootStage, BoardState, BoardTimer } from './board.js';
export { Flash } from './flash.js';
export { flashBootStage } from './boot/boot-stage.js';
export { defaultFlashImage, writeSpiffsImage, flashLayout } from './boot/default-flash.js';
export { SerialOut } from './serial-out.js';
export { MillisClock } from './clock.js';
export { FolderFileSource } from './app/file-source.js';
export type { FileSource } from './app/file-source.js';

export { appKinds, type AppKind } from './app-choice.js';
export { checkSseWriterKind, sseWriterKinds, type SseWriterKind } from './sse-writer-choice.js';
export type { UartOptions } from './uart/attach.js';
export { isLoopbackHost, mdnsByDefault } from './mdns/board-mdns.js';
export { parseMac } from './rom/registers.js';

export interface EmulatorOptions {
  /**
   * The board's app: `sketch` = the project's own firmware (`src_dir` of its platformio.ini)
   * built with the host's C++ compiler against our runtime of the Arduino API; `model` = the
   * TypeScript model of the shipped sketch. Default `sketch`, falling back to the model with a
   * warning when no compiler exists; `model` when the test hooks `loopTimer` or `timeSource`
   * are given (they drive the model's loop and clock).
   */
  readonly app?: AppKind;
  /** The PlatformIO project whose sketch and data folder the board runs; default this package (its firmware/). */
  readonly project?: string;
  /** Its `[env:NAME]`; default `default_envs`, else the first. */
  readonly env?: string;
  /** Progress lines while the sketch is built (`compiling …`). */
  readonly onStatus?: (line: string) => void;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Default 8080; 0 picks a free port. */
  readonly httpPort?: number;
  /**
   * Folder whose SPIFFS image goes into the flash's spiffs partition; default `firmware/data`
   * of the package (only when the flash is laid out afresh). Ignored when `files` is given.
   */
  readonly dataDir?: string;
  /**
   * A filesystem the app serves directly, skipping the flash and the ROM/bootloader lines (the
   * app model alone, for tests of the web side).
   */
  readonly files?: FileSource;
  /**
   * `--flash FILE`: the board's 4 MB flash kept in this file (created with the default layout
   * if missing; writes saved atomically). With `dataDir` as well, the folder's SPIFFS image is
   * written into the file's spiffs partition first.
   */
  readonly flashFile?: string;
  /** Diagnostics a real board cannot print (why no app booted, a damaged SPIFFS, a failed save). */
  readonly onWarning?: WarnFn;
  /** Wire profile name; default `esp32async-3.12.0`. */
  readonly profile?: string;
  /** Default 16; 0 lifts the limit (load tests). */
  readonly maxConnections?: number;
  /**
   * Processes that write the event stream to established clients (default 0: all in this
   * process). For load tests with thousands of clients: spreads the per-socket writes over
   * more cores; the bytes, the queue rule and the limits are the same.
   */
  readonly sseWriters?: number;
  /**
   * The writers' program: `auto` (default) the C++ writer when a C++ compiler builds it, else
   * the Node writer; `native` the C++ writer or an error; `node` the Node writer.
   */
  readonly sseWriter?: SseWriterKind;
  /** `millis()` at boot. */
  readonly bootMillis?: number;
  /** Receives every byte the board prints on UART0, from the first boot line on. */
  readonly onSerial?: (data: Uint8Array) => void;
  readonly timeSource?: TimeSource;
  readonly loopTimer?: LoopTimer | false;
  /**
   * mDNS as the firmware advertises it, on the HTTP host's interface: for a loopback host, on
   * loopback only (nothing leaves the machine). Default: on, except for `::1`
   * (`mdnsByDefault`); `true` or settings force it on, `false` off.
   */
  readonly mdns?: boolean | EmulatorMdnsOptions;
  /** The board's UART0 as serial ports (RFC 2217, raw TCP, pty), boot mode, wire timing, faults, trace. */
  readonly uart?: UartOptions;
  /** Extra board options (boot stage, flash, mDNS) for the other emulator parts. */
  readonly board?: Partial<BoardOptions>;
}

export interface RunningEmulator {
  /** `http://host:port/` */
  readonly url: string;
  readonly httpPort: number;
  readonly board: VirtualBoard;
  /** The serial ports, when `uart` was given. */
  readonly uart?: AttachedUart;
  /** Powers the board off: listener closed, connections reset. Idempotent. */
  close(): Promise<void>;
}

/** Validates options, powers the board on and resolves once it serves HTTP. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const profile = checkProfile(options.profile);
  const appKind = checkApp(options);
  const sseWriterKind = checkSseWriterKind(options.sseWriter ?? 'auto', 'sseWriter');
  const files = options.files;
  const warn: WarnFn = options.onWarning ?? (() => {});
  const projectDir = options.project ?? packageRoot();
  const project = options.project !== undefined ? await checkProject(options.project, options.env) : undefined;
  const dataDir = options.dataDir ?? project?.dataDir;
  // The project's board_build.filesystem, read as every fs command reads it (one rule).
  const filesystem: FsType = project ? parseFsType(project.filesystem, 'board_build.filesystem', project.iniPath) : 'spiffs';
  const flashSetup = files || options.board?.flash ? undefined : await prepareFlash({ ...options, dataDir }, filesystem, warn);
  const host = options.host ?? '127.0.0.1';
  const mdnsOn = options.mdns ?? mdnsByDefault(host);
  const mdns: BoardMdns | undefined = mdnsOn === false ? undefined : createBoardMdns({
    host,
    port: (): number => board.httpPort,
    print: (text) => board.serial.print(text),
    warn,
    ...(typeof mdnsOn === 'object' ? { options: mdnsOn } : {}),
  });
  // What a failed start has opened so far is closed again before the error is thrown.
  const undo = async (): Promise<void> => {
    await mdns?.close();
    await flashSetup?.persistence?.close();
  };
  const undoAndThrow = async (e: unknown): Promise<never> => {
    await undo();
    throw e;
  };
  const app = options.board?.app ? undefined : await prepareSketchApp({
    app: appKind,
    explicit: options.app !== undefined,
    projectDir,
    ...(options.env !== undefined ? { env: options.env } : {}),
    mac: options.uart?.mac ?? DEFAULT_MAC,
    ...(mdns ? { mdns } : {}),
    warn,
    ...(options.onStatus ? { onStatus: options.onStatus } : {}),
  }).catch(undoAndThrow);
  const sseWriterProgram = options.sseWriters ? await prepareSseWriter({
    kind: sseWriterKind,
    projectDir,
    warn,
    ...(options.onStatus ? { onStatus: options.onStatus } : {}),
  }).catch(undoAndThrow) : undefined;
  const board = new VirtualBoard({
    profile,
    ...(app ? { app } : {}),
    host,
    httpPort: options.httpPort ?? 8080,
    maxConnections: options.maxConnections,
    sseWriters: options.sseWriters,
    ...(sseWriterProgram ? { sseWriterProgram } : {}),
    warn,
    bootMillis: options.bootMillis,
    timeSource: options.timeSource,
    loopTimer: options.loopTimer,
    files,
    ...(flashSetup ? { flash: flashSetup.flash } : {}),
    ...(files ? {} : { boot: flashBootStage({ warn }) }),
    ...(mdns ? { startMdns: () => mdns.start() } : {}),
    ...options.board,
  });
  if (options.onSerial) board.serial.onData(options.onSerial);
  const uart = options.uart ? await attachUart(board, { host, ...options.uart }).catch(undoAndThrow) : undefined;
  try {
    if (!uart?.holdsBoard) await board.powerOn(); // download boot mode: the ROM loader waits instead
  } catch (e) {
    await uart?.close();
    await undo();
    throw translateListenError(e, host, options.httpPort ?? 8080);
  }
  const hostPart = host.includes(':') ? `[${host}]` : host;
  let closed: Promise<void> | undefined;
  return {
    url: `http://${hostPart}:${board.httpPort}/`,
    httpPort: board.httpPort,
    board,
    uart,
    close: () => (closed ??= board.powerOff().then(() => uart?.close()).then(() => mdns?.close()).then(() => flashSetup?.persistence?.close())),
  };
}

/**
 * The board's flash: from `flashFile` (kept in sync with it) or laid out afresh from the data
 * folder, whose image is SPIFFS or, for a project with `board_build.filesystem = littlefs`, LittleFS.
 */
async function prepareFlash(options: EmulatorOptions, filesystem: FsType, warn: WarnFn): Promise<{ flash: Flash; persistence?: FlashPersistence }> {
  const dataFiles = async () => readDataFolder(checkDataDir(options.dataDir ?? defaultDataDir()));
  const writeData = (image: Uint8Array, data: Awaited<ReturnType<typeof dataFiles>>): void => {
    if (filesystem === 'littlefs') writeLittlefsImage(image, data);
    else writeSpiffsImage(image, data);
  };
  const layOut = async (): Promise<Uint8Array> => {
    if (filesystem === 'spiffs') return defaultFlashImage(await dataFiles());
    const image = defaultFlashImage([]);
    writeLittlefsImage(image, await dataFiles());
    return image;
  };
  if (options.flashFile === undefined) return { flash: new Flash(undefined, await layOut()) };
  const path = options.flashFile;
  const { flash, created } = await openFlashFile(path, layOut);
  if (!created && options.dataDir !== undefined) {
    const image = flash.bytes.slice();
    writeData(image, await dataFiles());
    flash.write(0, image);
    await flash.save(path);
  }
  const persistence = new FlashPersistence(flash, path, (e) => warn('emulate.flash-save-failed', `could not save the flash to ${path}: ${(e as Error).message}`));
  return { flash, persistence };
}

const DEFAULT_APP: AppKind = 'sketch';

/** The app to run: as asked, else `model` when the model's test hooks are given, else `sketch`. */
function checkApp(o: EmulatorOptions): AppKind {
  if (o.app !== undefined && !(appKinds as readonly string[]).includes(o.app)) {
    throw new UserError('emulate.unknown-app', `unknown app "${String(o.app)}"`, `use one of: ${appKinds.join(', ')}`);
  }
  if (o.app === 'sketch' && (o.loopTimer !== undefined || o.timeSource !== undefined)) {
    throw new UserError('emulate.app-hooks', 'loopTimer and timeSource drive the TypeScript model; a compiled sketch runs its own loop on the host clock', 'use app: "model" with them');
  }
  return o.app ?? (o.loopTimer !== undefined || o.timeSource !== undefined ? 'model' : DEFAULT_APP);
}

async function checkProject(dir: string, env: string | undefined) {
  const settings = await loadProjectSettings(dir, env);
  if (!settings.iniFound) {
    throw new UserError('emulate.project-missing', `${settings.iniPath} does not exist`, 'point --project at a PlatformIO project folder (the one with platformio.ini)');
  }
  return settings;
}

function checkProfile(name: string | undefined): ProfileId | undefined {
  if (name === undefined || isProfileId(name)) return name;
  throw new UserError(
    'emulate.unknown-profile',
    `unknown profile "${name}"`,
    `use one of: ${profileIds.join(', ')}`,
  );
}

function checkDataDir(dir: string): string {
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir) {
    throw new UserError(
      'emulate.data-missing',
      `data folder ${dir} does not exist or is not a folder`,
      'point --data at the folder to serve as SPIFFS (the firmware uses firmware/data)',
    );
  }
  return dir;
}

function translateListenError(e: unknown, host: string, port: number): unknown {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EADDRINUSE') {
    return new UserError(
      'emulate.port-in-use',
      `port ${port} on ${host} is already in use`,
      'stop the other program, or choose another port with --http-port (0 picks a free one)',
      2,
      { cause: e },
    );
  }
  if (code === 'EACCES') {
    return new UserError('emulate.port-denied', `not allowed to listen on port ${port}`, 'use a port above 1023 with --http-port', 2, {
      cause: e,
    });
  }
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
    return new UserError('emulate.bad-host', `cannot listen on host ${host}`, 'use --host 127.0.0.1 (or an address of this machine)', 2, {
      cause: e,
    });
  }
  return e;
}
