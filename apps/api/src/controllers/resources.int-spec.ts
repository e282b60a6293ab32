import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrismaService } from '@slipway/db';
import { HarnessUser, startGatewayHarness, type GatewayHarness } from '../gateway/gateway-harness.int-support';

/** GET …/environments/:env/resources and …/model-traffic through the real api: what the charts read, exact sums, validation, tenant isolation. */
let h: GatewayHarness;
let envBase: string;
let releaseId: string;
const MINUTES = 90;
const MIB = 1024 * 1024;
const start = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3 * 3_600_000);
/** The seeded usage rows, to check the answers against. */
const usage: {
  minute: Date;
  model: string;
  feature: string;
  requests: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  costMicros: number;
  streamed: number;
  ttftMsSum: number;
  latencyMsSum: number;
  retries: number;
  fallbacks: number;
}[] = [];

beforeAll(async () => {
  h = await startGatewayHarness();
  envBase = `/api/v1/orgs/${h.org}/projects/${h.project}/environments/${h.environment}`;
  const prisma = h.app.get(PrismaService);
  const env = await prisma.environment.findFirstOrThrow({
    where: { name: h.environment, project: { slug: h.project, organization: { slug: h.org } } },
  });
  const scope = { organizationId: env.organizationId, projectId: env.projectId, environmentId: env.id };
  const build = await prisma.build.create({
    data: {
      ...scope,
      commitSha: 'c0ffee',
      branch: 'main',
      authorName: 'Ada',
      authorEmail: 'ada@example.test',
      message: 'v1',
      status: 'SUCCEEDED',
    },
  });
  const release = await prisma.release.create({
    data: {
      ...scope,
      buildId: build.id,
      number: 1,
      imageId: 'sha256:1',
      commitSha: 'c0ffee',
      authorName: 'Ada',
      message: 'v1',
      envVarVersions: {},
      slipwayConfig: {},
      runtime: {},
    },
  });
  releaseId = release.id;
  // Two replicas, 90 minutes of minute rollups as the sampler writes them (12 readings a minute).
  const minutes = [];
  for (let m = 0; m < MINUTES; m++) {
    for (const index of [0, 1]) {
      const cpu = 10 + index * 20 + (m % 3);
      minutes.push({
        ...scope,
        releaseId,
        bucket: new Date(start.getTime() + m * 60_000),
        replica: `web-v1-${index}`,
        replicaIndex: index,
        samples: 12,
        cpuSamples: 12,
        cpuPercentSum: cpu * 12,
        cpuPercentMax: cpu + 5,
        memoryBytesSum: BigInt(100 * MIB * 12),
        memoryBytesMax: BigInt(120 * MIB),
        cpuLimitMillis: 500,
        memoryLimitBytes: BigInt(256 * MIB),
      });
    }
  }
  await prisma.replicaResourceMinute.createMany({ data: minutes });
  for (let m = 0; m < MINUTES; m++) {
    for (const [model, feature] of [
      ['fast', 'chat'],
      ['smart', 'search'],
      ['fast', 'search'],
    ] as const) {
      const row = {
        minute: new Date(start.getTime() + m * 60_000),
        model,
        feature,
        requests: 3 + (m % 5),
        errors: m % 7 === 0 ? 1 : 0,
        inputTokens: 100 + m,
        outputTokens: 50 + m,
        cacheReadTokens: m % 4,
        costMicros: 1234 + m,
        streamed: 2,
        ttftMsSum: 400,
        latencyMsSum: 2400,
        retries: m % 11 === 0 ? 1 : 0,
        fallbacks: m % 13 === 0 ? 1 : 0,
      };
      usage.push(row);
    }
  }
  await prisma.gatewayUsageMinute.createMany({
    data: usage.map((u) => ({
      ...u,
      organizationId: scope.organizationId,
      projectId: scope.projectId,
      environmentId: scope.environmentId,
      releaseId,
      keyId: 'key-1',
      provider: 'mock',
      customer: '',
      inputTokens: BigInt(u.inputTokens),
      outputTokens: BigInt(u.outputTokens),
      cacheReadTokens: BigInt(u.cacheReadTokens),
      costMicros: BigInt(u.costMicros),
      ttftMsSum: BigInt(u.ttftMsSum),
      latencyMsSum: BigInt(u.latencyMsSum),
    })),
  });
  // Failed requests by category (the per-request table), one of another environment that must not count.
  const request = (i: number, category: string, environmentId: string | null) => ({
    id: `req-${randomBytes(6).toString('hex')}-${i}`,
    organizationId: scope.organizationId,
    projectId: scope.projectId,
    environmentId,
    releaseId,
    keyId: 'key-1',
    api: 'anthropic',
    modelRequested: 'fast',
    status: 429,
    errorCategory: category,
    latencyMs: 10,
    inputTokens: 0,
    outputTokens: 0,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    costMicros: 0n,
    retries: 0,
    fallbackChain: [],
    streamed: false,
    createdAt: new Date(start.getTime() + (i + 1) * 60_000),
  });
  await prisma.gatewayRequest.createMany({
    data: [
      request(0, 'rate_limit', scope.environmentId),
      request(1, 'rate_limit', scope.environmentId),
      request(2, 'timeout', scope.environmentId),
      request(3, 'timeout', null),
    ],
  });
}, 120_000);
afterAll(async () => h?.close());

const iso = (d: Date) => encodeURIComponent(d.toISOString());
const rangeEnd = new Date(start.getTime() + MINUTES * 60_000);
const sum = (list: (number | null)[]) => list.reduce<number>((a, b) => a + (b ?? 0), 0);

describe('GET …/environments/:env/resources', () => {
  it('answers each replica’s CPU and memory against its limits, at most `points` slots', async () => {
    const res = await h.owner.call('GET', `${envBase}/resources?from=${iso(start)}&to=${iso(rangeEnd)}&points=30`);
    expect(res.status).toBe(200);
    expect(res.body.time.length).toBeLessThanOrEqual(30);
    expect(res.body.stepSeconds).toBe(180);
    expect(res.body.replicas.map((r: { replica: string }) => r.replica)).toEqual(['web-v1-0', 'web-v1-1']);
    const [r0, r1] = res.body.replicas;
    expect(r0).toMatchObject({ releaseId, releaseNumber: 1, index: 0, cpuLimitPercent: 50, memoryLimitBytes: 256 * MIB });
    // Three minutes per slot, CPU 10, 11, 12 % (replica 0) and 30, 31, 32 % (replica 1): means of every reading.
    const slot = r0.cpuPercent.findIndex((v: number | null) => v !== null);
    expect(r0.cpuPercent[slot]).toBeCloseTo(11, 5);
    expect(r1.cpuPercent[slot]).toBeCloseTo(31, 5);
    expect(r0.memoryBytes[slot]).toBe(100 * MIB);
    expect(r0.cpuPercent.filter((v: number | null) => v !== null)).toHaveLength(MINUTES / 3);
  });

  it('answers 404 to another organization, which sees nothing of these replicas', async () => {
    const stranger = new HarnessUser(h.url);
    const signup = await stranger.call('POST', '/api/v1/auth/signup', {
      name: 'Stranger',
      email: `s-${randomBytes(4).toString('hex')}@example.test`,
      password: 'correct horse battery staple',
    });
    expect(signup.status).toBe(201);
    for (const path of ['resources', 'model-traffic']) {
      const res = await stranger.call('GET', `${envBase}/${path}?from=${iso(start)}`);
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('NOT_FOUND');
      expect(JSON.stringify(res.body)).not.toContain(releaseId);
      const ownOrg: string = signup.body.organizations[0].slug;
      const crossed = await stranger.call(
        'GET',
        `/api/v1/orgs/${ownOrg}/projects/${h.project}/environments/${h.environment}/${path}?from=${iso(start)}`,
      );
      expect(crossed.status).toBe(404);
    }
  });

  it('refuses a bad range with a code that names it', async () => {
    const backwards = await h.owner.call('GET', `${envBase}/resources?from=${iso(rangeEnd)}&to=${iso(start)}`);
    expect(backwards.status).toBe(400);
    expect(backwards.body.code).toBe('INVALID_TIME_RANGE');
  });
});

describe('GET …/environments/:env/model-traffic', () => {
  const total = (field: keyof (typeof usage)[number], filter: (u: (typeof usage)[number]) => boolean = () => true) =>
    usage.filter(filter).reduce((a, u) => a + (u[field] as number), 0);

  it('sums the minute rows exactly, whatever the slot width', async () => {
    for (const points of [600, 45, 10]) {
      const res = await h.owner.call(
        'GET',
        `${envBase}/model-traffic?from=${iso(start)}&to=${iso(rangeEnd)}&points=${points}&groupBy=alias`,
      );
      expect(res.status).toBe(200);
      expect(res.body.time.length).toBeLessThanOrEqual(points);
      expect(res.body.series.map((s: { key: string }) => s.key)).toEqual(['fast', 'smart']); // most calls first
      for (const s of res.body.series) {
        const mine = (u: (typeof usage)[number]) => u.model === s.key;
        expect(sum(s.calls)).toBe(total('requests', mine));
        expect(sum(s.errors)).toBe(total('errors', mine));
        expect(sum(s.inputTokens)).toBe(total('inputTokens', mine));
        expect(sum(s.outputTokens)).toBe(total('outputTokens', mine));
        expect(sum(s.cachedTokens)).toBe(total('cacheReadTokens', mine));
        expect(sum(s.retries)).toBe(total('retries', mine));
        expect(sum(s.fallbacks)).toBe(total('fallbacks', mine));
        expect(sum(s.costUsd)).toBeCloseTo(total('costMicros', mine) / 1e6, 5);
        // Every minute row has 2 streamed calls, 400 ms of TTFT in all and 2,000 ms of generation.
        expect(s.ttftMs.find((v: number | null) => v !== null)).toBe(200);
      }
      expect(res.body.totals).toEqual({
        calls: total('requests'),
        costUsd: Math.round(total('costMicros')) / 1e6,
        inputTokens: total('inputTokens'),
        outputTokens: total('outputTokens'),
        cachedTokens: total('cacheReadTokens'),
      });
    }
  });

  it('groups by feature or release, and counts errors by category of this environment only', async () => {
    const byFeature = await h.owner.call('GET', `${envBase}/model-traffic?from=${iso(start)}&to=${iso(rangeEnd)}&groupBy=feature`);
    expect(byFeature.status).toBe(200);
    expect(byFeature.body.groupBy).toBe('feature');
    expect(byFeature.body.series.map((s: { key: string }) => s.key).sort()).toEqual(['chat', 'search']);
    const search = byFeature.body.series.find((s: { key: string }) => s.key === 'search');
    expect(sum(search.calls)).toBe(total('requests', (u) => u.feature === 'search'));
    const byRelease = await h.owner.call('GET', `${envBase}/model-traffic?from=${iso(start)}&to=${iso(rangeEnd)}&groupBy=release`);
    expect(byRelease.body.series.map((s: { key: string }) => s.key)).toEqual([releaseId]);
    expect(byRelease.body.errorsByCategory).toEqual([
      { category: 'rate_limit', count: 2 },
      { category: 'timeout', count: 1 },
    ]);
    const bad = await h.owner.call('GET', `${envBase}/model-traffic?from=${iso(start)}&groupBy=customer`);
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
  });
});
