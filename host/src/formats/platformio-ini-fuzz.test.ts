/**
 * Property-based tests of the platformio.ini reader: any text gives an `ini.*` UserError or
 * settings, never another throw; interpolation is bounded in time and memory whatever the
 * file says; the linear `${...}` scanner replaces exactly what PlatformIO's pattern matches.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UserError } from '../errors.js';
import { INTERPOLATION_LIMITS, getOption, interpolate, parseIni, readPlatformioSettings, type IniContext, type IniDocument } from './platformio-ini.js';

const ctx = (vars: Record<string, string> = {}): IniContext => ({ vars: { HOME: '/home/u', ...vars }, projectDir: '/p' });

function outcome(f: () => unknown): unknown {
  try {
    return { value: f() };
  } catch (e) {
    if (e instanceof UserError && e.code.startsWith('ini.')) return { error: e.code };
    throw e;
  }
}

const token = fc.constantFrom(
  '[env:a]', '[env:b]', '[env]', '[platformio]', '[', ']', '\n', '\r\n', '\n  ', '\t', ' ', '=', ':', ';', '#', ' ; c', ' # c',
  'board', 'extends', 'env:a', 'env:b', 'default_envs', 'data_dir', 'build_dir', 'board_build.partitions', 'board_upload.flash_size',
  'upload_port', '4MB', 'x', '${', '}', '.', '(', ')', 'sysenv', 'this', '__env__', 'platformio', '__proto__', '\ufeff', 'é',
);
const iniText = fc.oneof(fc.array(token, { maxLength: 60 }).map((t) => t.join('')), fc.string({ maxLength: 200 }));

describe('platformio.ini (property-based)', () => {
  it('any text: an ini.* error or settings, never another throw', () => {
    fc.assert(fc.property(iniText, fc.option(fc.constantFrom('a', 'b', 'c'), { nil: undefined }), (text, env) => {
      const doc = outcome(() => parseIni(text)) as { value?: IniDocument };
      if (!doc.value) return;
      outcome(() => readPlatformioSettings(doc.value!, ctx({ X: 'x' }), env));
      for (const s of doc.value.sections.keys()) for (const o of doc.value.sections.get(s)!.keys()) outcome(() => getOption(doc.value!, ctx(), s, o));
    }), { numRuns: 500 });
  });

  it('the ${...} scanner replaces exactly what /\\$\\{(?:([^.}()]+)\\.)?([^}]+)\\}/g matches', () => {
    const doc = parseIni('[env:a]\nopt = O\n[s]\nk = K\n');
    const vars = { a: 'A', 'a.b': 'AB', b: 'B', '': 'EMPTY' };
    // The former implementation, as the reference.
    const reference = (value: string): string => value.replace(/\$\{(?:([^.}()]+)\.)?([^}]+)\}/g, (whole, sec: string | undefined, opt: string) => {
      if (sec === undefined) return whole;
      if (sec === 'sysenv') return (vars as Record<string, string>)[opt] ?? '';
      if (sec === 'this') return opt === '__env__' ? 'a' : getOption(doc, ctx(vars), 'env:a', opt) ?? '';
      const v = getOption(doc, ctx(vars), sec, opt);
      if (v === undefined) throw new UserError('ini.bad-syntax', 'not set');
      return v;
    });
    const piece = fc.constantFrom('${', '}', '.', '(', ')', 'sysenv', 'this', 'opt', '__env__', 's', 'k', 'a', 'b', 'env:a', ' ', 'x');
    fc.assert(fc.property(fc.array(piece, { maxLength: 14 }), (pieces) => {
      const value = pieces.join('');
      expect(outcome(() => interpolate(doc, ctx(vars), 'env:a', value))).toEqual(outcome(() => reference(value)));
    }), { numRuns: 1000 });
  });

  it('references that double at each level stop at the length limit, quickly', () => {
    const lines = ['[env:a]', 'x0 = ab'];
    for (let i = 1; i <= 40; i++) lines.push(`x${i} = \${env:a.x${i - 1}}\${env:a.x${i - 1}}`);
    const doc = parseIni(lines.join('\n'));
    const t = Date.now();
    const r = outcome(() => getOption(doc, ctx(), 'env:a', 'x40'));
    expect(r).toEqual({ error: 'ini.bad-syntax' });
    expect(Date.now() - t).toBeLessThan(2000);
    expect((getOption(doc, ctx(), 'env:a', 'x10') ?? '').length).toBe(2 * 1024);
  });

  it('empty values named ten times per level stop at the reference limit, quickly', () => {
    const lines = ['[env:a]', 'e0 ='];
    for (let i = 1; i <= 20; i++) lines.push(`e${i} = ${`\${env:a.e${i - 1}}`.repeat(10)}`);
    const doc = parseIni(lines.join('\n'));
    const t = Date.now();
    expect(outcome(() => getOption(doc, ctx(), 'env:a', 'e20'))).toEqual({ error: 'ini.bad-syntax' });
    expect(Date.now() - t).toBeLessThan(2000);
    expect(getOption(doc, ctx(), 'env:a', 'e3')).toBe('');
    expect(INTERPOLATION_LIMITS.references).toBeLessThan(10 ** 4 + 1);
  });

  it('long lines without a delimiter, or with many unclosed ${, take linear time', () => {
    const t = Date.now();
    expect(outcome(() => parseIni(`[env:a]\nx${' '.repeat(200_000)}y\n`))).toEqual({ error: 'ini.bad-syntax' });
    const doc = parseIni(`[env:a]\nv = ${'${a'.repeat(30_000)}\n`);
    expect(getOption(doc, ctx(), 'env:a', 'v')).toBe('${a'.repeat(30_000));
    expect(Date.now() - t).toBeLessThan(2000);
  });
});
