import { describe, expect, it } from 'vitest';
import { marketplaceUsageEventSchema } from '@slipway/contracts';
import { uuidv7 } from './uuid-v7';

describe('uuidv7', () => {
  it('is a version 7, variant 10 UUID whose first 48 bits are the time in ms', () => {
    const at = Date.parse('2026-12-07T18:00:00.123Z');
    const id = uuidv7(at);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(at);
    expect(marketplaceUsageEventSchema.shape.id.safeParse(id).success).toBe(true);
  });

  it('sorts by time and does not repeat', () => {
    const ids = Array.from({ length: 1000 }, (_, i) => uuidv7(1_800_000_000_000 + i));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(Array.from({ length: 10_000 }, () => uuidv7())).size).toBe(10_000);
  });
});
