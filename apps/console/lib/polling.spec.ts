import { describe, expect, it } from 'vitest';
import { ApiError } from './api';
import { FAST_POLL_MS, SLOW_POLL_MS, pollEvery, pollWhile } from './polling';

const query = <T>(data: T | undefined, error: ApiError | null = null) => ({ state: { data, error } });
const builds = (...statuses: string[]) => statuses.map((status) => ({ status }));
const building = (list: { status: string }[]) => list.some((b) => b.status === 'BUILDING');

describe('pollWhile', () => {
  it('polls fast while something is in progress and slowly once it is done', () => {
    const interval = pollWhile(building);
    expect(interval(query(builds('SUCCEEDED', 'BUILDING')))).toBe(FAST_POLL_MS);
    expect(interval(query(builds('SUCCEEDED', 'FAILED')))).toBe(SLOW_POLL_MS);
  });

  it('polls slowly before the first answer and keeps polling after a server error (it may recover)', () => {
    const interval = pollWhile(building);
    expect(interval(query(undefined))).toBe(SLOW_POLL_MS);
    expect(interval(query(builds('BUILDING'), new ApiError(503, null, 'down')))).toBe(FAST_POLL_MS);
  });

  it('stops polling on 403 and 404, which do not change by themselves', () => {
    const interval = pollWhile(building);
    expect(interval(query(undefined, new ApiError(403, null, 'forbidden')))).toBe(false);
    expect(interval(query(builds('BUILDING'), new ApiError(404, null, 'gone')))).toBe(false);
  });

  it('takes its own intervals; `slow: false` polls only while busy (a single deployment page)', () => {
    const interval = pollWhile(building, { fast: 1_000, slow: false });
    expect(interval(query(builds('BUILDING')))).toBe(1_000);
    expect(interval(query(builds('SUCCEEDED')))).toBe(false);
  });
});

describe('pollEvery', () => {
  it('polls at a fixed interval whatever the data, until a 403', () => {
    const interval = pollEvery<number[]>(2_500);
    expect(interval(query([]))).toBe(2_500);
    expect(interval(query([1, 2]))).toBe(2_500);
    expect(interval(query(undefined, new ApiError(403, null, 'forbidden')))).toBe(false);
  });
});
