import { describe, expect, it } from 'vitest';
import { BodyBudget } from './body-budget';

describe('BodyBudget', () => {
  it('takes bytes while they fit, refuses past the limit, and frees what is given back', () => {
    const budget = new BodyBudget(100);
    expect(budget.take(60)).toBe(true);
    expect(budget.fits(40)).toBe(true);
    expect(budget.fits(41)).toBe(false);
    expect(budget.take(41)).toBe(false);
    expect(budget.inUse).toBe(60);
    budget.give(60);
    expect(budget.take(100)).toBe(true);
    budget.give(500);
    expect(budget.inUse).toBe(0);
  });
});
