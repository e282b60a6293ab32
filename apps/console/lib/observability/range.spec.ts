import { describe, expect, it } from 'vitest';
import { DEFAULT_RANGE, fromLocalInput, isLive, parseRange, pointsFor, pollInterval, rangeKey, rangeQuery, resolveRange, toLocalInput, withRange } from './range';

const params = (s: string) => new URLSearchParams(s);
const NOW = Date.parse('2026-12-07T15:00:00Z');

describe('the range in the URL', () => {
  it('reads a preset and a custom window', () => {
    expect(parseRange(params('range=15m'))).toEqual({ kind: 'preset', preset: '15m' });
    expect(parseRange(params('from=2026-12-07T10:00:00Z&to=2026-12-07T11:30:00Z'))).toEqual({
      kind: 'custom',
      from: Date.parse('2026-12-07T10:00:00Z'),
      to: Date.parse('2026-12-07T11:30:00Z'),
    });
  });

  it('falls back to the last hour for a missing, misspelt or backwards range', () => {
    expect(parseRange(params(''))).toEqual(DEFAULT_RANGE);
    expect(parseRange(params('range=2h'))).toEqual(DEFAULT_RANGE);
    expect(parseRange(params('from=yesterday&to=2026-12-07T11:30:00Z'))).toEqual(DEFAULT_RANGE);
    expect(parseRange(params('from=2026-12-07T12:00:00Z&to=2026-12-07T11:00:00Z'))).toEqual(DEFAULT_RANGE);
    expect(parseRange(params('from=2024-01-01T00:00:00Z&to=2026-12-07T11:00:00Z'))).toEqual(DEFAULT_RANGE);
  });

  it('round-trips through the URL and keeps the other parameters', () => {
    const custom = { kind: 'custom' as const, from: Date.parse('2026-12-07T10:00:00Z'), to: Date.parse('2026-12-07T10:05:00Z') };
    const written = withRange(params('env=staging&range=7d'), custom);
    expect(written.get('env')).toBe('staging');
    expect(written.has('range')).toBe(false);
    expect(parseRange(written)).toEqual(custom);

    const back = withRange(written, { kind: 'preset', preset: '24h' });
    expect(back.toString()).toBe('env=staging&range=24h');
    expect(parseRange(back)).toEqual({ kind: 'preset', preset: '24h' });
  });

  it('a preset is live: it ends now, leaves `to` to the api, keeps one cache key and polls', () => {
    const r = { kind: 'preset' as const, preset: '15m' as const };
    expect(isLive(r)).toBe(true);
    expect(resolveRange(r, NOW)).toEqual({ from: NOW - 900_000, to: NOW });
    expect(rangeQuery(r, NOW)).toEqual({ from: '2026-12-07T14:45:00.000Z' });
    expect(rangeKey(r)).toBe(rangeKey({ kind: 'preset', preset: '15m' }));
    expect(pollInterval(r)).toBe(10_000);
    expect(pollInterval({ kind: 'preset', preset: '7d' })).toBeGreaterThan(pollInterval(r) as number);
  });

  it('a custom range is fixed: both ends go to the api and it never polls', () => {
    const r = { kind: 'custom' as const, from: NOW - 60_000, to: NOW };
    expect(isLive(r)).toBe(false);
    expect(rangeQuery(r, NOW + 3_600_000)).toEqual({ from: '2026-12-07T14:59:00.000Z', to: '2026-12-07T15:00:00.000Z' });
    expect(pollInterval(r)).toBe(false);
  });

  it('converts to and from the datetime-local inputs of the custom form', () => {
    const t = new Date(2026, 11, 7, 9, 5).getTime();
    expect(toLocalInput(t)).toBe('2026-12-07T09:05');
    expect(fromLocalInput('2026-12-07T09:05')).toBe(t);
    expect(fromLocalInput('')).toBeNull();
    expect(fromLocalInput('tomorrow')).toBeNull();
  });

  it('asks for about two points per pixel, bucketed and capped at the api limit', () => {
    expect(pointsFor(600)).toBe(1_200);
    expect(pointsFor(610)).toBe(pointsFor(600));
    expect(pointsFor(4_000)).toBe(2_000);
    expect(pointsFor(0)).toBe(100);
  });
});
