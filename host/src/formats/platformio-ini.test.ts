import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../errors.js';
import {
  getOption, lookupOrder, parseFlashSize, parseIni, readPlatformioSettings, selectEnv, splitMultiValue,
} from './platformio-ini.js';

const ctx = (vars: Record<string, string> = {}) => ({ vars, projectDir: '/proj' });

function codeOf(f: () => unknown): string | undefined {
  try { f(); } catch (e) { return e instanceof UserError ? e.code : `not a UserError: ${String(e)}`; }
  return undefined;
}

describe('parseIni (configparser syntax)', () => {
  it('reads sections, lower-cases keys, accepts = and :, strips comments', () => {
    const doc = parseIni([
      '; full-line comment',
      '# another',
      '[env:a]',
      'Upload_Port = /dev/ttyUSB0 ; inline comment',
      'monitor_speed: 115200',
      'build_flags = -DX=1;not-a-comment',
      'url = http://x#frag',
    ].join('\n'));
    const a = doc.sections.get('env:a')!;
    expect(a.get('upload_port')).toBe('/dev/ttyUSB0');
    expect(a.get('monitor_speed')).toBe('115200');
    expect(a.get('build_flags')).toBe('-DX=1;not-a-comment');
    expect(a.get('url')).toBe('http://x#frag');
  });

  it('joins indented continuation lines, across blank and comment lines', () => {
    const doc = parseIni('[env]\nlib_deps =\n  one\n\n  ; skipped\n  two ; c\nnext = 1\n');
    expect(doc.sections.get('env')!.get('lib_deps')).toBe('\none\ntwo');
    expect(doc.sections.get('env')!.get('next')).toBe('1');
    expect(splitMultiValue(doc.sections.get('env')!.get('lib_deps')!)).toEqual(['one', 'two']);
  });

  it('rejects duplicate sections and options, options outside a section, lines without a delimiter', () => {
    expect(codeOf(() => parseIni('[a]\n[a]\n'))).toBe('ini.bad-syntax');
    expect(codeOf(() => parseIni('[a]\nx=1\nx=2\n'))).toBe('ini.bad-syntax');
    expect(codeOf(() => parseIni('x=1\n'))).toBe('ini.bad-syntax');
    expect(codeOf(() => parseIni('[a]\njust words\n'))).toBe('ini.bad-syntax');
    expect(() => parseIni('[a]\nx=1\nX = 2\n', 'p.ini')).toThrow(/^p\.ini:3: option 'x' appears twice/);
  });
});

describe('splitMultiValue', () => {
  it('splits by newline when there is one, else by comma+space (PlatformIO parse_multi_values)', () => {
    expect(splitMultiValue('a, b, c')).toEqual(['a', 'b', 'c']);
    expect(splitMultiValue('a,b')).toEqual(['a,b']);
    expect(splitMultiValue('\na, b\nc')).toEqual(['a, b', 'c']);
  });
});

describe('option lookup', () => {
  const doc = parseIni(`
[env]
upload_speed = 115200
monitor_speed = 9600

[base]
upload_speed = 460800
board = esp32dev

[other]
upload_speed = 1
board = other
data = x

[env:release]
extends = base, other
monitor_speed = 74880

[env:debug]
extends = env:release
upload_speed = 921600
`);
  it('searches the env, its extends (in order named, depth first), then [env]', () => {
    expect(lookupOrder(doc, 'env:debug')).toEqual(['env:debug', 'env:release', 'base', 'other', 'env']);
    expect(getOption(doc, ctx(), 'env:release', 'upload_speed')).toBe('460800');
    expect(getOption(doc, ctx(), 'env:release', 'board')).toBe('esp32dev');
    expect(getOption(doc, ctx(), 'env:release', 'data')).toBe('x');
    expect(getOption(doc, ctx(), 'env:debug', 'upload_speed')).toBe('921600');
    expect(getOption(doc, ctx(), 'env:debug', 'monitor_speed')).toBe('74880');
    expect(getOption(doc, ctx(), 'env:debug', 'missing')).toBeUndefined();
  });
  it('survives an extends cycle', () => {
    const c = parseIni('[env:a]\nextends = env:b\n[env:b]\nextends = env:a\nx = 1\n');
    expect(getOption(c, ctx(), 'env:a', 'x')).toBe('1');
  });
});

describe('interpolation', () => {
  it('expands ${section.option}, ${sysenv.X}, ${this.x}, ${this.__env__} and nested references', () => {
    const doc = parseIni(`
[common]
speed = 921600
port = /dev/tty\${sysenv.SUFFIX}
[env:esp]
upload_speed = \${common.speed}
upload_port = \${common.port}
custom_name = fw-\${this.__env__}-\${this.upload_speed}
`);
    expect(getOption(doc, ctx({ SUFFIX: 'USB3' }), 'env:esp', 'upload_port')).toBe('/dev/ttyUSB3');
    expect(getOption(doc, ctx(), 'env:esp', 'upload_port')).toBe('/dev/tty');
    expect(getOption(doc, ctx(), 'env:esp', 'custom_name')).toBe('fw-esp-921600');
  });
  it('a reference to an unset option is an error naming it; a cycle is an error, not a hang', () => {
    const bad = parseIni('[env:a]\nx = ${nope.y}\n');
    expect(() => getOption(bad, ctx(), 'env:a', 'x')).toThrow(/\$\{nope\.y\}/);
    const cyc = parseIni('[env:a]\nx = ${env:a.y}\ny = ${env:a.x}\n');
    expect(codeOf(() => getOption(cyc, ctx(), 'env:a', 'x'))).toBe('ini.bad-syntax');
  });
  it('[platformio] directories default like PlatformIO and PLATFORMIO_*_DIR variables win', () => {
    const doc = parseIni('[platformio]\nworkspace_dir = ws\n[env:a]\n');
    expect(getOption(doc, ctx(), 'platformio', 'build_dir')).toBe('ws/build');
    expect(getOption(doc, ctx({ PLATFORMIO_WORKSPACE_DIR: '/tmp/w' }), 'platformio', 'build_dir')).toBe('/tmp/w/build');
    expect(getOption(doc, ctx({ PLATFORMIO_BUILD_DIR: '/b' }), 'platformio', 'build_dir')).toBe('/b');
    expect(getOption(doc, ctx(), 'platformio', 'data_dir')).toBe('data');
  });
});

describe('selectEnv', () => {
  const doc = parseIni('[platformio]\ndefault_envs = two, one\n[env:one]\n[env:two]\n');
  it('uses --env, else the first default_envs, else the first env', () => {
    expect(selectEnv(doc, ctx(), 'one')).toBe('one');
    expect(selectEnv(doc, ctx())).toBe('two');
    expect(selectEnv(doc, ctx({ PLATFORMIO_DEFAULT_ENVS: 'one' }))).toBe('one');
    expect(selectEnv(parseIni('[env:x]\n[env:y]\n'), ctx())).toBe('x');
  });
  it('unknown or missing envs are errors listing the ones there are', () => {
    expect(() => selectEnv(doc, ctx(), 'three')).toThrow(/--env names environment 'three', but platformio.ini has 'one', 'two'/);
    expect(codeOf(() => selectEnv(parseIni('[platformio]\ndefault_envs = z\n[env:a]\n'), ctx()))).toBe('ini.unknown-env');
    expect(codeOf(() => selectEnv(parseIni('[platformio]\n'), ctx()))).toBe('ini.no-env');
  });
});

describe('readPlatformioSettings', () => {
  it('reads the repository platformio.ini', () => {
    const root = join(import.meta.dirname, '..', '..', '..');
    const doc = parseIni(readFileSync(join(root, 'platformio.ini'), 'utf8'));
    const s = readPlatformioSettings(doc, { vars: {}, projectDir: root });
    expect(s).toMatchObject({
      env: 'esp32dev', dataDir: join(root, 'firmware', 'data'), buildRoot: join(root, '.pio', 'build'),
      filesystem: 'spiffs', uploadSpeed: '921600', monitorSpeed: '115200', board: 'esp32dev',
    });
    expect(s.partitions).toBeUndefined();
    expect(s.uploadPort).toBeUndefined();
  });
  it('reads every option through [env] and extends, resolving directories against the project', () => {
    const doc = parseIni(`
[platformio]
data_dir = site
build_dir = /abs/build
[env]
board_build.filesystem = SPIFFS
[env:x]
board_build.partitions = parts/my.csv
board_upload.flash_size = 8MB
upload_port = COM3
`);
    const s = readPlatformioSettings(doc, ctx(), 'x');
    expect(s).toMatchObject({ env: 'x', dataDir: '/proj/site', buildRoot: '/abs/build', filesystem: 'spiffs', partitions: 'parts/my.csv', flashSize: 0x800000, uploadPort: 'COM3' });
    expect(readPlatformioSettings(doc, ctx({ PLATFORMIO_UPLOAD_PORT: '/dev/x' }), 'x').uploadPort).toBe('/dev/x');
    expect(readPlatformioSettings(doc, ctx({ HOME: '/home/u', PLATFORMIO_BUILD_DIR: '~/b' }), 'x').buildRoot).toBe('/home/u/b');
  });
  it('board_build.arduino.partitions is used when board_build.partitions is not set', () => {
    const doc = parseIni('[env:a]\nboard_build.arduino.partitions = min_spiffs.csv\n[env:b]\nextends = env:a\nboard_build.partitions = huge_app.csv\n');
    expect(readPlatformioSettings(doc, ctx(), 'a').partitions).toBe('min_spiffs.csv');
    expect(readPlatformioSettings(doc, ctx(), 'b').partitions).toBe('huge_app.csv');
  });
  it('a bad flash size is a clear error', () => {
    expect(codeOf(() => readPlatformioSettings(parseIni('[env:x]\nboard_upload.flash_size = big\n'), ctx()))).toBe('ini.bad-value');
  });
  it('parses flash sizes', () => {
    expect([parseFlashSize('4MB'), parseFlashSize('512KB'), parseFlashSize('16M'), parseFlashSize('4096')]).toEqual([0x400000, 0x80000, 0x1000000, 4096]);
    expect(parseFlashSize('4 GB')).toBeUndefined();
  });
});
