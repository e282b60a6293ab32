import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TenantScope, UsageEvent } from '@slipway/contracts';
import { DbModule, PrismaService } from '@slipway/db';
import { AppError } from '@slipway/errors';
import { RedisModule } from '@slipway/redis';
import { createDomainTestContext, usageEvent, type DomainTestContext } from '@slipway/testing';
import { GatewayUsageService, type UsageProject } from './gateway-usage.service';
import { UsageModule } from './usage.module';
import { UsageRepository } from './usage.repository';

/** The console's reads: recent requests and period totals, each confined to its organization. */
let ctx: DomainTestContext;
let usage: GatewayUsageService;
const scope: TenantScope = { organizationId: 'org-a' };
const otherScope: TenantScope = { organizationId: 'org-b' };
let project: UsageProject;
let key: { id: string };

const event = (over: Partial<UsageEvent>) =>
  usageEvent({
    organizationId: scope.organizationId,
    projectId: project.id,
    environmentId: project.environments[0]!.id,
    keyId: key.id,
    ...over,
  });

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e: unknown) => (e instanceof AppError ? e.code : String(e)),
  );

beforeAll(async () => {
  ctx = await createDomainTestContext([DbModule, RedisModule, UsageModule]);
  usage = ctx.app.get(GatewayUsageService);
  const prisma = ctx.app.get(PrismaService);
  for (const [id, slug] of [
    [scope.organizationId, 'acme'],
    [otherScope.organizationId, 'other'],
  ] as const)
    await prisma.organization.create({ data: { id, slug, name: slug } });
  const p = await prisma.project.create({ data: { organizationId: scope.organizationId, slug: 'web', hostLabel: 'web', name: 'Web' } });
  const env = { organizationId: scope.organizationId, projectId: p.id, memoryMb: 256, cpuMillis: 500, replicas: 1, healthCheckPath: '/' };
  const prod = await prisma.environment.create({ data: { ...env, name: 'production', branch: 'main' } });
  const staging = await prisma.environment.create({ data: { ...env, name: 'staging', branch: 'dev' } });
  project = { id: p.id, environments: [prod, staging] };
  key = await prisma.gatewayKey.create({
    data: {
      organizationId: scope.organizationId,
      projectId: p.id,
      environmentId: prod.id,
      kind: 'ENVIRONMENT',
      name: 'production',
      prefix: 'sk-slw-abc',
      tokenHash: randomUUID(),
      scopes: ['messages'],
    },
  });

  // One instant for all: the page order then rests on the id tie-break.
  const at = new Date().toISOString();
  await ctx.app.get(UsageRepository).ingest([
    // A call whose provider never reported usage (a stream cut mid-answer): its tokens are estimated.
    event({ id: 'r1', at, feature: 'chat', customer: 'c1', costMicros: 1_000_000, inputTokens: 100, outputTokens: 50, usageEstimated: true }),
    event({ id: 'r2', at, feature: 'chat', customer: 'c2', costMicros: 250_000, modelRequested: 'smart' }),
    event({
      id: 'r3',
      at,
      environmentId: staging.id,
      status: 429,
      errorCategory: 'budget_exceeded',
      modelServed: null,
      provider: null,
      costMicros: 0,
    }),
    // Another organization's traffic, even under the same project id, never shows.
    event({ id: 'x1', at, organizationId: otherScope.organizationId, costMicros: 9_000_000 }),
  ]);
});

afterAll(() => ctx?.close());

describe('usage reads for the console', () => {
  it('lists recent requests newest first, a page at a time, by environment', async () => {
    const page1 = await usage.listRequests(scope, project, { limit: 2 });
    expect(page1.map((r) => r.id)).toEqual(['r3', 'r2']);
    expect(page1[0]).toMatchObject({ environment: 'staging', status: 429, errorCategory: 'budget_exceeded', provider: null, costUsd: 0 });
    expect(page1[1]).toMatchObject({
      environment: 'production',
      modelRequested: 'smart',
      costUsd: 0.25,
      customer: 'c2',
      fallbackChain: ['mock/mock-fast:ok'],
    });
    const page2 = await usage.listRequests(scope, project, { limit: 2, before: 'r2' });
    expect(page2.map((r) => r.id)).toEqual(['r1']);
    // Marked estimated; an event without the mark (an older api's) lists as exact.
    expect(page2[0]!.usageEstimated).toBe(true);
    expect(page1.map((r) => r.usageEstimated)).toEqual([false, false]);
    expect((await usage.listRequests(scope, project, { limit: 50, environment: 'production' })).map((r) => r.id)).toEqual(['r2', 'r1']);
  });

  it('answers 404 for an unknown environment and 400 for an unknown cursor', async () => {
    expect(await codeOf(usage.listRequests(scope, project, { limit: 50, environment: 'nope' }))).toBe('NOT_FOUND');
    expect(await codeOf(usage.listRequests(scope, project, { limit: 50, before: 'x1' }))).toBe('VALIDATION_FAILED');
  });

  it('sums the current day by key, model, feature and customer from the rollups', async () => {
    const day = await usage.usage(scope, project, { period: 'day' });
    expect(day.totals).toEqual({
      requests: 3,
      errors: 1,
      inputTokens: 120,
      outputTokens: 60,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      tokens: 180,
      costUsd: 1.25,
    });
    expect(day.byKey).toEqual([{ keyId: key.id, keyName: 'production', keyPrefix: 'sk-slw-abc', ...day.totals }]);
    expect(day.byModel.map((m) => [m.model, m.requests, m.costUsd])).toEqual([
      ['fast', 2, 1],
      ['smart', 1, 0.25],
    ]);
    expect(day.byFeature.map((f) => [f.feature, f.requests])).toEqual([
      ['chat', 2],
      [null, 1],
    ]);
    expect(day.byCustomer.map((c) => [c.customer, c.costUsd])).toEqual([
      ['c1', 1],
      ['c2', 0.25],
      [null, 0],
    ]);
    expect(new Date(day.from).getUTCHours()).toBe(0);
    const month = await usage.usage(scope, project, { period: 'month' });
    expect(month.totals).toEqual(day.totals);
    expect(new Date(month.from).getUTCDate()).toBe(1);
  });

  it("shows each organization only its own traffic, even given the id of the other's project", async () => {
    expect((await usage.listRequests(scope, project, { limit: 50 })).map((r) => r.id)).toEqual(['r3', 'r2', 'r1']);
    expect((await usage.listRequests(otherScope, project, { limit: 50 })).map((r) => r.id)).toEqual(['x1']);
    const other = await usage.usage(otherScope, { id: project.id, environments: [] }, { period: 'month' });
    expect(other.totals.requests).toBe(1); // only its own event x1
    expect(other.byKey).toEqual([{ keyId: key.id, keyName: null, keyPrefix: null, ...other.totals }]);
  });
});
