import { randomBytes } from 'node:crypto';
import { Global, Module } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LATENCY_BUCKETS_MS, type EdgeMetrics } from '@slipway/contracts';
import { DbModule, PrismaService } from '@slipway/db';
import { AppError } from '@slipway/errors';
import { EdgeMetricsStream, RedisModule, RedisService } from '@slipway/redis';
import { createDomainTestContext, type DomainTestContext } from '@slipway/testing';
import { bucketOf } from './histogram';
import { ObservabilityModule, TrafficCollectorModule } from './observability.module';
import { parseSampleEntry } from './sample-entry';
import { TopPathsService } from './top-paths.service';
import { TRAFFIC_STREAM_KEY, TrafficCollector } from './traffic-collector';
import { TrafficStorageRepository } from './traffic-storage.repository';
import { edgeMetricsOf, seededRandom, seedTrafficTenant, type TrafficTenant } from './testing/traffic-fixture.int-support';

const STREAM = `slipway:test:edge-metrics:${randomBytes(6).toString('hex')}`;

@Global()
@Module({ providers: [{ provide: TRAFFIC_STREAM_KEY, useValue: STREAM }], exports: [TRAFFIC_STREAM_KEY] })
class TestStreamModule {}

let ctx: DomainTestContext;
let prisma: PrismaService;
let redis: RedisService;
let service: TopPathsService;
let a: TrafficTenant;
let b: TrafficTenant;
const entries: EdgeMetrics[] = [];
/** Raw requests the edge saw, by tenant environment and path: what the answers must add up to. */
const seen = new Map<string, { ms: number; status: number; releaseId: string }[]>();
const now = new Date(Math.floor(Date.now() / 60_000) * 60_000 + 30_000);
const HOURS = 2;

const exact = (samples: readonly number[], q: number) => [...samples].sort((x, y) => x - y)[Math.ceil(q * samples.length) - 1]!;

/** Per request of a release: which path, how slow, which status. v2 of A breaks /checkout (5xx) and is slow on /report. */
function request(next: () => number, tenant: 'a' | 'b', release: number): { path: string; ms: number; status: number } {
  const pick = next();
  if (tenant === 'b') return { path: '/b-only', ms: -Math.log(1 - next()) * 10, status: 200 };
  if (pick < 0.5) return { path: '/', ms: -Math.log(1 - next()) * 20, status: 200 };
  if (pick < 0.75) return { path: '/users/:id', ms: -Math.log(1 - next()) * 40, status: 200 };
  if (pick < 0.85) return { path: '/missing', ms: 2, status: 404 };
  if (pick < 0.95) return { path: '/checkout', ms: -Math.log(1 - next()) * 60, status: release === 2 && next() < 0.4 ? 503 : 200 };
  return { path: '/report', ms: release === 2 ? 1500 + next() * 2000 : 300, status: 200 };
}

beforeAll(async () => {
  ctx = await createDomainTestContext([DbModule, RedisModule, TestStreamModule, ObservabilityModule, TrafficCollectorModule]);
  prisma = ctx.app.get(PrismaService);
  redis = ctx.app.get(RedisService);
  service = ctx.app.get(TopPathsService);
  [a, b] = [await seedTrafficTenant(prisma, 2), await seedTrafficTenant(prisma, 1)];
  const next = seededRandom(7);
  const start = now.getTime() - HOURS * 3_600_000;
  for (let t = 0; t < HOURS * 360; t++) {
    const from = new Date(start + t * 10_000);
    for (const [tenant, release, releaseId, env] of [
      ['a', 1, a.releaseIds[0]!, a.environmentId],
      ['a', 2, a.releaseIds[1]!, a.environmentId],
      ['b', 1, b.releaseIds[0]!, b.environmentId],
    ] as const) {
      for (let replica = 0; replica < 2; replica++) {
        const requests = Array.from({ length: 3 + Math.floor(next() * 8) }, () => request(next, tenant, release));
        for (const r of requests) {
          const key = `${env} ${r.path}`;
          seen.set(key, [...(seen.get(key) ?? []), { ms: r.ms, status: r.status, releaseId }]);
        }
        entries.push(edgeMetricsOf({ releaseId, environmentId: env, from, requests }));
      }
    }
  }
  await new EdgeMetricsStream(redis.client, false, STREAM).append(entries);
  const result = await ctx.app.get(TrafficCollector).collect({ maxEntries: 100_000 }, now);
  expect(result).toMatchObject({ written: entries.length, skipped: 0 });
});

afterAll(async () => {
  await redis?.client.del(STREAM);
  await ctx?.close();
});

const scopeOf = (t: TrafficTenant) => ({ organizationId: t.organizationId });
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000).toISOString();
const top = (t: TrafficTenant, sort: 'requests' | 'errors' | 'latency', extra: { hours?: number; release?: string; limit?: number } = {}) =>
  service.topPaths(scopeOf(t), t.environmentId, { from: hoursAgo(extra.hours ?? 3), sort, limit: extra.limit ?? 100, release: extra.release }, now);

type Sums = Record<string, { requests: number; s4: number; s5: number; counts: number[] }>;
const histogramSql = LATENCY_BUCKETS_MS.concat([0])
  .map((_, i) => `sum("latencyCounts"[${i + 1}])::int8`)
  .join(', ');
async function sumsByRelease(table: string): Promise<Sums> {
  const rows = await prisma.$queryRawUnsafe<{ releaseId: string; requests: bigint; s4: bigint; s5: bigint; counts: bigint[] }[]>(
    `SELECT "releaseId", sum(requests)::int8 AS requests, sum("status4xx")::int8 AS s4, sum("status5xx")::int8 AS s5, ARRAY[${histogramSql}] AS counts
     FROM "${table}" GROUP BY 1`,
  );
  return Object.fromEntries(rows.map((r) => [r.releaseId, { requests: Number(r.requests), s4: Number(r.s4), s5: Number(r.s5), counts: r.counts.map(Number) }]));
}

describe('top paths: storage', () => {
  it("adds every path of every flush to the minute and hour path rollups: per release, the paths' totals equal the release's", async () => {
    const releases = await sumsByRelease('AppTrafficMinute');
    expect(Object.keys(releases)).toHaveLength(3);
    expect(await sumsByRelease('AppTrafficPathMinute')).toEqual(releases);
    expect(await sumsByRelease('AppTrafficPathHour')).toEqual(await sumsByRelease('AppTrafficHour'));
    expect(await sumsByRelease('AppTrafficPathHour')).toEqual(releases);
  });

  it('adds nothing when a batch is delivered again (exactly once, like the release rollups)', async () => {
    const before = await sumsByRelease('AppTrafficPathMinute');
    const fake = entries.slice(0, 50).map((e, i) => ({ id: `${Date.parse(e.from)}-${i}`, fields: { data: JSON.stringify(e) } }));
    const samples = fake.map((f) => parseSampleEntry(f).sample!);
    const storage = ctx.app.get(TrafficStorageRepository);
    // New stream ids: stored once; the same ids again: nothing more.
    expect(await storage.ingest(samples)).toBe(50);
    const once = await sumsByRelease('AppTrafficPathMinute');
    expect(await storage.ingest(samples)).toBe(0);
    expect(await sumsByRelease('AppTrafficPathMinute')).toEqual(once);
    expect(once).not.toEqual(before);
    expect(await sumsByRelease('AppTrafficPathMinute')).toEqual(await sumsByRelease('AppTrafficMinute'));
  });
});

describe('top paths: query', () => {
  // The storage test above stored 50 flushes twice over: count from the tables, not from `seen`, where it matters.
  it('ranks by requests, and the counts are the requests the edge saw on each path', async () => {
    const r = await top(a, 'requests', { hours: 1 });
    expect(r.paths.slice(0, 2).map((p) => p.path)).toEqual(['/', '/users/:id']);
    expect(r.paths).toHaveLength(5);
    const counts = r.paths.map((p) => p.requests);
    expect([...counts].sort((x, y) => y - x)).toEqual(counts);
    // The last hour holds none of the re-stored flushes (they are the oldest): exact counts.
    const inLastHour = (path: string) => {
      const cutoff = new Date(r.from).getTime();
      return entries
        .filter((e) => e.environmentId === a.environmentId && Date.parse(e.from) >= cutoff)
        .flatMap((e) => e.paths ?? [])
        .filter((p) => p.path === path)
        .reduce((n, p) => n + p.requests, 0);
    };
    for (const p of r.paths) expect(p.requests, p.path).toBe(inLastHour(p.path));
  });

  it('ranks by errors: 5xx first, then 4xx', async () => {
    const r = await top(a, 'errors');
    expect(r.paths.slice(0, 2).map((p) => p.path)).toEqual(['/checkout', '/missing']);
    expect(r.paths[0]!.status5xx).toBeGreaterThan(0);
    expect(r.paths[1]).toMatchObject({ status5xx: 0 });
    expect(r.paths[1]!.status4xx).toBeGreaterThan(0);
  });

  it('ranks by p95 from merged buckets, within one bucket of the raw requests’ p95', async () => {
    const r = await top(a, 'latency');
    expect(r.paths[0]!.path).toBe('/report');
    const p95s = r.paths.map((p) => p.p95Ms ?? -1);
    expect([...p95s].sort((x, y) => y - x)).toEqual(p95s);
    for (const p of r.paths) {
      const raw = seen.get(`${a.environmentId} ${p.path}`)!.map((x) => x.ms);
      expect(Math.abs(bucketOf(p.p95Ms!) - bucketOf(exact(raw, 0.95))), p.path).toBeLessThanOrEqual(1);
    }
  });

  it('filters by release: v1 never failed /checkout', async () => {
    const v1 = await top(a, 'errors', { release: a.releaseIds[0] });
    expect(v1.paths.find((p) => p.path === '/checkout')).toMatchObject({ status5xx: 0 });
    const v2 = await top(a, 'errors', { release: a.releaseIds[1] });
    expect(v2.paths[0]).toMatchObject({ path: '/checkout' });
  });

  it('reads the hour rollups past a day, with the same totals', async () => {
    const day = await top(a, 'requests', { hours: 3 });
    const week = await top(a, 'requests', { hours: 24 * 7 });
    expect(new Date(week.from).getUTCMinutes()).toBe(0);
    expect(week.paths).toEqual(day.paths);
  });

  it('caps the answer at `limit`', async () => {
    expect((await top(a, 'requests', { limit: 2 })).paths.map((p) => p.path)).toEqual(['/', '/users/:id']);
  });

  it("never answers another organization's paths", async () => {
    // A's scope with B's environment id (a forged id): nothing, not B's paths.
    expect((await service.topPaths(scopeOf(a), b.environmentId, { from: hoursAgo(3), sort: 'requests', limit: 100 }, now)).paths).toEqual([]);
    expect((await top(a, 'requests')).paths.some((p) => p.path === '/b-only')).toBe(false);
    expect((await top(b, 'requests')).paths.map((p) => p.path)).toEqual(['/b-only']);
  });

  it('refuses a range that ends before it starts or in the future', async () => {
    const bad = service.topPaths(scopeOf(a), a.environmentId, { from: now.toISOString(), to: hoursAgo(1), sort: 'requests', limit: 10 }, now);
    await expect(bad).rejects.toMatchObject({ code: 'INVALID_TIME_RANGE' });
    await expect(bad).rejects.toBeInstanceOf(AppError);
    const future = service.topPaths(scopeOf(a), a.environmentId, { from: hoursAgo(1), to: hoursAgo(-1), sort: 'requests', limit: 10 }, now);
    await expect(future).rejects.toMatchObject({ code: 'INVALID_TIME_RANGE' });
  });
});
