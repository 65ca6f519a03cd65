import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { frame, T } from '../../protocol/sketch-link.js';
import type { SketchMdns } from '../mdns/board-mdns.js';
import { SketchMdnsCalls } from './sketch-mdns-calls.js';

const service = (name: string, proto: string) => frame(T.mdns, 0, { a: 1, s1: name, s2: proto });
const txt = (key: string, value: string) => frame(T.mdns, 0, { a: 2, s1: '_http', s2: '_tcp', s3: key, s4: value });

describe('SketchMdnsCalls', () => {
  let started: SketchMdns[];
  let warnings: string[];
  let calls: SketchMdnsCalls;
  beforeEach(() => {
    vi.useFakeTimers();
    started = [];
    warnings = [];
    calls = new SketchMdnsCalls(
      async (s) => {
        started.push(s);
        return undefined;
      },
      (code) => void warnings.push(code),
    );
  });
  afterEach(() => vi.useRealTimers());

  it('starts the responder once, with every record, when a burst of calls has settled', () => {
    calls.begin('esp-sse');
    calls.service(service('http', 'tcp'));
    calls.service(txt('fw', 'esp-sse'));
    vi.advanceTimersByTime(49);
    calls.service(txt('sse', '/sse'));
    expect(started).toEqual([]);
    vi.advanceTimersByTime(50);
    expect(started).toEqual([{ hostname: 'esp-sse', txt: { fw: 'esp-sse', sse: '/sse' } }]);
  });

  it('another service than _http._tcp is a warning and starts nothing new', () => {
    calls.begin('esp-sse');
    vi.advanceTimersByTime(50);
    calls.service(service('_arduino', '_tcp'));
    vi.advanceTimersByTime(100);
    expect(warnings).toEqual(['emulate.mdns-service']);
    expect(started).toHaveLength(1);
  });

  it('nothing before MDNS.begin(), and nothing once stopped', () => {
    calls.service(txt('fw', 'x'));
    vi.advanceTimersByTime(100);
    calls.begin('esp-sse');
    calls.stop();
    vi.advanceTimersByTime(100);
    expect(started).toEqual([]);
  });
});
