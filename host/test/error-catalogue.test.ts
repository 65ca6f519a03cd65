/**
 * The error catalogue (host/src/errors/) against the code: every code the source throws or
 * prints is in it (or, for the C++ runtime's warnings, in firmware/runtime/src/warnings.h),
 * every code in it is used somewhere, each throw passes the exit code the catalogue gives, and
 * docs/errors.md is what `npm run docs:errors` renders from it.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderErrorsDoc } from '../scripts/errors-doc.js';
import { runtimeWarnings, scanHostCodes, scanRuntimeSources } from '../scripts/scan-codes.js';
import { exitCodes } from '../src/errors.js';
import { catalogue } from '../src/errors/index.js';

const root = resolve(import.meta.dirname, '../..');
const uses = scanHostCodes(root, exitCodes);
const runtime = runtimeWarnings(root);
const runtimeCodes = new Set(runtime.map((w) => w.code));
const known = (code: string): boolean => code in catalogue || runtimeCodes.has(code);

describe('the error catalogue', () => {
  it('finds the codes it scans for (the scanner works)', () => {
    const codes = new Set(uses.map((u) => u.code));
    for (const code of ['port.busy', 'fs.no-partition', 'emulate.fs-write', 'partitions.label-too-long', 'cli.unknown-option', 'monitor.timeout']) {
      expect(codes, code).toContain(code);
    }
    expect(uses.find((u) => u.code === 'flash.verify-failed' && u.thrown)?.exitCode).toBe(exitCodes.verify);
    expect(runtime.find((w) => w.name === 'serial1')?.code).toBe('emulate.sketch-serial1');
  });

  it('lists every code host/src throws or prints', () => {
    const missing = uses.filter((u) => !known(u.code)).map((u) => `${u.code} (${u.where})`);
    expect(missing, 'add these to host/src/errors/codes-*.ts, then npm run docs:errors').toEqual([]);
  });

  it('lists no code that nothing uses', () => {
    const used = new Set(uses.map((u) => u.code));
    expect(Object.keys(catalogue).filter((c) => !used.has(c))).toEqual([]);
  });

  it('gives each code the exit code its throws pass', () => {
    const wrong = uses
      .filter((u) => u.thrown && u.exitCode !== undefined)
      .filter((u) => {
        const e = catalogue[u.code];
        return e?.kind !== 'error' || e.exit !== u.exitCode;
      })
      .map((u) => `${u.code} exits ${u.exitCode} at ${u.where}`);
    expect(wrong).toEqual([]);
  });

  it('calls a code a warning only if something prints it as one, and an error only if something throws it', () => {
    const warned = new Set(uses.filter((u) => u.warned).map((u) => u.code));
    const wrongKind = uses
      .filter((u) => u.warned && catalogue[u.code]?.kind === 'error' && !(catalogue[u.code] as { alsoWarning?: true }).alsoWarning)
      .map((u) => `${u.code} is printed as a warning at ${u.where}`);
    expect(wrongKind).toEqual([]);
    const neverWarned = Object.entries(catalogue)
      .filter(([code, e]) => e.kind === 'error' && e.alsoWarning && !warned.has(code))
      .map(([code]) => code);
    expect(neverWarned).toEqual([]);
    const thrownWarnings = uses.filter((u) => u.thrown && catalogue[u.code]?.kind === 'warning').map((u) => `${u.code} at ${u.where}`);
    expect(thrownWarnings).toEqual([]);
  });

  it('has a one-line meaning for every code, and well-formed codes', () => {
    for (const [code, e] of Object.entries(catalogue)) {
      expect(code).toMatch(/^[a-z][a-z0-9]*\.[a-z0-9]+(?:-[a-z0-9]+)*$/);
      expect(e.meaning, code).toMatch(/^\S[^\n]*$/);
    }
  });
});

describe('the runtime\'s warnings (firmware/runtime/src/warnings.h)', () => {
  const sources = scanRuntimeSources(root);

  it('are all sent by the runtime, and the runtime sends no code outside the table', () => {
    expect(runtime.filter((w) => !sources.names.has(w.name)).map((w) => w.code)).toEqual([]);
    expect(sources.literals.filter((c) => !runtimeCodes.has(c))).toEqual([]);
  });
});

describe('docs/errors.md', () => {
  it('is what npm run docs:errors renders from the catalogue', () => {
    const onDisk = readFileSync(join(root, 'docs/errors.md'), 'utf8');
    expect(onDisk === renderErrorsDoc(root), 'docs/errors.md is stale: run npm run docs:errors').toBe(true);
  });

  it('lists every code once per table, the exit codes first', () => {
    const doc = renderErrorsDoc(root);
    expect(doc.indexOf('## Exit codes')).toBeLessThan(doc.indexOf('`port.busy`'));
    for (const code of Object.keys(catalogue)) expect(doc, code).toContain(`| \`${code}\` |`);
    for (const code of runtimeCodes) expect(doc, code).toContain(`| \`${code}\` |`);
  });
});
