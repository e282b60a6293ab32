import { randomBytes } from 'node:crypto';
import { Global, Module } from '@nestjs/common';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditModule } from '@slipway/audit';
import { BuildsModule } from '@slipway/builds';
import { loadConfig } from '@slipway/config';
import { JOBS, type EdgeMetrics } from '@slipway/contracts';
import { CryptoModule } from '@slipway/crypto';
import { DbModule, PrismaService } from '@slipway/db';
import { CONTAINER_RUNTIME } from '@slipway/docker';
import { GitModule } from '@slipway/git';
import { QueueModule } from '@slipway/queue';
import { EdgeMetricsStream, RedisModule, RedisService } from '@slipway/redis';
import { FakeDockerEngine, createDomainTestContext, type DomainTestContext } from '@slipway/testing';
import { AutoRollback } from './auto-rollback';
import { MarkersService } from './markers.service';
import { ObservabilityModule, ReleaseVerdictsJobModule, TrafficCollectorModule } from './observability.module';
import { OrganizationHealthService } from './organization-health.service';
import { ReleaseVerdictsService } from './release-verdicts.service';
import { TRAFFIC_STREAM_KEY, TrafficCollector } from './traffic-collector';
import { edgeMetricsOf, seedTrafficTenant, type TrafficTenant } from './testing/traffic-fixture.int-support';

/**
 * Verdicts computed from traffic that went through the real collector (edge stream → samples),
 * automatic rollback through the real rollback use case (rows and the queued job), markers and
 * the organization overview, on a throw-away PostgreSQL database.
 */
const STREAM = `slipway:test:edge-metrics:${randomBytes(6).toString('hex')}`;
const QUEUE_PREFIX_DB = `/${12}`;

@Global()
@Module({ providers: [{ provide: TRAFFIC_STREAM_KEY, useValue: STREAM }, { provide: CONTAINER_RUNTIME, useValue: new FakeDockerEngine() }], exports: [TRAFFIC_STREAM_KEY, CONTAINER_RUNTIME] })
class TestModule {}

let ctx: DomainTestContext;
let prisma: PrismaService;
let verdicts: ReleaseVerdictsService;
let autoRollback: AutoRollback;
let redisUrl: string;
/** Opted in, v2 answers 5xx; not opted in, same traffic; v2 healthy; another organization. */
let faulty: TrafficTenant;
let optedOut: TrafficTenant;
let healthy: TrafficTenant;
let other: TrafficTenant;
/** v2 went live 3 minutes before `now` in every tenant. */
const now = new Date(Math.floor(Date.now() / 1000) * 1000);
const liveAt = new Date(now.getTime() - 3 * 60_000);
const WINDOW_MINUTES = 10;

/** `n` requests of one release in one 10 s flush (20 ms each), `bad` of them 5xx. */
const flush = (t: TrafficTenant, releaseId: string, from: Date, n: number, bad: number): EdgeMetrics =>
  edgeMetricsOf({ releaseId, environmentId: t.environmentId, from, requests: Array.from({ length: n }, (_, i) => ({ ms: 20, status: i < bad ? 500 : 200 })) });

/** v1 served 3,000 requests in the 10 minutes before `liveAt` (1.1 % 5xx), then v2 120 in its first 2 minutes, `v2Bad` in 10 of them 5xx. */
async function deployTwo(t: TrafficTenant, v2Bad: number, autoRollbackOn: boolean): Promise<EdgeMetrics[]> {
  const [v1, v2] = t.releaseIds as [string, string];
  const base = { organizationId: t.organizationId, projectId: t.projectId, environmentId: t.environmentId };
  await prisma.deployment.create({ data: { ...base, releaseId: v1, kind: 'DEPLOY', status: 'SUCCEEDED', finishedAt: new Date(liveAt.getTime() - 20 * 60_000) } });
  await prisma.deployment.create({ data: { ...base, releaseId: v2, previousReleaseId: v1, kind: 'DEPLOY', status: 'SUCCEEDED', finishedAt: liveAt } });
  await prisma.environment.update({ where: { id: t.environmentId }, data: { liveReleaseId: v2, autoRollback: autoRollbackOn } });
  const entries: EdgeMetrics[] = [];
  for (let s = 0; s < 60; s++) entries.push(flush(t, v1, new Date(liveAt.getTime() - (s + 1) * 10_000), 50, s === 0 ? 3 : s % 2)); // 3 + 30 of 3,000: 1.1 %
  for (let s = 0; s < 12; s++) entries.push(flush(t, v2, new Date(liveAt.getTime() + s * 10_000), 10, v2Bad));
  return entries;
}

beforeAll(async () => {
  const redis = new URL(loadConfig().REDIS_URL);
  redis.pathname = QUEUE_PREFIX_DB;
  redisUrl = redis.toString();
  ctx = await createDomainTestContext(
    [DbModule, CryptoModule, AuditModule, GitModule, RedisModule, QueueModule, TestModule, BuildsModule, ObservabilityModule, TrafficCollectorModule, ReleaseVerdictsJobModule],
    { REDIS_URL: redisUrl, VERDICT_WINDOW_MINUTES: WINDOW_MINUTES },
  );
  prisma = ctx.app.get(PrismaService);
  verdicts = ctx.app.get(ReleaseVerdictsService);
  autoRollback = ctx.app.get(AutoRollback);
  [faulty, optedOut, healthy, other] = [await seedTrafficTenant(prisma, 2), await seedTrafficTenant(prisma, 2), await seedTrafficTenant(prisma, 2), await seedTrafficTenant(prisma, 2)];
  const entries = [...(await deployTwo(faulty, 5, true)), ...(await deployTwo(optedOut, 5, false)), ...(await deployTwo(healthy, 0, true))];
  await new EdgeMetricsStream(ctx.app.get(RedisService).client, false, STREAM).append(entries);
  const collected = await ctx.app.get(TrafficCollector).collect({ maxEntries: 10_000 }, now);
  expect(collected.written).toBe(entries.length);
});

afterAll(async () => {
  await ctx?.app.get(RedisService).client.del(STREAM);
  await ctx?.close();
});

describe('release verdicts from the traffic the edge counted', () => {
  it('judges a release that raised the 5xx rate faulty within minutes, and a clean one pending until its window closes', async () => {
    const evaluated = await verdicts.evaluateDue(now);
    const byRelease = new Map(evaluated.map((e) => [e.deploy.releaseId, e.verdict]));
    const bad = byRelease.get(faulty.releaseIds[1]!)!;
    expect(bad.status).toBe('faulty');
    expect(bad.summary).toBe('v2 raised the 5xx rate from 1.1 % to 50 % within 3 minutes of its deploy.');
    expect(bad.measures.find((m) => m.measure === 'rate5xx')).toMatchObject({ previous: 33 / 3000, current: 0.5, regressed: true });
    expect(byRelease.get(healthy.releaseIds[1]!)).toMatchObject({ status: 'pending' });
    expect(byRelease.get(healthy.releaseIds[1]!)!.summary).toBe('v2 is being watched: 120 requests in its first 3 of 10 minutes, nothing wrong yet.');
    // The first deploys (20 minutes ago) are past their window: not judged by the job.
    expect(byRelease.has(faulty.releaseIds[0]!)).toBe(false);

    // Past the window and the collection lag (a minute): the last pass that judges it, and its verdict is final.
    const later = new Date(liveAt.getTime() + (WINDOW_MINUTES + 1) * 60_000);
    const after = new Map((await verdicts.evaluateDue(later)).map((e) => [e.deploy.releaseId, e.verdict]));
    expect(after.get(healthy.releaseIds[1]!)).toMatchObject({ status: 'healthy' });
    expect(after.get(faulty.releaseIds[1]!)).toMatchObject({ status: 'faulty', evaluatedAt: now }); // faulty is final
  });

  it('the api reads the stored verdict, with the release numbers, and 404s another organization', async () => {
    const scope = { organizationId: faulty.organizationId };
    const dto = await verdicts.verdict(scope, faulty.environmentId, faulty.releaseIds[1]!, now);
    expect(dto).toMatchObject({ releaseNumber: 2, previousReleaseNumber: 1, previousReleaseId: faulty.releaseIds[0], status: 'faulty' });
    await expect(verdicts.verdict({ organizationId: other.organizationId }, faulty.environmentId, faulty.releaseIds[1]!, now)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(verdicts.verdict(scope, faulty.environmentId, other.releaseIds[1]!, now)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('automatic rollback', () => {
  it('rolls an opted-in environment back to the previous release exactly once, recorded with the verdict as its reason', async () => {
    for (let pass = 0; pass < 3; pass++) await autoRollback.apply(await verdicts.evaluateDue(new Date(now.getTime() + pass * 10_000)), now);
    const rollbacks = await prisma.deployment.findMany({ where: { environmentId: faulty.environmentId, kind: 'ROLLBACK' } });
    expect(rollbacks).toHaveLength(1);
    expect(rollbacks[0]).toMatchObject({
      releaseId: faulty.releaseIds[0],
      status: 'QUEUED',
      automatic: true,
      createdById: null,
      reason: 'Automatic rollback: v2 raised the 5xx rate from 1.1 % to 50 % within 3 minutes of its deploy.',
    });
    const queue = new Queue(JOBS.deploy.queue, { connection: { url: redisUrl } });
    try {
      expect(await queue.getJob(rollbacks[0]!.id)).toBeTruthy();
    } finally {
      await queue.close();
    }
    const audit = await prisma.auditLog.findMany({ where: { organizationId: faulty.organizationId, action: 'deployment.auto_rolled_back' } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ target: 'environment:web/production', metadata: { fromRelease: 2, toRelease: 1, deploymentId: rollbacks[0]!.id } });
    expect((await prisma.releaseVerdict.findUniqueOrThrow({ where: { releaseId: faulty.releaseIds[1]! } })).autoRolledBackAt).toEqual(now);
  });

  it('never rolls back an environment that did not opt in, nor a healthy release', async () => {
    await autoRollback.apply(await verdicts.evaluateDue(now), now);
    expect(await prisma.deployment.count({ where: { environmentId: optedOut.environmentId, kind: 'ROLLBACK' } })).toBe(0);
    expect(await prisma.deployment.count({ where: { environmentId: healthy.environmentId, kind: 'ROLLBACK' } })).toBe(0);
    expect((await prisma.releaseVerdict.findUniqueOrThrow({ where: { releaseId: optedOut.releaseIds[1]! } })).status).toBe('faulty');
  });
});

describe('markers', () => {
  it('lists deploys, rollbacks (by hand and automatic) and failed deployments oldest first, with reasons and verdicts', async () => {
    const t = faulty;
    const base = { organizationId: t.organizationId, projectId: t.projectId, environmentId: t.environmentId };
    // The automatic rollback ran; then someone deployed v2 again, which failed, and rolled back by hand.
    await prisma.deployment.updateMany({ where: { environmentId: t.environmentId, kind: 'ROLLBACK' }, data: { status: 'SUCCEEDED', finishedAt: new Date(now.getTime() + 20_000) } });
    await prisma.deployment.create({ data: { ...base, releaseId: t.releaseIds[1]!, kind: 'DEPLOY', status: 'FAILED', failureReason: 'Health check failed', finishedAt: new Date(now.getTime() + 40_000) } });
    await prisma.deployment.create({ data: { ...base, releaseId: t.releaseIds[0]!, kind: 'ROLLBACK', status: 'SUCCEEDED', finishedAt: new Date(now.getTime() + 60_000) } });
    await prisma.deployment.create({ data: { ...base, releaseId: t.releaseIds[0]!, kind: 'ROLLBACK', status: 'QUEUED' } }); // not finished: no marker

    const markers = ctx.app.get(MarkersService);
    const range = { from: new Date(now.getTime() - 3_600_000).toISOString(), to: new Date(now.getTime() + 120_000).toISOString() };
    const { markers: list } = await markers.markers({ organizationId: t.organizationId }, t.environmentId, range, new Date(now.getTime() + 120_000));
    expect(list.map((m) => [m.kind, m.releaseNumber])).toEqual([
      ['deploy', 1],
      ['deploy', 2],
      ['auto-rollback', 1],
      ['failed-deploy', 2],
      ['rollback', 1],
    ]);
    expect(list[1]).toMatchObject({ at: liveAt.toISOString(), commitSha: 'c0ffee2', authorName: 'Ada', message: 'v2', verdict: { status: 'faulty', releaseNumber: 2, previousReleaseNumber: 1 } });
    expect(list[1]!.verdict!.autoRolledBackAt).toBe(now.toISOString());
    expect(list[2]!.reason).toMatch(/^Automatic rollback: v2 raised the 5xx rate/);
    expect(list[3]).toMatchObject({ reason: 'Health check failed', verdict: null });
    // The range bounds it: only the last three.
    const recent = await markers.markers({ organizationId: t.organizationId }, t.environmentId, { from: now.toISOString(), to: range.to }, new Date(now.getTime() + 120_000));
    expect(recent.markers.map((m) => m.kind)).toEqual(['auto-rollback', 'failed-deploy', 'rollback']);
    // Another organization asking for this environment's id gets nothing.
    const stranger = await markers.markers({ organizationId: other.organizationId }, t.environmentId, range, new Date(now.getTime() + 120_000));
    expect(stranger.markers).toEqual([]);
    await expect(markers.markers({ organizationId: t.organizationId }, t.environmentId, { from: range.to, to: range.from }, now)).rejects.toMatchObject({ code: 'INVALID_TIME_RANGE' });
  });
});

describe('organization health', () => {
  it('answers every environment of the organization with its traffic, live release and verdict, and nothing of another', async () => {
    const health = ctx.app.get(OrganizationHealthService);
    const range = { from: new Date(now.getTime() - 3_600_000).toISOString(), to: now.toISOString(), points: 600 };
    const mine = await health.health({ organizationId: healthy.organizationId }, range, now);
    expect(mine.environments).toHaveLength(1);
    expect(mine.environments[0]).toMatchObject({
      project: { slug: 'web', name: 'web' },
      environment: 'production',
      liveReleaseNumber: 2,
      lastDeployAt: liveAt.toISOString(),
      requests: 3000 + 120,
      modelCostUsd: 0,
      verdict: 'healthy',
    });
    expect(mine.environments[0]!.rate5xx).toBeCloseTo(33 / 3120, 6);
    expect(mine.environments[0]!.p95Ms).toBeGreaterThan(10);
    expect(mine.environments[0]!.p95Ms).toBeLessThanOrEqual(25);
    const empty = await health.health({ organizationId: other.organizationId }, range, now);
    expect(empty.environments).toEqual([expect.objectContaining({ liveReleaseNumber: null, lastDeployAt: null, requests: 0, rate5xx: null, p95Ms: null, verdict: null })]);
  });
});
