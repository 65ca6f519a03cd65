import { describe, expect, it } from 'vitest';
import { isUserError } from '../errors.js';
import {
  decodeHandover, encodeHandover, HandoverLines, handoverDir, handoverKey, handoverLimits, handoverSocketPath, type HandoverMessage,
} from './port-handover.js';

const enc = (s: string) => new TextEncoder().encode(s);
const code = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (e) {
    return isUserError(e) ? e.code : 'not a UserError';
  }
  return undefined;
};

describe('handoverKey', () => {
  // A fake file system: a by-id symlink and a pty link both resolve to their device.
  const links: Record<string, string> = { '/dev/serial/by-id/usb-Silicon_Labs_CP2102-if00': '/dev/ttyUSB0', '/tmp/x/ttyESP': '/dev/pts/7', '/dev/ttyUSB0': '/dev/ttyUSB0' };
  const realpath = (p: string) => {
    const r = links[p];
    if (r === undefined) throw Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' });
    return r;
  };

  it('a symlink and its target give the same key; a path that does not exist is taken as given, made absolute', () => {
    expect(handoverKey('/dev/serial/by-id/usb-Silicon_Labs_CP2102-if00', realpath)).toBe('/dev/ttyUSB0');
    expect(handoverKey('/dev/ttyUSB0', realpath)).toBe('/dev/ttyUSB0');
    expect(handoverKey('/tmp/x/ttyESP', realpath)).toBe('/dev/pts/7');
    expect(handoverKey('/dev/ttyACM3', realpath)).toBe('/dev/ttyACM3');
    expect(handoverKey('ttyACM3', realpath)).toBe(`${process.cwd()}/ttyACM3`);
  });

  it('socket:// and rfc2217:// are keyed by scheme, host and port, without options', () => {
    expect(handoverKey('rfc2217://LocalHost:4000?ign_set_control', realpath)).toBe('rfc2217://localhost:4000');
    expect(handoverKey('socket://127.0.0.1:4001', realpath)).toBe('socket://127.0.0.1:4001');
    expect(handoverKey('rfc2217://[::1]:4000', realpath)).toBe('rfc2217://[::1]:4000');
    expect(handoverKey('socket://127.0.0.1:4001', realpath)).not.toBe(handoverKey('rfc2217://127.0.0.1:4001', realpath));
  });

  it('a name that is not a port is the port name\'s error', () => {
    expect(code(() => handoverKey('', realpath))).toBe('port.empty');
    expect(code(() => handoverKey('ftp://host:1', realpath))).toBe('port.unknown-scheme');
  });
});

describe('handoverDir', () => {
  it('$XDG_RUNTIME_DIR/esp-sse when it is absolute, else <tmpdir>/esp-sse-<uid>; none without user ids (Windows)', () => {
    expect(handoverDir({ env: { XDG_RUNTIME_DIR: '/run/user/1000' }, uid: 1000, tmpdir: '/tmp' })).toBe('/run/user/1000/esp-sse');
    expect(handoverDir({ env: {}, uid: 1000, tmpdir: '/tmp' })).toBe('/tmp/esp-sse-1000');
    expect(handoverDir({ env: { XDG_RUNTIME_DIR: '' }, uid: 0, tmpdir: '/var/tmp' })).toBe('/var/tmp/esp-sse-0');
    expect(handoverDir({ env: { XDG_RUNTIME_DIR: 'run/user/1000' }, uid: 1000, tmpdir: '/tmp' })).toBe('/tmp/esp-sse-1000');
    expect(handoverDir({ env: { XDG_RUNTIME_DIR: '/run/user/1000' }, uid: undefined, tmpdir: 'C:\\Temp' })).toBeUndefined();
  });
});

describe('handoverSocketPath', () => {
  it('a readable part and a hash of the whole key', () => {
    const a = handoverSocketPath('/run/user/1000/esp-sse', '/dev/ttyUSB0');
    expect(a).toMatch(/^\/run\/user\/1000\/esp-sse\/ttyUSB0-[0-9a-f]{16}\.sock$/);
    expect(handoverSocketPath('/run/user/1000/esp-sse', '/dev/ttyUSB0')).toBe(a);
    // Same last part, other device: another socket.
    expect(handoverSocketPath('/run/user/1000/esp-sse', '/dev/other/ttyUSB0')).not.toBe(a);
    expect(handoverSocketPath('/tmp/esp-sse-0', 'rfc2217://127.0.0.1:4000')).toMatch(/\/rfc2217-127\.0\.0\.1-4000-[0-9a-f]{16}\.sock$/);
    expect(handoverSocketPath('/tmp/esp-sse-0', 'rfc2217://[::1]:4000')).toMatch(/\/rfc2217-1-4000-[0-9a-f]{16}\.sock$/);
  });

  it('a path that does not fit a Unix socket address is handover.path-too-long', () => {
    const deep = `/tmp/${'d'.repeat(90)}`;
    expect(code(() => handoverSocketPath(deep, '/dev/ttyUSB0'))).toBe('handover.path-too-long');
    expect(code(() => handoverSocketPath('/tmp/esp-sse-0', `/dev/${'x'.repeat(200)}`))).toBeUndefined();
  });
});

describe('handover messages', () => {
  const all: HandoverMessage[] = [
    { type: 'release', client: 'esp-sse flash', pid: 4321 },
    { type: 'released', holder: 'esp-sse monitor', pid: 1234 },
    { type: 'refused', reason: 'the port is lent to esp-sse info (pid 99)' },
    { type: 'done', reset: true },
    { type: 'done', reset: false },
  ];

  it('round trip for every message; one JSON line each, with the version', () => {
    for (const m of all) {
      const line = encodeHandover(m);
      expect(line.endsWith('\n')).toBe(true);
      expect(line.slice(0, -1)).not.toContain('\n');
      expect(decodeHandover(line.slice(0, -1))).toEqual(m);
    }
    expect(encodeHandover({ type: 'release', client: 'esp-sse flash', pid: 4321 })).toBe('{"v":1,"type":"release","client":"esp-sse flash","pid":4321}\n');
  });

  it('anything else is a problem, not a message', () => {
    for (const bad of ['hello', '[1]', 'null', '{"type":"release","client":"x","pid":1}', '{"v":2,"type":"done","reset":true}',
      '{"v":1,"type":"release","client":"","pid":1}', '{"v":1,"type":"release","client":"x","pid":-1}', '{"v":1,"type":"done"}',
      '{"v":1,"type":"lend"}', '{"v":1,"type":"released","holder":"m","pid":1.5}']) {
      expect(decodeHandover(bad), bad).toHaveProperty('problem');
    }
  });

  it('HandoverLines: lines across chunks (split UTF-8 too), CRLF and blank lines; bad lines are problems and the stream goes on', () => {
    const lines = new HandoverLines();
    const text = encodeHandover({ type: 'release', client: 'esp-sse flash ✓', pid: 7 });
    const bytes = enc(text);
    const cut = bytes.indexOf(0xe2) + 1; // inside the check mark
    expect(lines.push(bytes.subarray(0, cut))).toEqual([]);
    expect(lines.push(bytes.subarray(cut))).toEqual([{ type: 'release', client: 'esp-sse flash ✓', pid: 7 }]);
    const out = lines.push(enc(`\r\n\nnot json\r\n${encodeHandover({ type: 'done', reset: false }).replace('\n', '\r\n')}`));
    expect(out).toHaveLength(2);
    expect(out[0]).toHaveProperty('problem');
    expect(out[1]).toEqual({ type: 'done', reset: false });
  });

  it('HandoverLines: an overlong line is one problem, skipped up to its newline', () => {
    const lines = new HandoverLines();
    const long = 'x'.repeat(handoverLimits.maxLineBytes + 10);
    const first = lines.push(enc(long));
    expect(first).toHaveLength(1);
    expect(first[0]).toHaveProperty('problem');
    expect(lines.push(enc('more of the same line'))).toEqual([]);
    expect(lines.push(enc(`\n${encodeHandover({ type: 'done', reset: true })}`))).toEqual([{ type: 'done', reset: true }]);
  });
});
