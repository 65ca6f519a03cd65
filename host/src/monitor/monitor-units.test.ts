import { describe, expect, it } from 'vitest';
import { LineSplitter } from './line-splitter.js';
import { HexDumper } from './hex-view.js';
import { classifyLine, parseBacktrace } from './panic.js';
import { MenuKeys } from './menu.js';
import { formatTimestamp } from './timestamp.js';
import { MonitorView } from './view.js';
import { isUnknown, parseAddr2line } from './addr2line.js';

const enc = (s: string) => new TextEncoder().encode(s);

describe('LineSplitter', () => {
  it('splits CR LF and LF across chunks and keeps the tail pending', () => {
    const s = new LineSplitter();
    expect(s.push(enc('ets Jun  8 2016 00:22:57\r\n\r\nrst:0x1'))).toEqual(['ets Jun  8 2016 00:22:57', '']);
    expect(s.pending).toBe('rst:0x1');
    expect(s.push(enc(' (POWERON_RESET)\r'))).toEqual([]);
    expect(s.push(enc('\nHTTP server started\n'))).toEqual(['rst:0x1 (POWERON_RESET)', 'HTTP server started']);
    expect(s.flush()).toBeUndefined();
  });

  it('decodes UTF-8 split inside a character and replaces invalid bytes without throwing', () => {
    const s = new LineSplitter();
    const bytes = enc('€\n');
    expect(s.push(bytes.subarray(0, 1))).toEqual([]);
    expect(s.push(bytes.subarray(1))).toEqual(['€']);
    expect(s.push(Uint8Array.from([0xff, 0x41, 0x0a]))).toEqual(['\ufffdA']);
  });
});

describe('HexDumper', () => {
  it('prints 16-byte rows with offsets and ASCII, and a short last row on flush', () => {
    const h = new HexDumper();
    const rows = h.push(enc('Hello, ESP32!\r\n\0XYZ'));
    expect(rows).toEqual(['00000000 | 48 65 6c 6c 6f 2c 20 45 53 50 33 32 21 0d 0a 00 | Hello, ESP32!...']);
    expect(h.flush()).toBe('00000010 | 58 59 5a' + ' '.repeat(39) + ' | XYZ');
    expect(h.flush()).toBeUndefined();
  });
});

describe('panic detection', () => {
  const guru = "Guru Meditation Error: Core  1 panic'ed (LoadProhibited). Exception was unhandled.";
  const bt = 'Backtrace: 0x400d1a2c:0x3ffb1f50 0x400d2b3c:0x3ffb1f70 0x00000000:0x00000000 |<-CORRUPTED';
  it('classifies the panic and backtrace lines and nothing else', () => {
    expect(classifyLine(guru)).toBe('panic');
    expect(classifyLine(bt)).toBe('backtrace');
    expect(classifyLine('pointer 0x3fc976bc printed by the app')).toBe('normal');
  });
  it('takes only PCs from PC:SP pairs, skipping null frames', () => {
    expect(parseBacktrace(bt)).toEqual(['0x400d1a2c', '0x400d2b3c']);
    expect(parseBacktrace('value 0x400d1a2c:0x3ffb1f50')).toEqual([]);
  });
});

describe('MenuKeys', () => {
  it('passes ordinary bytes through and exits on Ctrl+] or Ctrl+C', () => {
    const m = new MenuKeys();
    expect(m.feed(enc('ab'))).toEqual([{ type: 'send', bytes: enc('ab') }]);
    expect(m.feed(Uint8Array.from([0x61, 0x1d, 0x62]))).toEqual([
      { type: 'send', bytes: enc('a') },
      { type: 'exit' },
      { type: 'send', bytes: enc('b') },
    ]);
    expect(m.feed(Uint8Array.from([0x03]))).toEqual([{ type: 'exit' }]);
  });

  it('runs menu actions after Ctrl+T, by letter or Ctrl form, even when split across reads', () => {
    const m = new MenuKeys();
    expect(m.feed(Uint8Array.from([0x14]))).toEqual([]);
    expect(m.menuArmed).toBe(true);
    expect(m.feed(enc('r'))).toEqual([{ type: 'reset' }]);
    expect(m.feed(Uint8Array.from([0x14, 0x10]))).toEqual([{ type: 'bootloader' }]);
    expect(m.feed(Uint8Array.from([0x14, 0x49, 0x14, 0x0c, 0x14, 0x61, 0x14, 0x78]))).toEqual([
      { type: 'toggle-timestamps' },
      { type: 'toggle-log' },
      { type: 'toggle-hex' },
      { type: 'exit' },
    ]);
    expect(m.feed(Uint8Array.from([0x14, 0x7a]))).toEqual([{ type: 'unknown-menu-key', key: 0x7a }]);
  });

  it('sends Ctrl+T and Ctrl+] literally when they follow Ctrl+T', () => {
    const m = new MenuKeys();
    expect(m.feed(Uint8Array.from([0x14, 0x14, 0x14, 0x1d]))).toEqual([{ type: 'send', bytes: Uint8Array.from([0x14, 0x1d]) }]);
  });
});

describe('MonitorView', () => {
  const at = new Date(2026, 10, 25, 13, 40, 1, 23);
  const paint = { panic: (s: string) => `<P>${s}</P>`, decoded: (s: string) => s, dim: (s: string) => s };

  it('passes normal lines through untouched and highlights panic lines', () => {
    const v = new MonitorView(paint);
    const out = v.push(enc('hello\r\nGuru Meditation Error: Core  0 panic\'ed\r\n'), at);
    expect(out.lines.map((l) => l.screen).join('')).toBe("hello\n<P>Guru Meditation Error: Core  0 panic'ed</P>\n");
    expect(out.lines.map((l) => l.kind)).toEqual(['normal', 'panic']);
  });

  it('prefixes wall-clock timestamps when on', () => {
    const v = new MonitorView(paint, { timestamps: true });
    expect(formatTimestamp(at)).toBe('2026-11-25 13:40:01.023');
    expect(v.push(enc('x\n'), at).lines[0]!.screen).toBe('2026-11-25 13:40:01.023 x\n');
  });

  it('shows an unterminated line at idle and completes it without repeating', () => {
    const v = new MonitorView(paint, { timestamps: true });
    expect(v.push(enc('Connecting to WiFi ..'), at).screen).toBe('');
    expect(v.idle(at)).toBe('2026-11-25 13:40:01.023 Connecting to WiFi ..');
    expect(v.idle(at)).toBe('');
    v.push(enc('.'), at);
    expect(v.idle(at)).toBe('.');
    const out = v.push(enc('.\r\n'), at);
    expect(out.lines[0]!.screen).toBe('.\n');
    expect(out.lines[0]!.text).toBe('Connecting to WiFi ....');
  });

  it('switches to hex rows and back, still reporting lines', () => {
    const v = new MonitorView(paint);
    v.setHex(true);
    const out = v.push(enc('0123456789abcdef\n'), at);
    expect(out.screen).toBe('00000000 | 30 31 32 33 34 35 36 37 38 39 61 62 63 64 65 66 | 0123456789abcdef\n');
    expect(out.lines.map((l) => l.text)).toEqual(['0123456789abcdef']);
    expect(v.setHex(false)).toBe('00000010 | 0a' + ' '.repeat(45) + ' | .\n');
  });
});

describe('parseAddr2line unknown frames', () => {
  it('reads `0xADDR: ?? ??:0` (no " at ") as an unknown frame', () => {
    const [f] = parseAddr2line('0x00000010: ?? ??:0\n');
    expect(f).toEqual({ address: '0x00000010', function: '??', location: '??:0', inlinedBy: [] });
    expect(isUnknown(f!)).toBe(true);
  });
});
