/**
 * Text from an image, a board or the network (SPIFFS file names, partition labels, mDNS
 * instance names and TXT values, a board's replies) may hold control characters. Printed raw,
 * they act on the terminal: ESC starts a sequence that can move the cursor, retitle the window,
 * rewrite what was printed; a newline or CR forges lines. Every place that prints such text
 * passes it through here first. Display only: the escaping is not reversible (a backslash is
 * left as it is); `--json` output carries the exact strings.
 */

/**
 * C0 controls, DEL, C1 controls (U+0080–U+009F: 8-bit CSI U+009B among them), the Unicode line
 * and paragraph separators, and the bidirectional formatting characters that can make text read
 * differently from what it is (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069).
 */
const UNSAFE = /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const UNSAFE_KEEP_LINES = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escape(c: string): string {
  const named = NAMED[c];
  if (named !== undefined) return named;
  const code = c.charCodeAt(0);
  return code < 0x80 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * `text` with every control character written as an escape (`\x1b`, `\n`, `\u009b`, `\u202e`),
 * so that it prints as one inert line. `multiline` keeps LF and TAB (for messages made of
 * lines); CR and everything else is still escaped.
 */
export function safeText(text: string, opts: { multiline?: boolean } = {}): string {
  return text.replace(opts.multiline ? UNSAFE_KEEP_LINES : UNSAFE, escape);
}

/**
 * `JSON.stringify(value, null, space)` with DEL, the C1 controls, U+2028/U+2029 and the bidi
 * controls written as `\uXXXX` too (JSON.stringify escapes only C0): the same JSON value, safe to
 * print on a terminal. These characters can only occur inside JSON strings, where `\uXXXX` means
 * the same character.
 */
export function safeJson(value: unknown, space: number | string = 2): string {
  return JSON.stringify(value, null, space).replace(/[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
