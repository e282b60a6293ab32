import { describe, expect, it } from 'vitest';
import { LATENCY_BUCKETS_MS } from '@slipway/contracts';
import { ResourceBook, tenantKey, tenantResource, type TenantNames } from './otlp-resource';
import { trafficMetrics, type TrafficMinuteRow } from './traffic-metrics';

const names = (releaseId: string, number: number): TenantNames => ({
  organizationId: 'o1',
  organizationSlug: 'acme',
  projectId: 'p1',
  projectSlug: 'web',
  environmentId: 'e1',
  environmentName: 'staging',
  release: { id: releaseId, number, commitSha: `sha${number}` },
});
const book = new ResourceBook(new Map([[tenantKey('p1', 'e1', 'r1'), names('r1', 1)], [tenantKey('p1', 'e1', 'r2'), names('r2', 2)]]));
const minute = new Date('2026-12-07T14:00:00Z');
const row = (releaseId: string, over: Partial<TrafficMinuteRow> = {}): TrafficMinuteRow => ({
  bucket: minute,
  projectId: 'p1',
  environmentId: 'e1',
  releaseId,
  status2xx: 8,
  status3xx: 0,
  status4xx: 1,
  status5xx: 1,
  latencyCounts: [1, 2, 3, 4, 0, 0, 0, 0, 0, 0, 0],
  ...over,
});

describe('trafficMetrics', () => {
  it('gives each release its resource, a duration histogram in seconds and a count per status class that had requests', () => {
    const out = trafficMetrics([row('r1'), row('r1', { bucket: new Date(minute.getTime() + 60_000) }), row('r2'), row('gone')], book);
    expect(out.map((r) => r.resource['service.version'])).toEqual(['v1', 'v2']);
    const [duration, count] = out[0]!.metrics;
    expect(duration).toMatchObject({ kind: 'histogram', name: 'http.server.request.duration', unit: 's' });
    expect(duration!.points).toHaveLength(2);
    expect(duration!.points[0]).toMatchObject({ startMs: minute.getTime(), endMs: minute.getTime() + 60_000, bounds: LATENCY_BUCKETS_MS.map((ms) => ms / 1000), counts: [1, 2, 3, 4, 0, 0, 0, 0, 0, 0, 0] });
    expect(count).toMatchObject({ kind: 'counter', name: 'slipway.http.server.request.count' });
    expect(count!.points.filter((p) => p.startMs === minute.getTime()).map((p) => [p.attributes['slipway.http.status_class'], (p as { value: number }).value])).toEqual([
      ['2xx', 8],
      ['4xx', 1],
      ['5xx', 1],
    ]);
  });
});

describe('tenantResource', () => {
  it('names the service, its namespace, version and environment with the semantic conventions, and the Slipway ids', () => {
    expect(tenantResource(names('r9', 9))).toEqual({
      'service.name': 'web',
      'service.namespace': 'acme',
      'service.version': 'v9',
      'deployment.environment.name': 'staging',
      'vcs.ref.head.revision': 'sha9',
      'slipway.organization.id': 'o1',
      'slipway.organization.slug': 'acme',
      'slipway.project.id': 'p1',
      'slipway.project.slug': 'web',
      'slipway.environment.id': 'e1',
      'slipway.release.id': 'r9',
      'slipway.release.number': 9,
    });
    const noRelease = tenantResource({ ...names('x', 1), release: null, environmentId: null, environmentName: null });
    expect(noRelease).not.toHaveProperty('service.version');
    expect(noRelease).not.toHaveProperty('deployment.environment.name');
  });
});
