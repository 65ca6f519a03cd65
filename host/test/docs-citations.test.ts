/**
 * Every document the code cites is a file in the repository, and every section it cites is a
 * numbered heading of that file. Scans host/src, host/test, host/bench and firmware for:
 *
 * - `docs/<name>.md`, or a bare `<name>.md` (lower-case, read as docs/<name>.md): the file must exist;
 * - "wire doc": docs/http-wire.md;
 * - a path to a Markdown file (`firmware/README.md`, `../../README.md`, an absolute path): it must
 *   be a file in the repository (relative paths from the repository root, or from the citing
 *   file when they start with `.`);
 * - `§N` / `§N.M`: a heading `## N. …` / `### N.M …` of the document it belongs to: the last one
 *   named before it on its line or earlier in the file. A `§` after "RFC NNNN" is an RFC's and is
 *   not checked; a `§` that follows no document at all cites nothing the reader can find.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const self = resolve(import.meta.dirname, 'docs-citations.test.ts');
const scanned = ['host/src', 'host/test', 'host/bench', 'firmware'];
const textFile = /\.(?:[cm]?[jt]s|cpp|cc|c|hpp|h|ino|md)$/;

/** What a citation points at: a document (its path from the repository root), or a spec outside it (an RFC). */
type Source = { readonly doc: string } | { readonly external: string };

interface Citation {
  readonly line: number;
  /**
   * The document's path from the repository root (`docs/<name>.md`; `../…` or absolute when it is
   * outside the repository), or undefined for a `§` that follows no document.
   */
  readonly doc: string | undefined;
  /** The section number cited, when this is a `§`. */
  readonly section?: string;
}

/** A Markdown path as written, from the repository root, or from `from` when it starts with `.`. */
function repoPath(written: string, from: string): string {
  const abs = isAbsolute(written) ? written : resolve(written.startsWith('.') ? from : root, written);
  return relative(root, abs) || '.';
}

const patterns = (from: string): ReadonlyArray<{ re: RegExp; source: (m: RegExpExecArray) => Source }> => [
  { re: /(?<![\w./-])(?:docs\/)?([a-z0-9][a-z0-9-]*)\.md\b/g, source: (m) => ({ doc: `docs/${m[1]}.md` }) },
  { re: /(?<![\w./:-])((?:\.{1,2}\/|\/)?[\w.-]+(?:\/[\w.-]+)+\.md)\b/g, source: (m) => ({ doc: repoPath(m[1]!, from) }) },
  { re: /\bwire doc\b/gi, source: () => ({ doc: 'docs/http-wire.md' }) },
  { re: /\bRFC ?\d+/g, source: (m) => ({ external: m[0] }) },
];
const sectionRe = /§\s?(\d+(?:\.\d+)*)/g;

/**
 * The document citations and section references in `text`, in order; `from` is the folder of
 * the file the text comes from (for relative paths).
 */
function findCitations(text: string, from = root): Citation[] {
  const out: Citation[] = [];
  let current: string | undefined;
  // After "RFC NNNN" the §s are the RFC's: those on the rest of its line, or, when none follows
  // it there ("… RFC 6762\n * §6.7 …"), the first on the next line. Then the file's document applies again.
  let rfc: 'line' | 'next' | undefined;
  text.split('\n').forEach((lineText, i) => {
    const tokens: Array<{ at: number; source?: Source; section?: string }> = [];
    for (const { re, source } of patterns(from)) {
      for (const m of lineText.matchAll(re)) tokens.push({ at: m.index, source: source(m) });
    }
    for (const m of lineText.matchAll(sectionRe)) tokens.push({ at: m.index, section: m[1] });
    tokens.sort((a, b) => a.at - b.at);
    // `docs/<name>.md` is also a path: keep one citation per position.
    const seen = new Set<number>();
    let rfcSection = false;
    for (const t of tokens) {
      if (t.source && seen.has(t.at)) continue;
      if (t.source) {
        seen.add(t.at);
        if ('external' in t.source) {
          rfc = 'line';
          rfcSection = false;
        } else {
          current = t.source.doc;
          rfc = undefined;
          out.push({ line: i + 1, doc: current });
        }
      } else if (rfc === 'line') {
        rfcSection = true;
      } else if (rfc === 'next') {
        rfc = undefined;
      } else {
        out.push({ line: i + 1, doc: current, section: t.section });
      }
    }
    rfc = rfc === 'line' && !rfcSection ? 'next' : undefined;
  });
  return out;
}

/** Section numbers of a Markdown document's numbered headings (`## 3. …`, `### 3.1 …`). */
function headingSections(markdown: string): Set<string> {
  const out = new Set<string>();
  for (const m of markdown.matchAll(/^#{1,6}\s+§?(\d+(?:\.\d+)*)\.?\s/gm)) out.add(m[1]!);
  return out;
}

function walk(dir: string, files: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    const st = statSync(path);
    if (st.isDirectory()) walk(path, files);
    // Fixture data is bytes from elsewhere; only the fixtures' READMEs are ours.
    else if (textFile.test(name) && path !== self && (!path.includes('/fixtures/') || name.endsWith('.md')) && st.size < 1_000_000) files.push(path);
  }
  return files;
}

describe('findCitations', () => {
  it('attributes a bare § to the last document named before it, and skips RFC sections', () => {
    const text = 'see docs/spiffs.md §1, §2\nthe table (§7)\nRFC 6762 §6.7 (mdns.md §4 step 1)\nwire doc §9; doc §13\nsource port (RFC 6762\n§6.7), then §12';
    expect(findCitations(text)).toEqual([
      { line: 1, doc: 'docs/spiffs.md' },
      { line: 1, doc: 'docs/spiffs.md', section: '1' },
      { line: 1, doc: 'docs/spiffs.md', section: '2' },
      { line: 2, doc: 'docs/spiffs.md', section: '7' },
      { line: 3, doc: 'docs/mdns.md' },
      { line: 3, doc: 'docs/mdns.md', section: '4' },
      { line: 4, doc: 'docs/http-wire.md' },
      { line: 4, doc: 'docs/http-wire.md', section: '9' },
      { line: 4, doc: 'docs/http-wire.md', section: '13' },
      { line: 6, doc: 'docs/http-wire.md', section: '12' },
    ]);
  });

  it('reports a § that follows no document; a bare README.md or SPEC.md is no citation', () => {
    expect(findCitations('see README.md and SPEC.md; then (§3.8/4)')).toEqual([{ line: 1, doc: undefined, section: '3.8' }]);
  });

  it('reads paths from the repository root, from the file for ./ and ../, and outside it as written', () => {
    const from = join(root, 'host/test');
    expect(findCitations('firmware/README.md, ../../README.md, /elsewhere/notes/x.md (§2), https://example.com/a/b.md', from)).toEqual([
      { line: 1, doc: 'firmware/README.md' },
      { line: 1, doc: 'README.md' },
      { line: 1, doc: relative(root, '/elsewhere/notes/x.md') },
      { line: 1, doc: relative(root, '/elsewhere/notes/x.md'), section: '2' },
    ]);
  });

  it('reads numbered headings', () => {
    expect([...headingSections('# T\n## 1. A\n### 1.2 B\n## Notes\n## 10. C\n')]).toEqual(['1', '1.2', '10']);
  });
});

describe('documents cited by the code', () => {
  const files = scanned.flatMap((d) => walk(join(root, d)));
  const cites = files.flatMap((path) => findCitations(readFileSync(path, 'utf8'), dirname(path)).map((c) => ({ ...c, where: `${relative(root, path)}:${c.line}` })));
  const sections = new Map<string, Set<string>>();
  const sectionsOf = (doc: string): Set<string> => {
    let s = sections.get(doc);
    if (!s) sections.set(doc, (s = headingSections(readFileSync(join(root, doc), 'utf8'))));
    return s;
  };

  it('finds the citations at all', () => {
    expect(cites.filter((c) => c.section !== undefined).length).toBeGreaterThan(100);
  });

  it('every cited document is a file in the repository, and every cited section one of its headings', () => {
    const problems: string[] = [];
    for (const c of cites) {
      if (c.doc === undefined) {
        problems.push(`${c.where}: §${c.section} names no document (cite docs/<name>.md §${c.section})`);
      } else if (c.doc.startsWith('..') || isAbsolute(c.doc)) {
        problems.push(`${c.where}: ${c.doc} is outside the repository (write what the code needs in docs/)`);
      } else if (!existsSync(join(root, c.doc))) {
        problems.push(`${c.where}: ${c.doc} does not exist`);
      } else if (c.section !== undefined && !sectionsOf(c.doc).has(c.section)) {
        problems.push(`${c.where}: ${c.doc} has no §${c.section}`);
      }
    }
    expect([...new Set(problems)]).toEqual([]);
  });
});
