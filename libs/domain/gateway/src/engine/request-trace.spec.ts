import { describe, expect, it } from 'vitest';
import { isoTime } from './request-trace';

describe('isoTime', () => {
  it('matches Date#toISOString across seconds, milliseconds and days', () => {
    const start = Date.UTC(2026, 10, 30, 23, 59, 58, 990);
    for (let ms = start; ms < start + 2_500; ms += 7) expect(isoTime(ms)).toBe(new Date(ms).toISOString());
    for (const ms of [0, 1, 999, 1_000, Date.UTC(2027, 0, 1)]) expect(isoTime(ms)).toBe(new Date(ms).toISOString());
  });
});
