/**
 * What an ESP32 running arduino-esp32 2.0.17 (ESP-IDF 4.4) prints on UART0 when its app
 * crashes or the task watchdog fires, before it reboots (docs/sketch-link.md "Life cycle": the IDF 4.4
 * panic handler and `task_wdt` texts). The app runs on the host, so its registers are not
 * Xtensa registers: the dump keeps the board's layout with the fault address, the exception
 * cause and the (host) program counter filled in and the rest zero; backtrace entries are the
 * host's return addresses (the app is linked without PIE, so `addr2line -e <app>` resolves them).
 * Pure.
 */

/** `EXCCAUSE` of each Xtensa exception the host's signals map to. */
export const exceptionCauses: Readonly<Record<string, number>> = {
  IllegalInstruction: 0,
  IntegerDivideByZero: 6,
  InstrFetchProhibited: 20,
  LoadProhibited: 28,
  StoreProhibited: 29,
};

/** What the app's crash handler reported. */
export interface AppCrash {
  /** `LoadProhibited`, `StoreProhibited`, `IntegerDivideByZero`, `IllegalInstruction`, `abort`, `assert`. */
  readonly reason: string;
  readonly faultAddress: number;
  readonly pc: number;
  /** Return addresses, innermost first. */
  readonly backtrace: readonly number[];
  /** For `assert`: `func file:line (expr)`. */
  readonly detail?: string;
  /** 0 (PRO CPU) or 1 (APP CPU, where `loopTask` runs). */
  readonly core: number;
}

const line = (s = ''): string => `${s}\r\n`;
const hex8 = (n: number): string => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;

/** `ELF file SHA256:` line value; the emulated app has no ELF of the board, so zeros. */
const elfSha = '0000000000000000';

function backtraceLine(c: AppCrash): string {
  const frames = (c.backtrace.length ? c.backtrace : [c.pc]).map((pc) => `${hex8(pc)}:0x00000000`);
  return `Backtrace:${frames.join(' ')}`;
}

function tail(c: AppCrash): string {
  return line() + line() + line(backtraceLine(c)) + line() + line() + line() + line() + line(`ELF file SHA256: ${elfSha}`) + line() + line('Rebooting...');
}

/** The panic text for a crash, up to and including `Rebooting...`. */
export function panicText(c: AppCrash): string {
  if (c.reason === 'abort') return line() + line(`abort() was called at PC ${hex8(c.pc)} on core ${c.core}`) + tail(c);
  if (c.reason === 'assert') return line() + line(`assert failed: ${c.detail ?? ''}`) + tail(c);
  const cause = exceptionCauses[c.reason] ?? 0;
  const regs: Array<[string, number]> = [
    ['PC', c.pc], ['PS', 0], ['A0', 0], ['A1', 0],
    ['A2', 0], ['A3', 0], ['A4', 0], ['A5', 0],
    ['A6', 0], ['A7', 0], ['A8', 0], ['A9', 0],
    ['A10', 0], ['A11', 0], ['A12', 0], ['A13', 0],
    ['A14', 0], ['A15', 0], ['SAR', 0], ['EXCCAUSE', cause],
    ['EXCVADDR', c.faultAddress], ['LBEG', 0], ['LEND', 0], ['LCOUNT', 0],
  ];
  let dump = '';
  for (let i = 0; i < regs.length; i += 4) {
    dump += line(regs.slice(i, i + 4).map(([n, v]) => `${n.padEnd(8)}: ${hex8(v)}  `).join(''));
  }
  return (
    line(`Guru Meditation Error: Core  ${c.core} panic'ed (${c.reason}). Exception was unhandled.`) +
    line() +
    line(`Core  ${c.core} register dump:`) +
    dump +
    tail(c)
  );
}

/**
 * The task watchdog (5 s, only async_tcp and the idle task watched) firing because a web
 * callback did not return: IDF 4.4's `task_wdt` lines, then the abort it causes.
 */
export function taskWatchdogText(millis: number, task = 'async_tcp'): string {
  const e = (s: string): string => line(`E (${millis >>> 0}) task_wdt: ${s}`);
  return (
    e('Task watchdog got triggered. The following tasks did not reset the watchdog in time:') +
    e(` - ${task} (CPU 0/1)`) +
    e('Tasks currently running:') +
    e('CPU 0: IDLE') +
    e('CPU 1: loopTask') +
    e('Aborting.') +
    line() +
    // The board's own PCs are unknown here (the app is not Xtensa code): zero, which decoders skip.
    line('abort() was called at PC 0x00000000 on core 0') +
    tail({ reason: 'abort', faultAddress: 0, pc: 0, backtrace: [], core: 0 })
  );
}
