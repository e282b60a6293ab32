import { describe, expect, it } from 'vitest';
import type { TimestampedLogLine } from '@slipway/docker';
import { fitBudget, newLines, prepareLine } from './log-batch';

const line = (timestamp: string, text: string, stream: 'stdout' | 'stderr' = 'stdout'): TimestampedLogLine => ({ timestamp, text, stream });

describe('newLines', () => {
  it('skips the lines at the cursor’s timestamp it already stored, and counts those it stores', () => {
    const read = [
      line('2026-12-07T10:00:00.5Z', 'a'),
      line('2026-12-07T10:00:00.500000000Z', 'b'),
      line('2026-12-07T10:00:00.6Z', 'c'),
      line('2026-12-07T10:00:00.6Z', 'd'),
    ];
    const first = newLines(read.slice(0, 1), undefined, 100);
    expect(first.next).toEqual({ lastTimestamp: '2026-12-07T10:00:00.5Z', linesAtLast: 1 });
    // Docker trims trailing zeros: .5Z and .500000000Z are the same instant.
    const second = newLines(read, first.next, 100);
    expect(second.lines.map((l) => l.text)).toEqual(['b', 'c', 'd']);
    expect(second.next).toEqual({ lastTimestamp: '2026-12-07T10:00:00.6Z', linesAtLast: 2 });
    expect(newLines(read.slice(2), second.next, 100)).toEqual({ lines: [], next: second.next, more: false });
  });

  it('stops at maxLines and says there is more', () => {
    const read = Array.from({ length: 5 }, (_, i) => line(`2026-12-07T10:00:0${i}Z`, String(i)));
    const page = newLines(read, undefined, 3);
    expect(page).toMatchObject({ more: true, next: { lastTimestamp: '2026-12-07T10:00:02Z', linesAtLast: 1 } });
    expect(newLines(read, page.next, 3).lines.map((l) => l.text)).toEqual(['3', '4']);
  });
});

describe('prepareLine', () => {
  it('redacts before it cuts, and names the setting in the cut note', () => {
    const secret = 'sk-secret-value-123';
    const out = prepareLine(
      line('2026-12-07T10:00:00Z', `ERROR key=${secret} ${'x'.repeat(2000)}`),
      (t) => t.replaceAll(secret, '[REDACTED]'),
      300,
    );
    expect(out.message).toContain('[REDACTED]');
    expect(out.message).not.toContain(secret);
    expect(out.message.length).toBeLessThanOrEqual(300);
    expect(out.message).toMatch(/line cut: .* \(LOGS_LINE_MAX_CHARS\)\]$/);
    expect(out.level).toBe('error');
  });
});

describe('fitBudget', () => {
  it('keeps what fits and adds one line saying what was dropped', () => {
    const lines = ['aaaa', 'bbbb', 'cccc'].map((message, i) => ({
      at: `2026-12-07T10:00:0${i}Z`,
      stream: 'stdout' as const,
      level: 'info' as const,
      message,
    }));
    expect(fitBudget(lines, 100, 100)).toEqual(lines);
    const kept = fitBudget(lines, 9, 100);
    expect(kept.map((l) => l.message).slice(0, 2)).toEqual(['aaaa', 'bbbb']);
    expect(kept[2]).toMatchObject({ level: 'warn', stream: 'stderr' });
    expect(kept[2]!.message).toMatch(/1 lines \(4 bytes\) .* dropped.*LOGS_MAX_BYTES_PER_MINUTE/);
  });
});
