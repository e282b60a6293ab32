import type { OrganizationHealthDto } from '@slipway/contracts';
import { describe, expect, it } from 'vitest';
import { worstFirst } from './health';

type Row = OrganizationHealthDto['environments'][number];
const row = (slug: string, over: Partial<Row>): Row => ({
  project: { slug, name: slug },
  environment: 'production',
  liveReleaseNumber: 1,
  lastDeployAt: null,
  requests: 100,
  rate5xx: 0,
  p95Ms: 50,
  modelCostUsd: 0,
  verdict: 'healthy',
  ...over,
});

describe('organization overview order', () => {
  it('puts a faulty release first, then the 5xx rate, then p95, idle environments last', () => {
    const rows = [
      row('idle', { verdict: null, requests: 0, rate5xx: null, p95Ms: null }),
      row('slow', { p95Ms: 900 }),
      row('erroring', { rate5xx: 0.04 }),
      row('faulty', { verdict: 'faulty', rate5xx: 0.01 }),
      row('fine', {}),
    ];
    expect(worstFirst(rows).map((r) => r.project.slug)).toEqual(['faulty', 'erroring', 'slow', 'fine', 'idle']);
  });

  it('is stable between polls for equal rows (by name)', () => {
    const rows = [row('b', {}), row('a', {})];
    expect(worstFirst(rows).map((r) => r.project.slug)).toEqual(['a', 'b']);
    expect(worstFirst([...rows].reverse()).map((r) => r.project.slug)).toEqual(['a', 'b']);
  });
});
