import { describe, expect, it } from 'vitest';
import {
  ComPort, DO, IAC, Option, TelnetParser, WILL, comPort, decodeBaud, encodeBaud, escapeData, negotiate, type TelnetEvent,
} from './rfc2217.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

function parseAll(wire: Uint8Array, split = 1): TelnetEvent[] {
  const p = new TelnetParser();
  const ev: TelnetEvent[] = [];
  for (let i = 0; i < wire.length; i += split) ev.push(...p.push(wire.subarray(i, i + split)));
  // Merge adjacent data runs so chunking does not matter.
  const out: TelnetEvent[] = [];
  for (const e of ev) {
    const last = out[out.length - 1];
    if (e.type === 'data' && last?.type === 'data') last.bytes = Uint8Array.from([...last.bytes, ...e.bytes]);
    else out.push(e);
  }
  return out;
}

describe('RFC 2217 codec', () => {
  it('encodes golden vectors (pyserial wire format)', () => {
    expect(hex(negotiate(WILL, Option.COM_PORT))).toBe('fffb2c');
    expect(hex(comPort(ComPort.SET_BAUDRATE, encodeBaud(115200)))).toBe('fffa2c010001c200fff0');
    expect(hex(comPort(ComPort.SET_CONTROL + 100, Uint8Array.of(8)))).toBe('fffa2c6908fff0');
    expect(hex(escapeData(Uint8Array.of(1, 0xff, 2)))).toBe('01ffff02');
  });

  it('round-trips data with 0xFF, negotiations and subnegotiations at any split', () => {
    const data = Uint8Array.from({ length: 300 }, (_, i) => (i * 37) & 0xff);
    const wire = Uint8Array.from([
      ...negotiate(DO, Option.COM_PORT),
      ...escapeData(data),
      ...comPort(ComPort.SET_BAUDRATE, encodeBaud(0x00ffff00)),
      ...escapeData(Uint8Array.of(IAC)),
    ]);
    for (const split of [1, 2, 7, wire.length]) {
      const ev = parseAll(wire, split);
      expect(ev.map((e) => e.type)).toEqual(['negotiate', 'data', 'subnegotiation', 'data']);
      expect(ev[0]).toEqual({ type: 'negotiate', verb: DO, option: Option.COM_PORT });
      expect(ev[1]?.type === 'data' && hex(ev[1].bytes)).toBe(hex(data));
      const sb = ev[2];
      expect(sb?.type === 'subnegotiation' && sb.payload[0]).toBe(ComPort.SET_BAUDRATE);
      expect(sb?.type === 'subnegotiation' && decodeBaud(sb.payload.subarray(1))).toBe(0x00ffff00);
      expect(ev[3]?.type === 'data' && hex(ev[3].bytes)).toBe('ff');
    }
  });

  it('rejects a baud value of the wrong length', () => {
    expect(decodeBaud(Uint8Array.of(1, 2, 3))).toBeUndefined();
  });
});
