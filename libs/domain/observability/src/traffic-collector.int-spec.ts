import { randomBytes } from 'node:crypto';
import { Global, Module } from '@nestjs/common';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EDGE_METRICS_GROUP, LATENCY_BUCKETS_MS, type EdgeMetrics } from '@slipway/contracts';
import { DbModule, PrismaService } from '@slipway/db';
import { EdgeMetricsStream, EDGE_METRICS_FIELD, RedisModule, RedisService, StreamGroupReader } from '@slipway/redis';
import { createDomainTestContext, type DomainTestContext } from '@slipway/testing';
import { TrafficCollectorModule } from './observability.module';
import { TRAFFIC_STREAM_KEY, TrafficCollector } from './traffic-collector';
import { parseSampleEntry } from './sample-entry';
import { partitionName, TrafficStorageRepository } from './traffic-storage.repository';
import { edgeMetricsOf, seededRandom, seedTrafficTenant, type TrafficTenant } from './testing/traffic-fixture.int-support';

/** A stream of this file's own: the real one may be read by a running worker. */
const STREAM = `slipway:test:edge-metrics:${randomBytes(6).toString('hex')}`;

@Global()
@Module({ providers: [{ provide: TRAFFIC_STREAM_KEY, useValue: STREAM }], exports: [TRAFFIC_STREAM_KEY] })
class TestStreamModule {}

let ctx: DomainTestContext;
let prisma: PrismaService;
let redis: RedisService;
let edge: EdgeMetricsStream;
let collector: TrafficCollector;
let tenant: TrafficTenant;

beforeAll(async () => {
  ctx = await createDomainTestContext([DbModule, RedisModule, TestStreamModule, TrafficCollectorModule]);
  prisma = ctx.app.get(PrismaService);
  redis = ctx.app.get(RedisService);
  collector = ctx.app.get(TrafficCollector);
  edge = new EdgeMetricsStream(redis.client, false, STREAM);
  tenant = await seedTrafficTenant(prisma, 2);
});

afterAll(async () => {
  await redis?.client.del(STREAM);
  await ctx?.close();
});

beforeEach(async () => {
  await redis.client.del(STREAM);
  await prisma.$executeRawUnsafe('TRUNCATE "AppTrafficSample", "AppTrafficMinute", "AppTrafficHour"');
});

const now = new Date();
const minutesAgo = (m: number) => new Date(Math.floor(now.getTime() / 10_000) * 10_000 - m * 60_000);

/** Flushes of 3 replicas of each release every 10 s over `minutes` minutes, with random latencies and statuses. */
function traffic(minutes: number, seed = 1): { entries: EdgeMetrics[]; latencies: Map<string, number[]> } {
  const next = seededRandom(seed);
  const entries: EdgeMetrics[] = [];
  const latencies = new Map<string, number[]>(tenant.releaseIds.map((id) => [id, []]));
  for (let t = 0; t < minutes * 6; t++) {
    const from = new Date(minutesAgo(minutes).getTime() + t * 10_000);
    for (const [r, releaseId] of tenant.releaseIds.entries()) {
      for (let replica = 0; replica < 3; replica++) {
        const requests = Array.from({ length: Math.floor(next() * 20) }, () => ({
          ms: -Math.log(1 - next()) * (r === 0 ? 40 : 400),
          status: next() < 0.05 ? 503 : next() < 0.1 ? 404 : 200,
        }));
        latencies.get(releaseId)!.push(...requests.map((q) => q.ms));
        entries.push(edgeMetricsOf({ releaseId, environmentId: tenant.environmentId, from, requests }));
      }
    }
  }
  return { entries, latencies };
}

interface Totals {
  requests: number;
  s2: number;
  s3: number;
  s4: number;
  s5: number;
  counts: number[];
}
async function totals(table: string): Promise<Record<string, Totals>> {
  const rows = await prisma.$queryRawUnsafe<
    { releaseId: string; requests: bigint; s2: bigint; s3: bigint; s4: bigint; s5: bigint; counts: bigint[] }[]
  >(
    `SELECT "releaseId", sum(requests)::int8 AS requests, sum("status2xx")::int8 AS s2, sum("status3xx")::int8 AS s3, sum("status4xx")::int8 AS s4, sum("status5xx")::int8 AS s5,
       ARRAY[${LATENCY_BUCKETS_MS.concat([0])
         .map((_, i) => `sum("latencyCounts"[${i + 1}])::int8`)
         .join(', ')}] AS counts
     FROM "${table}" GROUP BY 1`,
  );
  return Object.fromEntries(
    rows.map((r) => [
      r.releaseId,
      {
        requests: Number(r.requests),
        s2: Number(r.s2),
        s3: Number(r.s3),
        s4: Number(r.s4),
        s5: Number(r.s5),
        counts: r.counts.map(Number),
      },
    ]),
  );
}

const sampleCount = async () =>
  Number((await prisma.$queryRawUnsafe<{ n: bigint }[]>('SELECT count(*)::int8 AS n FROM "AppTrafficSample"'))[0]!.n);
const pendingCount = async () => Number(((await redis.client.xpending(STREAM, EDGE_METRICS_GROUP)) as [number])[0]);

describe('traffic collector', () => {
  it('stores every flush once, and the minute and hour rollups add up to exactly the samples', async () => {
    // 75 minutes ending now: crosses at least one hour boundary, so several hour rows per release.
    const { entries } = traffic(75);
    await edge.append(entries);
    const result = await collector.collect({ batch: 200 });
    expect(result).toMatchObject({ read: entries.length, written: entries.length, skipped: 0 });
    expect(await sampleCount()).toBe(entries.length);

    const expected: Record<string, Totals> = {};
    for (const e of entries) {
      const t = (expected[e.releaseId] ??= {
        requests: 0,
        s2: 0,
        s3: 0,
        s4: 0,
        s5: 0,
        counts: new Array<number>(LATENCY_BUCKETS_MS.length + 1).fill(0),
      });
      t.requests += e.requests;
      t.s2 += e.status['2xx'];
      t.s3 += e.status['3xx'];
      t.s4 += e.status['4xx'];
      t.s5 += e.status['5xx'];
      e.latencyCounts.forEach((c, i) => (t.counts[i]! += c));
    }
    expect(await totals('AppTrafficSample')).toEqual(expected);
    expect(await totals('AppTrafficMinute')).toEqual(expected);
    expect(await totals('AppTrafficHour')).toEqual(expected);
    // One minute row per release per minute that had flushes; hour rows per hour.
    const minuteRows = await prisma.appTrafficMinute.count({ where: { releaseId: tenant.releaseIds[0] } });
    expect(minuteRows).toBeGreaterThanOrEqual(75);
    expect(minuteRows).toBeLessThanOrEqual(76);
    const hours = await prisma.appTrafficHour.findMany({
      where: { releaseId: tenant.releaseIds[0] },
      select: { bucket: true, organizationId: true, projectId: true },
    });
    expect(hours.length).toBeGreaterThanOrEqual(2);
    expect(
      hours.every((h) => h.bucket.getUTCMinutes() === 0 && h.organizationId === tenant.organizationId && h.projectId === tenant.projectId),
    ).toBe(true);
  });

  it('writes a redelivered entry once: a batch committed but not acknowledged before a crash adds nothing when read again', async () => {
    const { entries } = traffic(3, 2);
    await edge.append(entries);
    // The crash: the batch is read under the collector's name and committed, but never acked.
    const crashed = new StreamGroupReader(redis, { stream: STREAM, group: EDGE_METRICS_GROUP, consumer: 'collector' });
    await crashed.ensureGroup();
    const delivered = await crashed.read({ pending: false, count: 10_000, blockMs: 0 });
    crashed.close();
    expect(delivered).toHaveLength(entries.length);
    const storage = ctx.app.get(TrafficStorageRepository);
    expect(await storage.ingest(delivered.map((d) => parseSampleEntry(d).sample!))).toBe(entries.length);
    const before = {
      samples: await totals('AppTrafficSample'),
      minutes: await totals('AppTrafficMinute'),
      hours: await totals('AppTrafficHour'),
    };
    expect(await pendingCount()).toBe(entries.length);

    const result = await collector.collect();
    expect(result).toMatchObject({ read: entries.length, written: 0 });
    expect(await sampleCount()).toBe(entries.length);
    expect({
      samples: await totals('AppTrafficSample'),
      minutes: await totals('AppTrafficMinute'),
      hours: await totals('AppTrafficHour'),
    }).toEqual(before);
    expect(await pendingCount()).toBe(0);
  });

  it('trims only what the group acknowledged; unread and unacknowledged entries stay in the stream', async () => {
    const first = traffic(2, 3).entries;
    await edge.append(first);
    await collector.collect();
    expect(await redis.client.xlen(STREAM)).toBe(0);

    // Another reader takes three entries and never acks them (a dead worker of an older version).
    await edge.append(traffic(1, 4).entries.slice(0, 3));
    const zombie = new StreamGroupReader(redis, { stream: STREAM, group: EDGE_METRICS_GROUP, consumer: 'zombie' });
    expect(await zombie.read({ pending: false, count: 3, blockMs: 0 })).toHaveLength(3);
    zombie.close();
    const later = traffic(1, 5).entries.slice(0, 4);
    await edge.append(later);
    const result = await collector.collect();
    expect(result.read).toBe(4);
    // The trim stops at the oldest unacknowledged entry: the zombie's three and the four after them stay.
    expect(await redis.client.xlen(STREAM)).toBe(7);

    // Appended after the pass: not read, not trimmed.
    await edge.append(later);
    expect(await redis.client.xlen(STREAM)).toBe(7 + later.length);

    // Once the zombie's entries have been idle long enough, a pass takes them over, stores them and trims everything.
    const takeover = await collector.collect({ claimIdleMs: 0 });
    expect(takeover).toMatchObject({ read: 3 + later.length, written: 3 + later.length });
    expect(await redis.client.xlen(STREAM)).toBe(0);
    expect(await pendingCount()).toBe(0);
  });

  it('acknowledges and skips what it cannot store, keeping the rest of the batch', async () => {
    const [good] = traffic(1, 6).entries;
    const otherBounds = { ...good!, latencyBucketsMs: [1, 2, 3], latencyCounts: [0, 0, 0, 1] };
    const negative = { ...good!, requests: -1 };
    const ancient = {
      ...good!,
      from: new Date(now.getTime() - 30 * 86_400_000).toISOString(),
      to: new Date(now.getTime() - 30 * 86_400_000 + 10_000).toISOString(),
    };
    const unknownRelease = { ...good!, releaseId: 'no-such-release' };
    await edge.append([good!, otherBounds, negative, ancient, unknownRelease]);
    await redis.client.xadd(STREAM, '*', EDGE_METRICS_FIELD, 'not json');
    const result = await collector.collect();
    expect(result).toMatchObject({ read: 6, written: 1, skipped: 4 });
    expect(await sampleCount()).toBe(1);
    expect(await pendingCount()).toBe(0);
  });

  it('creates partitions ahead, and drops a day past the retention as a whole partition', async () => {
    const partitions = async () =>
      (
        await prisma.$queryRawUnsafe<{ name: string }[]>(
          `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'AppTrafficSample' ORDER BY 1`,
        )
      ).map((r) => r.name);
    const day = (offset: number) => new Date(now.getTime() + offset * 86_400_000);

    await collector.maintain(now);
    const ahead = [0, 1, 2].map((d) => partitionName(day(d)));
    expect(await partitions()).toEqual(expect.arrayContaining(ahead));

    // Traffic collected ten days ago (clock of the pass set back): its day gets a partition, and rollups.
    const tenDaysAgo = day(-10);
    const old = traffic(1, 7).entries.map((e) => ({
      ...e,
      from: tenDaysAgo.toISOString(),
      to: new Date(tenDaysAgo.getTime() + 10_000).toISOString(),
    }));
    await edge.append(old);
    expect((await collector.collect({}, tenDaysAgo)).written).toBe(old.length);
    expect(await partitions()).toContain(partitionName(tenDaysAgo));
    expect(await sampleCount()).toBe(old.length);

    const result = await collector.maintain(now);
    expect(result.dropped.map((d) => d.toISOString().slice(0, 10))).toContain(tenDaysAgo.toISOString().slice(0, 10));
    expect(await partitions()).not.toContain(partitionName(tenDaysAgo));
    expect(await partitions()).toEqual(expect.arrayContaining(ahead));
    expect(await sampleCount()).toBe(0);
    // Rollups are kept longer (30 days by default): ten-day-old minutes are still there.
    expect(await prisma.appTrafficMinute.count()).toBeGreaterThan(0);
    // …and go once they are past it.
    expect((await collector.maintain(day(25))).rollupRowsDeleted).toBeGreaterThan(0);
    expect(await prisma.appTrafficMinute.count()).toBe(0);
    expect(await prisma.appTrafficHour.count()).toBe(0);
  });
});
