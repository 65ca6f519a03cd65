import { describe, expect, it } from 'vitest';
import { eventFields, RawEventSplitter } from './sse-frames.js';

const stream = 'retry: 10000\nid: 7\ndata: hello!\n\nid: 27\r\nevent: time_reading\r\ndata: {"time":"27"}\r\n\r\nid: 8\revent: x\rdata: a\r\r';

describe('RawEventSplitter', () => {
  it('keeps each event with its own line endings, in any chunking', () => {
    const want = ['retry: 10000\nid: 7\ndata: hello!\n\n', 'id: 27\r\nevent: time_reading\r\ndata: {"time":"27"}\r\n\r\n', 'id: 8\revent: x\rdata: a\r\r\n'];
    for (let size = 1; size <= stream.length; size++) {
      const s = new RawEventSplitter();
      const got: string[] = [];
      for (let i = 0; i < stream.length; i += size) got.push(...s.push(stream.slice(i, i + size)));
      // The last CR could still be the start of CRLF: the next byte decides (here: LF).
      got.push(...s.push('\n'));
      expect(got, `chunk size ${size}`).toEqual(want);
    }
  });

  it('does not cut CRLF in two at a chunk edge', () => {
    const s = new RawEventSplitter();
    expect(s.push('data: a\r\n\r')).toEqual([]);
    expect(s.push('\n')).toEqual(['data: a\r\n\r\n']);
  });
});

describe('eventFields', () => {
  it('reads id, event, retry and data lines (one optional space stripped, comments ignored)', () => {
    expect(eventFields(': c\nretry:10000\nid: 5\nevent: reset\ndata: {"a":1}\ndata:  two\n\n')).toEqual({ retry: '10000', id: '5', event: 'reset', data: ['{"a":1}', ' two'] });
  });
});
