import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_BUDGET, type GatewayDrillDto } from '@slipway/contracts';
import { PrismaService } from '@slipway/db';
import { GatewayDrillsService, GatewayEngine, routeKeyOf } from '@slipway/gateway';
import { HarnessUser, startGatewayHarness, type GatewayHarness } from './gateway-harness.int-support';

/**
 * Failover drills through the real api: the drill injects 503s into the primary route of an
 * alias while its synthetic load calls the api's own /v1/messages (the mock provider upstream),
 * and the kept report shows the backup answering, the breaker opening and recovering.
 */
let h: GatewayHarness;
let env: string;
let project: string;
let viewer: HarnessUser;
let outsider: HarnessUser;
let outsiderOrg: string;

async function signUp(user: HarnessUser, name: string): Promise<string> {
  const res = await user.call('POST', '/api/v1/auth/signup', { name, email: `${name.toLowerCase()}-${randomBytes(3).toString('hex')}@example.test`, password: 'correct horse battery staple' });
  expect(res.status).toBe(201);
  return res.body.organizations[0].slug;
}

beforeAll(async () => {
  h = await startGatewayHarness();
  await h.setRouting({ models: { chat: { routes: [{ provider: 'mock', model: 'mock-primary' }, { provider: 'mock', model: 'mock-backup' }] } } });
  project = `/api/v1/orgs/${h.org}/projects/${h.project}`;
  env = `${project}/environments/${h.environment}`;
  viewer = new HarnessUser(h.url);
  await signUp(viewer, 'Viewer');
  const invitation = await h.owner.call('POST', `/api/v1/orgs/${h.org}/invitations`, { role: 'VIEWER' });
  expect((await viewer.call('POST', `/api/v1/invitations/${invitation.body.token}/accept`)).status).toBe(200);
  outsider = new HarnessUser(h.url);
  outsiderOrg = await signUp(outsider, 'Outsider');
  // A project of the same name in the other organization: a drill id from this one must not open there.
  expect((await outsider.call('POST', `/api/v1/orgs/${outsiderOrg}/projects`, { name: 'Chatbot' })).body.slug).toBe(h.project);
});
afterAll(async () => h?.close());

async function waitForEnd(id: string): Promise<GatewayDrillDto> {
  const deadline = Date.now() + 12_000;
  for (;;) {
    const res = await h.owner.call<GatewayDrillDto>('GET', `${project}/gateway/drills/${id}`);
    expect(res.status).toBe(200);
    if (res.body.status !== 'RUNNING' || Date.now() > deadline) return res.body;
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('failover drill', () => {
  it('fails the primary over to the backup, shows the breaker open and recover, and keeps the report', async () => {
    const started = await h.owner.call<GatewayDrillDto>('POST', `${env}/gateway/drills`, { route: 'mock/mock-primary', fault: { kind: 'status', status: 503 }, durationSeconds: 5, concurrency: 4 });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({
      status: 'RUNNING',
      environment: h.environment,
      plan: { route: 'mock/mock-primary', alias: 'chat', fault: { kind: 'status', status: 503 }, durationSeconds: 5, concurrency: 4 },
      report: null,
    });

    const second = await h.owner.call('POST', `${env}/gateway/drills`, { durationSeconds: 5 });
    expect(second.status).toBe(409);
    expect(second.body.code).toBe('DRILL_RUNNING');

    const done = await waitForEnd(started.body.id);
    expect(done.status).toBe('SUCCEEDED');
    const report = done.report!;
    expect(report.requests).toBeGreaterThan(50);
    expect(report.successRate).toBeGreaterThanOrEqual(0.95);
    expect(report.servedBy['mock/mock-backup']).toBeGreaterThan(0);
    expect(report.failoverMs).not.toBeNull();
    expect(report.failoverMs!).toBeLessThan(1000);
    const moves = report.breakerTransitions.filter((t) => t.key === 'mock/mock-primary').map((t) => `${t.from}->${t.to}`);
    expect(moves[0]).toBe('closed->open');
    // The breaker's 5 s cooldown ends after the 5 s fault, so the half-open probe succeeds in the 3 s tail.
    expect(moves).toContain('open->half_open');
    expect(moves.at(-1)).toBe('half_open->closed');
    expect(report.servedBy['mock/mock-primary']).toBeGreaterThan(0);
    expect(report.upstreamAttempts).toBeGreaterThanOrEqual(report.requests);
    expect(report.retryAmplification).toBeLessThanOrEqual(1 + DEFAULT_RETRY_BUDGET + 0.1);
    expect(report.timeline.reduce((n, s) => n + s.requests, 0)).toBe(report.requests);
    expect(report.timeline[0]!.fallbacks).toBeGreaterThan(0);
    expect(done.finishedAt).not.toBeNull();

    const listed = await viewer.call<GatewayDrillDto[]>('GET', `${project}/gateway/drills?environment=${h.environment}`);
    expect(listed.status).toBe(200);
    expect(listed.body[0]).toMatchObject({ id: started.body.id, status: 'SUCCEEDED', report: { requests: report.requests } });
    expect(h.mock.requests.some((r) => (r.body as { model?: string }).model === 'mock-primary')).toBe(true);

    const audit = await h.owner.call('GET', `/api/v1/orgs/${h.org}/audit-log`);
    expect(audit.body.some((e: { action: string; target: string }) => e.action === 'gateway.drill_started' && e.target === `gateway-drill:${started.body.id}`)).toBe(true);
  }, 15_000);

  it('answers 400 naming the routes that exist for a route the routing does not have', async () => {
    const res = await h.owner.call('POST', `${env}/gateway/drills`, { route: 'anthropic/claude-sonnet-4-5', fault: { kind: 'status' } });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: 'route', message: expect.stringContaining('routes: mock/mock-primary, mock/mock-backup') }]);
  });

  it('answers 400 for a duration, concurrency or status out of range', async () => {
    const res = await h.owner.call('POST', `${env}/gateway/drills`, { durationSeconds: 61, concurrency: 9, fault: { kind: 'status', status: 404 } });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['concurrency', 'durationSeconds', 'fault.status']);
  });

  it('lets a viewer read drills but not start one, and hides them from other organizations', async () => {
    expect((await viewer.call('POST', `${env}/gateway/drills`, {})).status).toBe(403);
    expect((await viewer.call('GET', `${project}/gateway/drills`)).status).toBe(200);
    const listed = await outsider.call('GET', `${project}/gateway/drills`);
    expect(listed.status).toBe(404);
    expect((await outsider.call('POST', `${env}/gateway/drills`, {})).status).toBe(404);
    const mine = await h.owner.call<GatewayDrillDto[]>('GET', `${project}/gateway/drills`);
    expect((await outsider.call('GET', `/api/v1/orgs/${outsiderOrg}/projects/${h.project}/gateway/drills/${mine.body[0]!.id}`)).status).toBe(404);
  });

  it('records a drill stopped by api shutdown as FAILED ("api stopped") and clears its fault', async () => {
    // A RUNNING row left by an api that died mid-drill does not block the environment forever.
    const prisma = h.app.get(PrismaService);
    const first = (await prisma.gatewayDrill.findFirst({ orderBy: { createdAt: 'asc' } }))!;
    const { id: staleId } = await prisma.gatewayDrill.create({
      data: { organizationId: first.organizationId, projectId: first.projectId, environmentId: first.environmentId, status: 'RUNNING', plan: first.plan!, createdAt: new Date(Date.now() - 10 * 60_000) },
    });
    const started = await h.owner.call<GatewayDrillDto>('POST', `${env}/gateway/drills`, { fault: { kind: 'timeout' }, durationSeconds: 5, concurrency: 1 });
    expect(started.status).toBe(202);
    expect(h.app.get(GatewayEngine).faults.active().map((f) => routeKeyOf(f.routeKey))).toEqual(['mock/mock-primary']);
    await h.app.get(GatewayDrillsService).onModuleDestroy(); // what app.close() runs first
    const stopped = await h.owner.call<GatewayDrillDto>('GET', `${project}/gateway/drills/${started.body.id}`);
    expect(stopped.body).toMatchObject({ status: 'FAILED', error: 'api stopped', report: null });
    expect(h.app.get(GatewayEngine).faults.active()).toEqual([]);
    const stale = await h.owner.call<GatewayDrillDto>('GET', `${project}/gateway/drills/${staleId}`);
    expect(stale.body).toMatchObject({ status: 'FAILED', error: 'The api running this drill stopped before it finished.' });
  });
});
