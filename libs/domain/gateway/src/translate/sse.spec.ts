import { describe, expect, it } from 'vitest';
import { SseEventTooLarge, SseParser } from './sse';

describe('SseParser', () => {
  it('parses named and unnamed events split at any byte, including inside a UTF-8 character', () => {
    const text = 'event: ping\ndata: {"type":"ping"}\n\ndata: {"t":"héllo ✓"}\n\n: comment\nid: 3\ndata: [DONE]\n\n';
    const bytes = Buffer.from(text);
    for (const size of [1, 2, 3, 7, bytes.length]) {
      const p = new SseParser();
      const got = [];
      for (let i = 0; i < bytes.length; i += size) got.push(...p.feed(bytes.subarray(i, i + size)));
      expect(got).toEqual([{ event: 'ping', data: '{"type":"ping"}' }, { data: '{"t":"héllo ✓"}' }, { data: '[DONE]' }]);
    }
  });

  it('accepts CRLF and CR line ends, joins multi-line data, keeps a value without the optional space', () => {
    const p = new SseParser();
    expect(p.feed('event:a\r\ndata: 1\r\ndata:2\r\n\r\nevent: b\rdata: x\r\r\n')).toEqual([
      { event: 'a', data: '1\n2' },
      { event: 'b', data: 'x' },
    ]);
  });

  it('waits for the blank line before dispatching, and drops an unfinished event at the end', () => {
    const p = new SseParser();
    expect(p.feed('data: {"a":1}\n')).toEqual([]);
    expect(p.feed('\n')).toEqual([{ data: '{"a":1}' }]);
    expect(p.feed('event: x\n\n')).toEqual([]); // no data: no event
    p.feed('data: partial');
    p.end();
    expect(p.feed('\n\n')).toEqual([]);
  });

  it('throws past its cap: an endless line, or an event of many lines, never grows without bound', () => {
    const line = new SseParser({ maxEventChars: 100 });
    expect(line.feed(`data: ${'x'.repeat(90)}\n\n`)).toHaveLength(1);
    expect(() => {
      for (let i = 0; i < 10; i++) line.feed('y'.repeat(20));
    }).toThrow(SseEventTooLarge);
    const many = new SseParser({ maxEventChars: 100 });
    expect(() => {
      for (let i = 0; i < 10; i++) many.feed('data: 0123456789abcdef\n');
    }).toThrow(/longer than 100 characters/);
  });
});
