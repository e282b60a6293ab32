import { randomBytes } from 'node:crypto';
import { Global, Module } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EdgeMetrics } from '@slipway/contracts';
import { DbModule, PrismaService } from '@slipway/db';
import { AppError } from '@slipway/errors';
import { EdgeMetricsStream, RedisModule, RedisService } from '@slipway/redis';
import { createDomainTestContext, type DomainTestContext } from '@slipway/testing';
import { bucketOf } from './histogram';
import { ObservabilityModule, TrafficCollectorModule } from './observability.module';
import { TRAFFIC_STREAM_KEY, TrafficCollector } from './traffic-collector';
import { TrafficService } from './traffic.service';
import { edgeMetricsOf, seededRandom, seedTrafficTenant, type TrafficTenant } from './testing/traffic-fixture.int-support';

const STREAM = `slipway:test:edge-metrics:${randomBytes(6).toString('hex')}`;

@Global()
@Module({ providers: [{ provide: TRAFFIC_STREAM_KEY, useValue: STREAM }], exports: [TRAFFIC_STREAM_KEY] })
class TestStreamModule {}

let ctx: DomainTestContext;
let service: TrafficService;
let redis: RedisService;
let a: TrafficTenant;
let b: TrafficTenant;
/** Every raw latency the edge saw, by release. */
const latencies = new Map<string, number[]>();
const now = new Date(Math.floor(Date.now() / 60_000) * 60_000 + 30_000);
const HOURS = 3;

/** The exact q-quantile of raw samples: the ⌈q·n⌉-th smallest. */
const exact = (samples: readonly number[], q: number) => [...samples].sort((x, y) => x - y)[Math.ceil(q * samples.length) - 1]!;

beforeAll(async () => {
  ctx = await createDomainTestContext([DbModule, RedisModule, TestStreamModule, ObservabilityModule, TrafficCollectorModule]);
  const prisma = ctx.app.get(PrismaService);
  redis = ctx.app.get(RedisService);
  service = ctx.app.get(TrafficService);
  [a, b] = [await seedTrafficTenant(prisma, 2), await seedTrafficTenant(prisma, 1)];
  // Three hours of flushes: release 1 of A fast and healthy, release 2 of A slow with 5xx in the last hour; B busy.
  const next = seededRandom(11);
  const entries: EdgeMetrics[] = [];
  const start = now.getTime() - HOURS * 3_600_000;
  for (let t = 0; t < HOURS * 360; t++) {
    const from = new Date(start + t * 10_000);
    const lastHour = from.getTime() >= now.getTime() - 3_600_000;
    for (const [releaseId, env, scale, failing] of [
      [a.releaseIds[0]!, a.environmentId, 30, 0],
      [a.releaseIds[1]!, a.environmentId, 300, lastHour ? 0.3 : 0],
      [b.releaseIds[0]!, b.environmentId, 10, 0],
    ] as const) {
      for (let replica = 0; replica < 2; replica++) {
        const requests = Array.from({ length: 5 + Math.floor(next() * 10) }, () => ({
          ms: -Math.log(1 - next()) * scale,
          status: next() < failing ? 500 : next() < 0.02 ? 404 : 200,
        }));
        const seen = latencies.get(releaseId) ?? [];
        seen.push(...requests.map((r) => r.ms));
        latencies.set(releaseId, seen);
        entries.push(edgeMetricsOf({ releaseId, environmentId: env, from, requests }));
      }
    }
  }
  await new EdgeMetricsStream(redis.client, false, STREAM).append(entries);
  const result = await ctx.app.get(TrafficCollector).collect({ maxEntries: 100_000 }, now);
  expect(result.written).toBe(entries.length);
});

afterAll(async () => {
  await redis?.client.del(STREAM);
  await ctx?.close();
});

const scopeOf = (t: TrafficTenant) => ({ organizationId: t.organizationId });
const query = (t: TrafficTenant, hours: number, points = 600) =>
  service.environmentTraffic(scopeOf(t), t.environmentId, { from: new Date(now.getTime() - hours * 3_600_000).toISOString(), points }, now);

describe('environment traffic', () => {
  it('answers every release of the environment with at most `points` slots, from the source the range calls for', async () => {
    const hour = await query(a, 1);
    expect(hour.resolution).toBe('raw');
    expect(hour.stepSeconds).toBe(10);
    const day = await query(a, 3, 100);
    expect(day.resolution).toBe('minute');
    expect(day.stepSeconds).toBe(120);
    for (const r of [hour, day]) {
      expect(r.time.length).toBeLessThanOrEqual(r.stepSeconds === 10 ? 600 : 100);
      expect(r.releases.map((x) => x.number)).toEqual([1, 2]);
      for (const rel of r.releases)
        for (const series of [rel.requests, rel.requestsPerSecond, rel.rate5xx, rel.p95Ms]) expect(series).toHaveLength(r.time.length);
    }
  });

  it('counts every request once whatever the source (raw samples, minute or hour rollups)', async () => {
    const expected = a.releaseIds.map((id) => latencies.get(id)!.length);
    // Ranges that hold all the traffic (and a little more) at each resolution.
    for (const [hours, points] of [
      [4, 2000], // raw: 4 h / 2000 < 60 s... plan picks 10 s slots
      [4, 100], // minute
      [24 * 20, 100], // hour
    ] as const) {
      const r = await query(a, hours, points);
      expect(
        r.releases.map((x) => x.totals.requests),
        `${hours} h at ${points} points (${r.resolution})`,
      ).toEqual(expected);
      expect(r.releases.map((x) => x.requests.reduce((s, n) => s + n, 0))).toEqual(expected);
    }
  });

  it('estimates percentiles from merged buckets within one bucket of the raw samples’ percentiles', async () => {
    for (const [hours, points] of [
      [4, 2000],
      [4, 100],
      [24 * 20, 100],
    ] as const) {
      const r = await query(a, hours, points);
      for (const rel of r.releases) {
        const raw = latencies.get(rel.releaseId)!;
        for (const [q, got] of [
          [0.5, rel.totals.p50Ms],
          [0.95, rel.totals.p95Ms],
          [0.99, rel.totals.p99Ms],
        ] as const) {
          expect(
            Math.abs(bucketOf(got!) - bucketOf(exact(raw, q))),
            `v${rel.number} q${q} at ${r.resolution}: ${got} vs ${exact(raw, q)}`,
          ).toBeLessThanOrEqual(1);
        }
      }
    }
  });

  it('makes the failing release stand out: its 5xx rate rises in the last hour, the other release stays clean', async () => {
    const r = await query(a, 3, 12); // 15-minute slots
    const [v1, v2] = r.releases;
    const failingSince = (now.getTime() - 3_600_000) / 1000;
    // Slots wholly inside the failing hour, and wholly before it (the one across the boundary is neither).
    const during = r.time.map((t) => t >= failingSince);
    const before = r.time.map((t) => t + r.stepSeconds <= failingSince);
    const max = (list: (number | null)[], pick: boolean[]) => Math.max(...list.filter((_, i) => pick[i]).map((x) => x ?? 0));
    expect(max(v2!.rate5xx, during)).toBeGreaterThan(0.2);
    expect(max(v2!.rate5xx, before)).toBe(0);
    expect(max(v1!.rate5xx, during)).toBe(0);
    expect(v2!.totals.p95Ms!).toBeGreaterThan(v1!.totals.p95Ms!);
    // Requests per second: ~2 replicas × ~10 requests per 10 s = ~2/s (the first and last slots are partly outside the traffic).
    const rps = v1!.requestsPerSecond.slice(1, -1);
    expect(Math.min(...rps)).toBeGreaterThan(1);
    expect(Math.max(...rps)).toBeLessThan(3.5);
  });

  it('returns nothing of another organization’s environment', async () => {
    // B's environment asked for in A's scope: the repository filters by A's organization first.
    const crossed = await service.environmentTraffic(
      scopeOf(a),
      b.environmentId,
      { from: new Date(now.getTime() - 4 * 3_600_000).toISOString(), points: 600 },
      now,
    );
    expect(crossed.releases).toEqual([]);
    const own = await query(b, 4);
    expect(own.releases).toHaveLength(1);
  });

  it('refuses a range that ends before it starts, lies in the future or is too long, with INVALID_TIME_RANGE', async () => {
    const iso = (ms: number) => new Date(now.getTime() + ms).toISOString();
    for (const q of [
      { from: iso(0), to: iso(-1000), points: 600 },
      { from: iso(0), to: iso(0), points: 600 },
      { from: iso(-1000), to: iso(86_400_000), points: 600 },
      { from: iso(-401 * 86_400_000), points: 600 },
    ]) {
      const err = await service.environmentTraffic(scopeOf(a), a.environmentId, q, now).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect(err).toMatchObject({ code: 'INVALID_TIME_RANGE', status: 400 });
    }
  });
});
