/**
 * `esp-sse [command …] --help` and `--version` from texts stored at build time
 * (`dist/cli/help.json`, written by host/scripts/help-texts.mjs from the live command tree), so
 * asking for help costs about what starting Node costs: this module loads nothing but node:fs,
 * where the live help loads commander and the command's module (issue 13's target; the figures
 * are host/bench/cli-help.ts's). The live help is used instead when the texts are older than the
 * last build (`dist/.tsbuildinfo`, in a checkout), when there are none, or with
 * `ESP_SSE_LIVE_HELP=1`. host/test/stored-help.test.ts checks every stored text against the
 * live one.
 */
import { readFileSync, statSync } from 'node:fs';
import { helpWidth } from './help-width.js';

/** What help.json holds: each text under its key (see {@link storedHelpKey}). */
export interface StoredHelp {
  width: number;
  texts: Record<string, string>;
}

/** A command word: what commander accepts as a (sub)command name here. */
const commandWord = /^[a-z][a-z0-9-]*$/;

/**
 * The key of the text `args` (the words after `esp-sse`) asks for, if it is a stored one: the
 * command path and `--help` (`"fs build --help"`, `"--help"`), or `"--version"`. `-h` and `-V` are
 * the same keys. Anything else (an option before `--help`, no arguments) is for the live CLI.
 */
export function storedHelpKey(args: readonly string[]): string | undefined {
  const last = args.at(-1);
  if (args.length === 1 && (last === '--version' || last === '-V')) return '--version';
  if (last !== '--help' && last !== '-h') return undefined;
  const words = args.slice(0, -1);
  if (!words.every((w) => commandWord.test(w))) return undefined;
  return [...words, '--help'].join(' ');
}

/** Where the texts and the build info are, and what decides between stored and live help. */
export interface StoredHelpContext {
  env: NodeJS.ProcessEnv;
  /** help.json. */
  store: URL | string;
  /** dist/.tsbuildinfo: texts older than it are not used (a package has none). */
  buildInfo: URL | string;
}

const defaultContext = (): StoredHelpContext => ({
  env: process.env,
  store: new URL('./help.json', import.meta.url),
  buildInfo: new URL('../.tsbuildinfo', import.meta.url),
});

/**
 * The stored text for `args`, or undefined when the live CLI must answer (see the module
 * comment). Never throws: a missing or unreadable store is the live CLI's turn.
 */
export function storedHelpText(args: readonly string[], ctx: StoredHelpContext = defaultContext()): string | undefined {
  const key = storedHelpKey(args);
  if (key === undefined || ctx.env.ESP_SSE_LIVE_HELP === '1') return undefined;
  try {
    const built = statSync(ctx.buildInfo, { throwIfNoEntry: false });
    if (built !== undefined && built.mtimeMs > statSync(ctx.store).mtimeMs) return undefined;
    const stored = JSON.parse(readFileSync(ctx.store, 'utf8')) as StoredHelp;
    return stored.width === helpWidth ? stored.texts[key] : undefined;
  } catch {
    return undefined;
  }
}

/** Prints the stored text for `args` to stdout and returns true, or returns false (live help). */
export function printStoredHelp(args: readonly string[]): boolean {
  const text = storedHelpText(args);
  if (text === undefined) return false;
  process.stdout.write(text);
  return true;
}
