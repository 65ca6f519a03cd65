/**
 * Splits a command-line string into words the way Python's `shlex.split` does in POSIX mode,
 * which is what SCons' `ParseFlags` (and so PlatformIO's `build_flags`) uses: whitespace
 * separates words; single quotes keep everything literally; inside double quotes a backslash
 * escapes only `"` and `\`; outside quotes a backslash escapes any character. `$` and
 * backticks are not special. Returns undefined for an unclosed quote (shlex: "No closing
 * quotation") or a trailing backslash.
 */
export function shellSplit(text: string): string[] | undefined {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      i++;
      continue;
    }
    inWord = true;
    if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) return undefined;
      word += text.slice(i + 1, end);
      i = end + 1;
    } else if (c === '"') {
      i++;
      for (;;) {
        if (i >= text.length) return undefined;
        const d = text[i]!;
        if (d === '"') { i++; break; }
        if (d === '\\' && (text[i + 1] === '"' || text[i + 1] === '\\')) {
          word += text[i + 1];
          i += 2;
        } else {
          word += d;
          i++;
        }
      }
    } else if (c === '\\') {
      if (i + 1 >= text.length) return undefined;
      word += text[i + 1];
      i += 2;
    } else {
      word += c;
      i++;
    }
  }
  if (inWord) words.push(word);
  return words;
}
