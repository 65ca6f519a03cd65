/**
 * The text rules of `gen_esp32part.py`'s CSV reader, which is Python: `str.splitlines()` for
 * lines, `str.strip()` for lines and fields, `os.path.expandvars` on every line. JavaScript's
 * `split(/\n/)` and `trim()` differ from them, so a table could be read one way by ESP-IDF and
 * another way here; these helpers read it ESP-IDF's way.
 */

/**
 * Line boundaries of Python's `str.splitlines()`: \n, \r, \r\n, \v, \f, \x1c, \x1d, \x1e, \x85,
 * U+2028, U+2029 (Python docs, "str.splitlines").
 */
const LINE_BREAK = /\r\n|[\n\v\f\r\x1c-\x1e\x85\u2028\u2029]/;

/** Characters Python's `str.isspace()` is true for, hence what `str.strip()` removes (unlike `trim()`: \x1c–\x1f and \x85 yes, U+FEFF no). */
const PY_SPACE = '\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const STRIP = new RegExp(`^[${PY_SPACE}]+|[${PY_SPACE}]+$`, 'g');
const EDGE_SPACE = new RegExp(`^[${PY_SPACE}]|[${PY_SPACE}]$`);

/** Python's `text.splitlines()` (a final line break does not start another line). */
export function splitLines(text: string): string[] {
  const lines = text.split(LINE_BREAK);
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Python's `s.strip()`. */
export function pyStrip(s: string): string {
  return s.replace(STRIP, '');
}

/**
 * What `os.path.expandvars` would replace when the variable is set (`$name`, `${...}`, ASCII
 * word characters; a backslash does not stop it). Such a table means different things in
 * different environments, so it is refused.
 */
export const ENV_VAR = /\$(?:[A-Za-z0-9_]|\{[^}]*\})/;

/**
 * Why `label` cannot be the first field of a CSV line that reads back as the same label, or
 * undefined when it can: a comma or a line break splits it, edge whitespace is stripped, a
 * leading '#' makes the line a comment, `$NAME` is an environment variable.
 */
export function csvLabelProblem(label: string): string | undefined {
  if (label.includes(',')) return 'contains a comma, which separates CSV fields';
  if (LINE_BREAK.test(label)) return 'contains a line break';
  if (EDGE_SPACE.test(label)) return 'starts or ends with whitespace, which the CSV reader strips';
  if (label.startsWith('#')) return "starts with '#', which makes the CSV line a comment";
  if (ENV_VAR.test(label)) return 'contains $NAME, which the CSV reader takes for an environment variable';
  return undefined;
}
