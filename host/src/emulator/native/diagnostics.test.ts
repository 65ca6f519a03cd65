import { describe, expect, it } from 'vitest';
import { clip, findMissingIncludes, missingEntryPoints, sketchBuildError, suggestsMissingApi, unsupportedHeaderError } from './diagnostics.js';
import { cachePath } from './source-tree.js';

// Shapes of g++ 12 / binutils 2.40 output under LC_ALL=C, and of clang's missing-include line.
const GCC_MISSING = [
  'In file included from src/main.cpp:2:',
  'src/net.h:4:10: fatal error: AsyncWebSocket.h: No such file or directory',
  '    4 | #include <AsyncWebSocket.h>',
  '      |          ^~~~~~~~~~~~~~~~~~',
  'compilation terminated.',
].join('\n');
const CLANG_MISSING = "src/main.cpp:3:10: fatal error: 'sub/Thing.h' file not found";

describe('diagnostics', () => {
  it('finds missing includes in g++ and clang output', () => {
    expect(findMissingIncludes(`${GCC_MISSING}\n${CLANG_MISSING}`)).toEqual([
      { file: 'src/net.h', line: 4, header: 'AsyncWebSocket.h' },
      { file: 'src/main.cpp', line: 3, header: 'sub/Thing.h' },
    ]);
  });

  it('knows the errors that suggest API the runtime lacks, and a missing setup()/loop()', () => {
    expect(suggestsMissingApi("src/a.cpp:1:1: error: 'AsyncWebSocket' does not name a type")).toBe(true);
    expect(suggestsMissingApi("src/a.cpp:3:9: error: 'class AsyncWebServer' has no member named 'onFoo'")).toBe(true);
    expect(suggestsMissingApi("src/a.cpp:3:9: error: expected ';' before '}' token")).toBe(false);
    const noLoop = "/usr/bin/ld: core.cpp:(.text+0x9): undefined reference to `loop()'";
    expect(missingEntryPoints(noLoop)).toEqual(['loop']);
    expect(suggestsMissingApi(noLoop)).toBe(false);
    expect(sketchBuildError({ output: noLoop }).message).toMatch(/no loop\(\) function/);
  });

  it('clips long output and says where the rest is', () => {
    const long = Array.from({ length: 130 }, (_, i) => `line ${i}`).join('\n');
    const c = clip(long, '/c/last-build.log').split('\n');
    expect(c).toHaveLength(121);
    expect(c[120]).toBe('… 10 more lines in /c/last-build.log');
    expect(clip('a\nb\n', undefined)).toBe('a\nb');
  });

  it('emulate.sketch-unsupported names each include and the headers there are', () => {
    const e = unsupportedHeaderError(findMissingIncludes(GCC_MISSING), ['Arduino.h', 'WiFi.h'], { output: GCC_MISSING });
    expect(e.code).toBe('emulate.sketch-unsupported');
    expect(e.message.split('\n')).toEqual([
      "the sketch includes AsyncWebSocket.h, which the emulator's runtime does not provide:",
      'src/net.h:4: #include <AsyncWebSocket.h>',
      'The runtime provides: Arduino.h, WiFi.h.',
      '(README.md, section "Your sketch in the emulator" says which parts of each API it covers.)',
    ]);
  });

  it('cachePath keeps a src_dir outside the project inside the cache', () => {
    expect(cachePath('../shared/src/a.cpp')).toBe('_up_/shared/src/a.cpp');
    expect(cachePath('src/a.cpp')).toBe('src/a.cpp');
  });
});
