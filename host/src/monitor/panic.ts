/**
 * Recognises the ESP32 panic handler's output (ESP-IDF `panic_handler.c`/`esp_system`):
 *   Guru Meditation Error: Core  1 panic'ed (LoadProhibited). Exception was unhandled.
 *   ...register dump...
 *   Backtrace: 0x400d1a2c:0x3ffb1f50 0x400d2b3c:0x3ffb1f70 |<-CORRUPTED
 * The same hosts match on (esptool-js/esptool `detectPanicHandler`: `Guru Meditation Error`,
 * `Fatal exception`).
 */
export const panicPatterns = {
  start: /Guru Meditation Error|Fatal exception \(\d+\)|abort\(\) was called at PC/,
  backtrace: /^\s*Backtrace:/,
} as const;

/** The kind of a serial line as far as panic handling is concerned. */
export type PanicLineKind = 'panic' | 'backtrace' | 'normal';

export function classifyLine(line: string): PanicLineKind {
  if (panicPatterns.backtrace.test(line)) return 'backtrace';
  if (panicPatterns.start.test(line)) return 'panic';
  return 'normal';
}

/**
 * Program counters from a `Backtrace:` line: each frame is `PC:SP`; only PCs are decoded
 * (decoding every `0x…` on a line is PlatformIO's known false-positive source,
 * arduino-esp32#11932). Xtensa return addresses carry the window size in the top two bits
 * (0x4… / 0x8…); frames are resolved as printed, as esp-idf-monitor does.
 */
export function parseBacktrace(line: string): string[] {
  if (!panicPatterns.backtrace.test(line)) return [];
  const out: string[] = [];
  for (const m of line.matchAll(/0x([0-9a-fA-F]{8}):0x[0-9a-fA-F]{8}/g)) {
    const pc = `0x${m[1]!.toLowerCase()}`;
    if (pc !== '0x00000000') out.push(pc);
  }
  return out;
}
