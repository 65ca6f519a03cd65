import { describe, expect, it } from 'vitest';
import { UserError } from '../../errors.js';
import { composeFlags, parseBuildFlags } from './flags.js';
import { shellSplit } from './shell-split.js';

describe('shellSplit (Python shlex.split, POSIX mode)', () => {
  it.each([
    ['-DA=1  -DB=2', ['-DA=1', '-DB=2']],
    [`'-D WIFI_SSID="my net"'`, ['-D WIFI_SSID="my net"']],
    ['-DX=\\"quoted\\"', ['-DX="quoted"']],
    ['-DX="a b"', ['-DX=a b']],
    ['"a\\"b\\\\c\\d"', ['a"b\\c\\d']],
    [`a'b'"c"d`, ['abcd']],
    ['$HOME `x`', ['$HOME', '`x`']],
    ["''", ['']],
    ['', []],
  ])('%s', (text, words) => {
    expect(shellSplit(text)).toEqual(words);
  });

  it('is undefined for an unclosed quote or a trailing backslash', () => {
    expect(shellSplit(`'-DX="a`)).toBeUndefined();
    expect(shellSplit('"abc')).toBeUndefined();
    expect(shellSplit('abc\\')).toBeUndefined();
  });
});

describe('parseBuildFlags (SCons ParseFlags on each item)', () => {
  it('makes a C string macro of a single-quoted -D with a space, and reads -D/-U/-I/-include with a separate argument', () => {
    const { flags, dropped } = parseBuildFlags([
      `'-D WIFI_SSID="my network"'`,
      '-D NUM=3 -DFLAG -U OLD -UGONE',
      '-I include/extra -Ilib/x -include pre.h',
      `-D'MAX(a,b)=((a)>(b)?(a):(b))'`,
    ]);
    expect(dropped).toEqual([]);
    expect(flags.map((f) => f.args)).toEqual([
      ['-DWIFI_SSID="my network"'], ['-DNUM=3'], ['-DFLAG'], ['-UOLD'], ['-UGONE'],
      ['-Iinclude/extra'], ['-Ilib/x'], ['-include', 'pre.h'],
      ['-DMAX(a,b)=((a)>(b)?(a):(b))'],
    ]);
    expect(flags.map((f) => f.name).filter(Boolean)).toEqual(['WIFI_SSID', 'NUM', 'FLAG', 'OLD', 'GONE', 'MAX']);
  });

  it('passes -std, -W… and -O; drops target, linker and other flags (with their arguments) and !commands', () => {
    const { flags, dropped } = parseBuildFlags([
      '-std=gnu++2a -std=c11 -Wall -Wno-unused -Werror=format -Os -O2 -Ofast',
      '-mfix-esp32-psram-cache-issue -fno-rtti -Wl,--gc-sections -Wa,-x -lm -L/x libfoo.a',
      '-isystem /opt/inc --param max-inline=3',
      '!python git_rev.py',
    ]);
    expect(flags.map((f) => [f.kind, ...f.args, f.lang ?? ''])).toEqual([
      ['std', '-std=gnu++2a', 'c++'], ['std', '-std=c11', 'c'],
      ['warning', '-Wall', ''], ['warning', '-Wno-unused', ''], ['warning', '-Werror=format', ''],
      ['optimize', '-Os', ''], ['optimize', '-O2', ''], ['optimize', '-Ofast', ''],
    ]);
    expect(dropped).toEqual([
      '-mfix-esp32-psram-cache-issue', '-fno-rtti', '-Wl,--gc-sections', '-Wa,-x', '-lm', '-L/x', 'libfoo.a',
      '-isystem /opt/inc', '--param max-inline=3', '!python git_rev.py',
    ]);
  });

  it('a -D at the end of an item does not take the next item (SCons parses items one by one)', () => {
    const { flags, dropped } = parseBuildFlags(['-D', 'NAME=1']);
    expect(dropped).toEqual(['-D', 'NAME=1']);
    expect(flags).toEqual([]);
  });

  it('an unclosed quote is emulate.bad-build-flags', () => {
    expect(() => parseBuildFlags([`'-D X="a`])).toThrow(UserError);
    try { parseBuildFlags([`'-D X="a`]); } catch (e) { expect((e as UserError).code).toBe('emulate.bad-build-flags'); }
  });
});

describe('composeFlags', () => {
  const compose = (build: string[], o: { src?: string[]; unflags?: string[] } = {}) => composeFlags({
    runtimeInclude: '/rt/include',
    project: parseBuildFlags(build).flags,
    sourceOnly: parseBuildFlags(o.src ?? []).flags,
    unflags: parseBuildFlags(o.unflags ?? []).flags,
    includeDirs: ['include', 'src'],
  });

  it('gives the base flags, the project\'s include folders before the runtime\'s, and links with -pthread, without PIE', () => {
    const f = compose([]);
    expect(f.sketch.cxx).toEqual([
      '-g', '-pthread', '-fexceptions', '-fdiagnostics-color=never',
      '-std=gnu++17', '-O1', '-DESP32', '-DARDUINO_ARCH_ESP32', '-DARDUINO=10819', '-DESP_SSE_NATIVE', '-DCORE_DEBUG_LEVEL=0',
      '-Iinclude', '-Isrc', '-I/rt/include',
    ]);
    expect(f.sketch.c).toContain('-std=gnu99');
    expect(f.sketch.c).not.toContain('-std=gnu++17');
    expect(f.runtime.cxx).not.toContain('-Isrc');
    expect(f.link).toEqual(['-pthread', '-no-pie']);
  });

  it('the project\'s -D of a base macro, -std and -O replace the base ones; -W/-I/-include reach the sketch only', () => {
    const f = compose(['-DCORE_DEBUG_LEVEL=5 -UARDUINO -std=gnu++20 -O0 -Wall -Iextra -include pre.h -DMINE']);
    for (const set of [f.sketch.cxx, f.runtime.cxx]) {
      expect(set).not.toContain('-DCORE_DEBUG_LEVEL=0');
      expect(set).not.toContain('-DARDUINO=10819');
      expect(set).not.toContain('-std=gnu++17');
      expect(set).not.toContain('-O1');
      expect(set).toEqual(expect.arrayContaining(['-DCORE_DEBUG_LEVEL=5', '-UARDUINO', '-std=gnu++20', '-O0', '-DMINE']));
    }
    expect(f.sketch.cxx.slice(-6)).toEqual(['-Iinclude', '-Isrc', '-Iextra', '-I/rt/include', '-include', 'pre.h']);
    expect(f.runtime.cxx).not.toEqual(expect.arrayContaining(['-Wall']));
    expect(f.runtime.cxx).not.toContain('-Iextra');
    expect(f.sketch.c).toContain('-std=gnu99'); // a C++ -std leaves C alone
  });

  it('build_src_flags reach the sketch only; build_unflags remove equal flags and, for a bare -DNAME, every definition of NAME', () => {
    const f = compose(['-DKEEP=1 -DGO=1 -Wall'], { src: ['-DSRC_ONLY'], unflags: ['-DGO -Wall -std=gnu++17 -DESP32'] });
    expect(f.sketch.cxx).toContain('-DSRC_ONLY');
    expect(f.runtime.cxx).not.toContain('-DSRC_ONLY');
    for (const gone of ['-DGO=1', '-Wall', '-std=gnu++17', '-DESP32']) expect(f.sketch.cxx).not.toContain(gone);
    expect(f.sketch.cxx).toContain('-DKEEP=1');
    expect(f.sketch.cxx.slice(0, 4)).toEqual(['-g', '-pthread', '-fexceptions', '-fdiagnostics-color=never']);
  });
});
