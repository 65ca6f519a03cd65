/**
 * The host runtime's value types (firmware/runtime: String, Print, Stream, IPAddress, JSONVar)
 * produce the board's text. firmware/runtime/test/values-*.cpp are compiled with the host g++
 * and prints one `name<TAB>value` line per case; the expected values are here.
 *
 * Where the expected text comes from (sources read, nothing copied):
 * - String: arduino-esp32 2.0.17 cores/esp32/WString.cpp (ints via itoa/ltoa, floats via
 *   dtostrf(value, places + 2, places)) and cores/esp32/stdlib_noniso.c (ltoa signs every base;
 *   dtostrf adds 1/(2*10^places), pads to the width, writes "nan"/"inf" for either infinity).
 *   `String(int, base)` uses newlib's itoa, which signs only base 10.
 * - Print: cores/esp32/Print.cpp (uppercase digits, "ovf" beyond ±4294967040, "\r\n").
 * - Stream: the ArduinoCore-API Stream shipped by 2.0.17 (LookaheadMode, findMulti).
 * - JSON: Arduino_JSON 0.2.0 src/JSONVar.cpp and its cJSON 1.7.14 (print_number: %1.15g, %1.17g
 *   when the text does not read back within DBL_EPSILON (compare_double, cJSON PR #454); the
 *   "%d for ints" branch came later (cJSON PR #630, 2022), so -0 prints "-0").
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from './firmware-helpers.js';

const run = promisify(execFile);
const runtime = path.join(repoRoot, 'firmware', 'runtime');
const include = path.join(runtime, 'include');
const sources = ['WString', 'WString-number', 'WString-edit', 'Print', 'Stream', 'IPAddress', 'Arduino_JSON', 'Arduino_JSON-parse'].map((name) =>
  path.join(runtime, 'src', `${name}.cpp`),
);
/** The test program: main() and its output in values-test.cpp, the cases by area beside it. */
const program = ['values-test', 'values-string', 'values-io', 'values-json'].map((name) => path.join(runtime, 'test', `${name}.cpp`));
const flags = ['-std=gnu++17', '-Wall', '-Wextra', '-Werror', '-I', include];

/** Undoes the program's escaping (\xNN for bytes outside printable ASCII) and reads UTF-8. */
function decode(escaped: string): string {
  const latin1 = escaped.replace(/\\x([0-9a-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return Buffer.from(latin1, 'latin1').toString('utf8');
}

const strings: Record<string, string> = {
  'string.double.default': '3.14',
  'string.double.negative-half-unit': '-0.01', // -(0.005 + 0.005), digits by truncation
  'string.double.negative-rounds-to-zero': '-0.00', // the sign is written before rounding
  'string.double.rounds-up': '2.00',
  'string.double.zero-places': ' 3', // width = places + 2 = 2, padded on the left
  'string.double.three-places': '0.125',
  'string.double.large': '10000000000.00', // dtostrf has no "ovf"
  'string.float': '3.14',
  'string.double.nan': 'nan',
  'string.double.inf': 'inf',
  'string.double.minus-inf': 'inf', // dtostrf tests isinf() before the sign
  'string.int': '-42',
  'string.int.hex': 'ff',
  'string.int.bin': '101',
  'string.int.negative-hex': 'ffffff9c', // newlib itoa: two's complement outside base 10
  'string.long.negative-hex': '-64', // the core's ltoa: a sign in every base
  'string.uchar': '65',
  'string.char': 'A',
  'string.char.nul-length': '0',
  'string.ulong.32bit-max': '4294967295',
  'string.ulonglong.max': '18446744073709551615',
  'string.longlong.min': '-9223372036854775808',
  'string.sum.mixed': 'a12',
  'string.sum.double': 'x1.50', // + double: always 2 decimals
  'string.sum.float': 'v=3.14',
  'string.sum.uchar': 'n7',
  'string.sum.char': 'cd',
  'string.sum.flash': 'flash',
  'string.sum.left-unchanged': 'keep|keep!',
  'string.concat.self': 'abab',
  'string.concat.various': '2.00 7-3',
  'string.concat.nul-char-length': '2', // concat(char) appends one byte, even '\0'
  'string.flash': 'flash',
  'string.concat.own-tail': 'abcdefdef',
  'string.reserve.max': 'true', // (65519 + 16) & ~15 = 65520 <= 65535
  'string.reserve.over': 'false', // 65536 > CAPACITY_MAX
  'string.capacity.length-at-max': '65519',
  'string.capacity.concat-over': 'false',
  'string.capacity.length-after-failed': '65519', // += a failed concat: unchanged
  'string.capacity.sum-over': '(invalid)', // a + b past the limit: an invalid String
  'string.capacity.sum-over-length': '0',
  'string.capacity.small-unchanged': 'ok',
  'string.eq': 'true',
  'string.ne': 'true',
  'string.lt': 'true',
  'string.compareTo.sign': 'true',
  'string.equalsIgnoreCase': 'true',
  'string.equals.empty-vs-null': 'true',
  'string.startsWith': 'true',
  'string.startsWith.offset': 'true',
  'string.startsWith.longer': 'false',
  'string.endsWith': 'true',
  'string.endsWith.not': 'false',
  'string.charAt': 'e',
  'string.index-past-end': '0',
  'string.setCharAt': 'bat',
  'string.indexOf.char': '2',
  'string.indexOf.char-from': '9',
  'string.indexOf.string': '6',
  'string.indexOf.missing': '-1',
  'string.lastIndexOf.char': '7',
  'string.lastIndexOf.string': '9',
  'string.lastIndexOf.char-from': '4',
  'string.substring.from': 'world',
  'string.substring.swapped': 'ell',
  'string.substring.clamped': 'lo world',
  'string.substring.past-end': '',
  'string.toCharArray': 'hel',
  'string.getBytes.index': 'wor',
  'string.replace.same-length': 'heLLo worLd',
  'string.replace.shorter': 'a-b-c',
  'string.replace.longer': 'x::y::z',
  'string.replace.longer-overlapping': 'abbb', // growing replace works from the right
  'string.replace.char': 'a+b',
  'string.remove.tail': 'hello',
  'string.remove.count': 'world',
  'string.case': 'mixed 1|MIXED 1',
  'string.trim': 'hi there',
  'string.trim.all-space-length': '0',
  'string.toInt': '42',
  'string.toInt.negative': '-17',
  'string.toFloat': '3.500',
  'string.toDouble': '2.250',
  'string.clear': 'true',
  'string.invalid': '(invalid)',
  'string.invalid.length': '0',
  'string.invalid.bool': 'false',
  'string.valid.bool': 'true',
  'string.invalid.concat-revives': 'now',
  'string.emptyString': '0',
};

const prints: Record<string, string> = {
  'print.double.ovf': 'ovf',
  'print.double.negative-ovf': 'ovf',
  'print.double.zero-digits': '3',
  'print.double.default': '3.14',
  'print.double.negative': '-1.3',
  'print.double.rounds-up': '2.00',
  'print.double.negative-zero': '-0.00',
  'print.double.nan': 'nan',
  'print.double.minus-inf': 'inf',
  'print.double.limit': '4294967040',
  'print.double.past-limit': 'ovf',
  'print.int.hex': 'FF', // Print uses uppercase, String lowercase
  'print.int.bin': '11111111',
  'print.int.oct': '10',
  'print.int.negative-hex': 'FFFFFFFF', // the board's 32-bit long
  'print.int.negative': '-42/3',
  'print.uchar': '65',
  'print.char': 'A',
  'print.base0-byte': 'B',
  'print.longlong.min': '-9223372036854775808',
  'print.ulonglong.hex': 'FFFFFFFFFFFFFFFF',
  'print.println': 'x\r\n',
  'print.println.empty': '\r\n',
  'print.println.int': '7\r\n',
  'print.flash-and-string': 'flash+string',
  'print.printf': '7-x-002.3/9',
  'print.printf.long': '102/102', // past the 64-byte stack buffer
  'print.tm': '2024-01-02 03:04:05',
};

const streams: Record<string, string> = {
  'stream.parseInt': '-123',
  'stream.parseInt.rest': 'x', // the byte after the number is peeked, not consumed
  'stream.parseInt.skip-none': '0',
  'stream.parseInt.skip-none-untouched': '0',
  'stream.parseInt.skip-whitespace': '7',
  'stream.parseFloat': '3.250',
  'stream.readStringUntil': 'ab',
  'stream.readString': 'cd',
  'stream.readBytesUntil': 'hello/5',
  'stream.find': 'true',
  'stream.find.rest': ' tail',
  'stream.find.overlapping-prefix': 'true',
  'stream.find.overlapping-rest': '!',
  'stream.find.missing': 'false',
  'stream.findUntil.terminated': 'false',
  'stream.readBytes.short': '2',
  'stream.timeout.empty-read': '',
  'stream.timeout.ms-waited': '50', // the fake clock advances 1 ms per yield()
  'stream.timeout.ms-waited-across-wrap': '50',
};

const ips: Record<string, string> = {
  'ip.toString': '192.168.4.1',
  'ip.uint32': String(0x0104a8c0), // little-endian: the first octet is the low byte
  'ip.from-uint32': '192.168.4.1',
  'ip.index': '4',
  'ip.equal': 'true',
  'ip.print': '192.168.4.1/11',
  'ip.fromString': 'ok 10.0.0.255',
  'ip.fromString.octet-too-big': 'false',
  'ip.fromString.too-few-dots': 'false',
  'ip.fromString.too-many-dots': 'false',
  'ip.fromString.letters': 'false',
  'ip.fromString.String': 'true',
};

const json: Record<string, string> = {
  'json.time': '{"time":"123"}',
  'json.double': '{"n":3.14159}',
  'json.big': '{"big":4294967295}',
  'json.negative-int': '{"i":-7}',
  'json.nested': '{"a":{"b":[null,true],"c":"d"}}',
  'json.insertion-order': '{"z":1,"a":4,"m":3}',
  'json.array': '[1,null,"x"] length 3',
  'json.kinds': '{"t":true,"f":false,"n":null,"l":-5,"s":"hi"}',
  'json.escapes': '{"e":"q\\"b\\\\s/\\b\\f\\n\\r\\t\\u0001\\u001f\x7f é"}',
  // 0.1+0.2 reads back within DBL_EPSILON as 0.3; 1/3 does not, so it gets 17 digits.
  'json.numbers': '0.3 0.33333333333333331 1e+21 1e-07 1e+15 1.2345678901234568e+17 -0 ',
  'json.number.nan': 'null',
  'json.number.inf': 'null',
  'json.int.max': '2147483647',
  'json.read-adds-null': '{"a":1,"s":"str","ok":true,"one":1,"missing":null}',
  'json.hasOwnProperty': 'a -',
  'json.keys': '["a","s","ok","one","missing"]',
  'json.keys.not-object': 'undefined',
  'json.to-const-char': 'str',
  'json.to-const-char.not-string': '(null)',
  'json.to-bool': 'true,false', // only the boolean true converts to true
  'json.to-int.truncates': '2',
  'json.to-int.saturates': '2147483647', // cJSON's valueint
  'json.to-long.saturates': '2147483647',
  'json.to-double.not-number': 'true',
  'json.length.string-uses-key': '1', // the library measures the key "s", not "str"
  'json.length.object': '-1',
  'json.assign-undefined-removes': '{"s":"str","ok":true,"one":1,"missing":null}',
  'json.copy-is-deep': '{"s":"str","ok":true,"one":1,"missing":null}',
  'json.member-refers-into-parent': '"changed"',
  'json.move-assign-swaps': '{"k":null}', // operator=(JSONVar&&) swaps with the temporary
  'json.copy-assign-into-member': '{"k":[1]}',
  'json.printTo': '{"k":[1]}/9',
  'json.stringify.undefined': '(invalid)', // String((const char *)NULL)
  'json.equal': 'true',
  'json.equal.not': 'false',
  'json.equal.null': 'true',
  'json.parse.round-trip': '{"a":[1,2.5,"x",true,false,null,{"b":{}}],"c":[]}',
  'json.parse.whitespace': '{"k":[1,-2000]}',
  'json.parse.unicode': '"é😀A/\\n"',
  'json.parse.utf8-passthrough': '"é"',
  'json.parse.trailing-text-ignored': '[1]', // cJSON_Parse does not require the end
  'json.parse.bom': '{"a":1}',
  'json.parse.number-forms': '[0,-0.5,100,0.01,10.25]',
  'json.parse.from-String': '{"s":"v"}',
  'json.parse.bad': 'undefined '.repeat(16),
  'json.parse.depth-1000': 'array', // CJSON_NESTING_LIMIT
  'json.parse.depth-1001': 'undefined',
  'json.typeof': 'undefined null boolean number string object array',
  'json.parse.access': 'esp 20 2',
};

const groups = { String: strings, Print: prints, Stream: streams, IPAddress: ips, JSON: json };

let dir = '';
let compileError = '';
const actual = new Map<string, string>();

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'esp-sse-runtime-values-'));
  const binary = path.join(dir, 'values-test');
  try {
    await run('g++', [...flags, ...program, ...sources, '-o', binary], { timeout: 120_000 });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') throw new Error('g++ not found: install it (Debian: apt-get install g++)');
    compileError = e.stderr ?? String(err);
    return;
  }
  const { stdout } = await run(binary, [], { timeout: 30_000, maxBuffer: 4 << 20 });
  for (const line of stdout.split('\n').filter(Boolean)) {
    const tab = line.indexOf('\t');
    const name = line.slice(0, tab);
    expect(actual.has(name), `case ${name} printed twice`).toBe(false);
    actual.set(name, decode(line.slice(tab + 1)));
  }
}, 180_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('firmware runtime value types', () => {
  it('compile with -Wall -Wextra -Werror', () => {
    expect(compileError).toBe('');
  });

  it('print exactly the cases this test expects', () => {
    const expected = Object.values(groups).flatMap((g) => Object.keys(g));
    expect([...actual.keys()].sort()).toEqual(expected.sort());
  });

  for (const [group, cases] of Object.entries(groups)) {
    describe(group, () => {
      for (const [name, value] of Object.entries(cases)) {
        it(name, () => {
          expect(actual.get(name)).toBe(value);
        });
      }
    });
  }
});

describe('firmware runtime headers', () => {
  for (const header of ['WString.h', 'Printable.h', 'Print.h', 'Stream.h', 'IPAddress.h', 'Arduino_JSON.h']) {
    it(`${header} compiles on its own`, async () => {
      const child = run('g++', [...flags, '-fsyntax-only', '-x', 'c++', '-'], { timeout: 60_000 });
      child.child.stdin?.end(`#include <${header}>\n`);
      await expect(child).resolves.toBeDefined();
    });
  }
});
