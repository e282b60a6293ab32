import { describe, expect, it } from 'vitest';
import { LATENCY_BUCKETS_MS, type EdgeMetrics } from '@slipway/contracts';
import { EDGE_METRICS_FIELD } from '@slipway/redis';
import { parseSampleEntry } from './sample-entry';

const counts = (first: number) => [first, ...new Array<number>(LATENCY_BUCKETS_MS.length).fill(0)];
const metrics = (over: Partial<EdgeMetrics> = {}): EdgeMetrics => ({
  releaseId: 'rel_1',
  environmentId: 'env_1',
  from: '2026-12-07T10:00:00.000Z',
  to: '2026-12-07T10:00:10.000Z',
  requests: 3,
  status: { '2xx': 2, '3xx': 0, '4xx': 0, '5xx': 1 },
  latencyBucketsMs: [...LATENCY_BUCKETS_MS],
  latencyCounts: counts(3),
  paths: [
    { path: '/users/:id', requests: 2, status4xx: 0, status5xx: 1, latencyCounts: counts(2) },
    { path: '/', requests: 1, status4xx: 0, status5xx: 0, latencyCounts: counts(1) },
  ],
  ...over,
});
const parse = (m: unknown) => parseSampleEntry({ id: '1-0', fields: { [EDGE_METRICS_FIELD]: JSON.stringify(m) } });

describe('parseSampleEntry: paths', () => {
  it('keeps the paths of an entry', () => {
    expect(parse(metrics()).sample!.paths.map((p) => [p.path, p.requests, p.status5xx])).toEqual([
      ['/users/:id', 2, 1],
      ['/', 1, 0],
    ]);
  });

  it('takes an entry without paths (an edge older than the top-paths panel) with none', () => {
    const { paths: _, ...old } = metrics();
    expect(parse(old).sample!.paths).toEqual([]);
  });

  it('refuses paths that do not add up to the release, or carry another histogram', () => {
    expect(parse(metrics({ requests: 4, latencyCounts: counts(4) })).problem).toMatch(/do not add up to the release's 4/);
    const short = metrics();
    short.paths![0]!.latencyCounts = [2];
    expect(parse(short).problem).toMatch(/path \/users\/:id: 1 latency counts/);
    const negative = metrics();
    negative.paths![1]!.status4xx = -1;
    expect(parse(negative).problem).toMatch(/path \/: a count is negative/);
  });
});
