import { describe, expect, it } from 'vitest';
import { SseSplitter } from './sse-splitter';

const feed = (s: SseSplitter, text: string) => s.push(Buffer.from(text));

describe('SseSplitter', () => {
  it('yields only complete events, however the bytes are cut', () => {
    const s = new SseSplitter();
    const text = 'event: ping\ndata: {"type":"ping"}\n\nevent: message_stop\ndata: {"type":"message_stop"}\n\n';
    const frames = [...text].flatMap((ch) => feed(s, ch));
    expect(frames.map((f) => f.event)).toEqual(['ping', 'message_stop']);
    expect(frames[1]!.data).toBe('{"type":"message_stop"}');
    expect(frames.map((f) => f.raw).join('')).toBe(text);
  });

  it('keeps a multi-byte character split across chunks intact', () => {
    const s = new SseSplitter();
    const bytes = Buffer.from('data: {"t":"héllo"}\n\n');
    const cut = bytes.indexOf(0xc3) + 1;
    expect(s.push(bytes.subarray(0, cut))).toEqual([]);
    expect(s.push(bytes.subarray(cut))[0]!.data).toBe('{"t":"héllo"}');
  });

  it('accepts CRLF framing, joins data lines and skips comments', () => {
    const s = new SseSplitter();
    const frames = feed(s, ': keep-alive\r\n\r\ndata: a\r\ndata: b\r\n\r\ndata: [DONE]\n\n');
    expect(frames.map((f) => f.data)).toEqual(['a\nb', '[DONE]']);
  });

  it('reports what is left when a stream ends mid-event', () => {
    const s = new SseSplitter();
    feed(s, 'data: {"choices":[]}\n\ndata: {"cho');
    expect(s.rest).toBe('data: {"cho');
  });
});
