import { describe, expect, it } from 'vitest';
import { demuxTimestampedLines, unixSeconds } from './timestamped-logs';

const frame = (type: 1 | 2, text: string) => {
  const body = Buffer.from(text, 'utf8');
  const header = Buffer.alloc(8);
  header.writeUInt8(type, 0);
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
};

describe('demuxTimestampedLines', () => {
  it('keeps each line’s stream and timestamp, joining a line split across frames', () => {
    const body = Buffer.concat([
      frame(1, '2026-12-07T10:00:00.1Z hello\n2026-12-07T10:00:00.2Z par'),
      frame(2, '2026-12-07T10:00:00.15Z oops\r\n'),
      frame(1, 'tial line\n'),
    ]);
    expect(demuxTimestampedLines(body)).toEqual([
      { stream: 'stdout', timestamp: '2026-12-07T10:00:00.1Z', text: 'hello' },
      { stream: 'stderr', timestamp: '2026-12-07T10:00:00.15Z', text: 'oops' },
      { stream: 'stdout', timestamp: '2026-12-07T10:00:00.2Z', text: 'partial line' },
    ]);
  });

  it('reads a TTY container’s plain body as stdout', () => {
    expect(demuxTimestampedLines(Buffer.from('2026-12-07T10:00:00Z a b\n2026-12-07T10:00:01Z \n'))).toEqual([
      { stream: 'stdout', timestamp: '2026-12-07T10:00:00Z', text: 'a b' },
      { stream: 'stdout', timestamp: '2026-12-07T10:00:01Z', text: '' },
    ]);
  });
});

describe('unixSeconds', () => {
  it('keeps every nanosecond, whatever zeros Docker trimmed', () => {
    expect(unixSeconds('2026-12-07T10:00:00.123456789Z')).toBe('1796637600.123456789');
    expect(unixSeconds('2026-12-07T10:00:00.5Z')).toBe('1796637600.500000000');
    expect(unixSeconds('2026-12-07T10:00:00Z')).toBe('1796637600.000000000');
    expect(() => unixSeconds('yesterday')).toThrow(/not a Docker timestamp/);
  });
});
