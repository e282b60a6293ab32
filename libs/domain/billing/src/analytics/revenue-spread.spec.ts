import { describe, expect, it } from 'vitest';
import { spreadOverSlots } from './revenue-spread';

describe('spreadOverSlots', () => {
  it('spreads an amount over the slots its window overlaps, in proportion', () => {
    const s = [0, 0, 0, 0];
    // Window [50, 250) over slots of 100 s from 0: 50 s, 100 s, 50 s.
    spreadOverSlots(s, 400, { start: 50, end: 250 }, { start: 0, stepSeconds: 100 });
    expect(s).toEqual([100, 200, 100, 0]);
  });

  it('draws only the part of the window inside the series, and nothing for an empty window', () => {
    const s = [0, 0];
    spreadOverSlots(s, 1_000, { start: -100, end: 300 }, { start: 0, stepSeconds: 100 });
    expect(s).toEqual([250, 250]);
    spreadOverSlots(s, 1_000, { start: 10, end: 10 }, { start: 0, stepSeconds: 100 });
    expect(s).toEqual([250, 250]);
  });
});
