/**
 * Names from an image, a board or the network are printed escaped by every CLI renderer
 * (issue 14): ESC sequences, newlines, CR, C1 controls.
 */
import { describe, expect, it } from 'vitest';
import { renderHuman } from '../hil/report-human.js';
import { boardTable } from './discover.js';
import { formatListing } from './fs-run.js';
import { formatTable } from './partitions-run.js';
import { portTable } from './ports-run.js';

const evil = 'x\x1b]0;owned\x07\x1b[2J\ny\r\x9b';
const shown = 'x\\x1b]0;owned\\x07\\x1b[2J\\ny\\r\\u009b';
/** No control character but the line feeds between rows. */
const inert = (text: string) => expect(text).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f]/);

describe('CLI renderers escape what came from outside', () => {
  it('fs ls: SPIFFS names', () => {
    const text = formatListing([{ name: `/${evil}`, size: 5 }, { name: '/ok.txt', size: 12 }]);
    expect(text).toBe(`   5  /${shown}\n  12  /ok.txt\n`);
    inert(text);
  });

  it('discover: instance names, hosts and TXT versions', () => {
    const text = boardTable([{ name: evil, host: `${evil}.local`, addresses: ['10.0.0.1'], port: 80, txt: {}, version: evil, espSse: true }]);
    expect(text.split('\n')).toHaveLength(3);
    expect(text).toContain(shown);
    inert(text);
  });

  it('partitions: labels from a binary table', () => {
    const text = formatTable([{ label: evil, type: 1, subtype: 2, offset: 0x9000, size: 0x1000, encrypted: false, readonly: false }]);
    expect(text.split('\n')).toHaveLength(3);
    expect(text).toContain(shown);
    inert(text);
  });

  it('ports: USB descriptor strings', () => {
    const text = portTable([{ path: '/dev/ttyUSB0', vendorId: 0x10c4, productId: 0xea60, manufacturer: evil, serialNumber: evil, likelyEsp32: true }]);
    expect(text).toContain(shown);
    inert(text);
  });

  it('hil: the board name and what a failure quotes from the board', () => {
    const text = renderHuman({
      target: { url: 'http://10.0.0.1/', name: evil },
      results: [{ id: 'sse.hello', status: 'failed', message: `expected hello!, got ${evil}\nsecond line` }],
      startedAt: '2026-01-01T00:00:00Z',
      durationMs: 1,
    });
    expect(text).toContain(`(${shown})`);
    expect(text).toContain(`          expected hello!, got x\\x1b]0;owned\\x07\\x1b[2J`);
    expect(text).toContain('          second line');
    inert(text);
  });
});
