/**
 * A small scanner for the Arduino sketch: enough C++ lexing (comments, string and char
 * literals, bracket nesting) to find calls, split their arguments and evaluate literal ones.
 * It reads the one sketch this project owns; it is not a C++ parser.
 */

/** One call site: `callee(args…)` with its offset in the comment-free source. */
export interface Call {
  callee: string;
  args: string[];
  at: number;
}

/** A literal argument's value; identifiers are resolved through the sketch's constants. */
export type Value = string | number | null | { expr: string };

/** Blanks out comments (keeping offsets and string literals intact). */
export function stripComments(src: string): string {
  let out = '';
  for (let i = 0; i < src.length; ) {
    const c = src[i];
    if (c === '"' || c === "'") {
      const end = skipLiteral(src, i);
      out += src.slice(i, end);
      i = end;
    } else if (src.startsWith('//', i)) {
      const end = src.indexOf('\n', i);
      const stop = end < 0 ? src.length : end;
      out += ' '.repeat(stop - i);
      i = stop;
    } else if (src.startsWith('/*', i)) {
      const end = src.indexOf('*/', i + 2);
      const stop = end < 0 ? src.length : end + 2;
      out += src.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

function skipLiteral(src: string, start: number): number {
  const quote = src[start];
  let i = start + 1;
  while (i < src.length && src[i] !== quote) i += src[i] === '\\' ? 2 : 1;
  return i + 1;
}

/** From an opening bracket at `open`, the offset just past its matching close. */
export function matchBracket(src: string, open: number): number {
  const pairs: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
  const stack: string[] = [];
  for (let i = open; i < src.length; ) {
    const c = src[i] as string;
    if (c === '"' || c === "'") {
      i = skipLiteral(src, i);
      continue;
    }
    if (pairs[c]) stack.push(pairs[c] as string);
    else if (c === stack[stack.length - 1]) {
      stack.pop();
      if (stack.length === 0) return i + 1;
    }
    i++;
  }
  throw new Error(`unbalanced bracket at offset ${open}`);
}

/** Splits an argument list (without its parentheses) at top-level commas. */
export function splitArgs(list: string): string[] {
  const args: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < list.length; ) {
    const c = list[i] as string;
    if (c === '"' || c === "'") {
      i = skipLiteral(list, i);
      continue;
    }
    if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
    else if (c === ',' && depth === 0) {
      args.push(list.slice(from, i).trim());
      from = i + 1;
    }
    i++;
  }
  const last = list.slice(from).trim();
  if (last || args.length) args.push(last);
  return args;
}

/** Every call of `callee` (e.g. `server.on`, `Serial.printf`) in source order. */
export function findCalls(src: string, callee: string): Call[] {
  const calls: Call[] = [];
  const re = new RegExp(`(?<![\\w.>])${callee.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*\\(`, 'g');
  for (let m = re.exec(src); m; m = re.exec(src)) {
    const open = m.index + m[0].length - 1;
    const close = matchBracket(src, open);
    calls.push({ callee, args: splitArgs(src.slice(open + 1, close - 1)), at: m.index });
  }
  return calls;
}

/** The body (between braces) of a top-level function such as `void loop()`. */
export function functionBody(src: string, signature: RegExp): { body: string; at: number } {
  const m = signature.exec(src);
  if (!m) throw new Error(`function ${signature} not found in the sketch`);
  const open = src.indexOf('{', m.index + m[0].length - 1);
  return { body: src.slice(open, matchBracket(src, open)), at: open };
}

/** `static const char *const kName = "value";` constants. */
export function stringConstants(src: string): Map<string, string> {
  const map = new Map<string, string>();
  const re = /const\s+char\s*\*\s*(?:const\s+)?(\w+)\s*=\s*("(?:[^"\\]|\\.)*")\s*;/g;
  for (let m = re.exec(src); m; m = re.exec(src)) map.set(m[1] as string, unquote(m[2] as string));
  return map;
}

/** The value of a C string literal. */
export function unquote(literal: string): string {
  const escapes: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', "'": "'", '\\': '\\', '0': '\0' };
  return literal.slice(1, -1).replace(/\\(.)/g, (_, c: string) => escapes[c] ?? c);
}

/** Evaluates an argument: string/number literal, NULL, a string constant, or an expression. */
export function evaluate(arg: string | undefined, constants: Map<string, string>): Value {
  if (arg === undefined) return { expr: '' };
  if (/^"(?:[^"\\]|\\.)*"$/.test(arg)) return unquote(arg);
  if (/^\d+$/.test(arg)) return Number(arg);
  if (arg === 'NULL' || arg === 'nullptr') return null;
  const constant = constants.get(arg);
  return constant ?? { expr: arg };
}

/** Every string literal in the comment-free source. */
export function stringLiterals(src: string): string[] {
  return [...src.matchAll(/"(?:[^"\\\n]|\\.)*"/g)].map((m) => unquote(m[0]));
}
