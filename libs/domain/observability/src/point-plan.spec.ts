import { describe, expect, it } from 'vitest';
import { planPoints } from './point-plan';

const now = new Date('2026-12-07T12:00:00.000Z');
const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000);
const plan = (rangeSeconds: number, points = 600, to = now) =>
  planPoints({ from: new Date(to.getTime() - rangeSeconds * 1000), to, points, now, rawRetentionDays: 7 });

describe('planPoints', () => {
  it('picks raw samples, minute or hour rollups by range, never more slots than points', () => {
    const cases = [
      { range: 15 * 60, resolution: 'raw', step: 10 },
      { range: 3600, resolution: 'raw', step: 10 },
      { range: 24 * 3600, resolution: 'minute', step: 180 },
      { range: 7 * 86_400, resolution: 'minute', step: 1020 },
      { range: 30 * 86_400, resolution: 'hour', step: 7200 },
    ] as const;
    for (const c of cases) {
      const p = plan(c.range);
      expect({ range: c.range, resolution: p.resolution, step: p.stepSeconds }).toEqual({
        range: c.range,
        resolution: c.resolution,
        step: c.step,
      });
      expect(p.slots).toBeLessThanOrEqual(600);
      expect(p.start % p.stepSeconds).toBe(0);
      expect(p.start + p.slots * p.stepSeconds).toBeGreaterThanOrEqual(p.end);
    }
  });

  it('keeps every plan within the points asked for, whatever the range and alignment', () => {
    for (const points of [10, 37, 100, 600, 2000]) {
      for (const range of [61, 599, 3599, 3601, 86_399, 86_401, 7 * 86_400 + 13, 400 * 86_400]) {
        for (const offset of [0, 7, 59, 3599]) {
          const p = plan(range, points, ago(offset));
          expect(p.slots, `points=${points} range=${range} offset=${offset}`).toBeLessThanOrEqual(points);
          expect(p.start).toBeLessThanOrEqual(Math.floor((now.getTime() - offset * 1000 - range * 1000) / 1000));
          expect(p.stepSeconds % { raw: 10, minute: 60, hour: 3600 }[p.resolution]).toBe(0);
        }
      }
    }
  });

  it('reads rollups for a short range older than the raw retention', () => {
    const p = planPoints({ from: ago(8 * 86_400), to: ago(8 * 86_400 - 900), points: 600, now, rawRetentionDays: 7 });
    expect(p.resolution).toBe('minute');
    expect(p.stepSeconds).toBe(60);
    expect(p.slots).toBe(15);
  });

  it('refuses an empty range', () => {
    expect(() => planPoints({ from: now, to: now, points: 600, now, rawRetentionDays: 7 })).toThrow(RangeError);
  });
});
