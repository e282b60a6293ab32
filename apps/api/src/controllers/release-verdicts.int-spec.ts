import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrismaService } from '@slipway/db';
import { HarnessUser, startGatewayHarness, type GatewayHarness } from '../gateway/gateway-harness.int-support';

/** Markers, release verdicts, organization health and the autoRollback setting through the real api: shapes, validation and tenant isolation. */
let h: GatewayHarness;
let envPath: string;
let v1: string;
let v2: string;
const liveAt = new Date(Date.now() - 5 * 60_000);

beforeAll(async () => {
  h = await startGatewayHarness();
  envPath = `/api/v1/orgs/${h.org}/projects/${h.project}/environments/${h.environment}`;
  const prisma = h.app.get(PrismaService);
  const env = await prisma.environment.findFirstOrThrow({ where: { name: h.environment, project: { slug: h.project, organization: { slug: h.org } } } });
  const scope = { organizationId: env.organizationId, projectId: env.projectId, environmentId: env.id };
  const ids: string[] = [];
  for (const number of [1, 2]) {
    const build = await prisma.build.create({ data: { ...scope, commitSha: `c0ffee${number}`, branch: 'main', authorName: 'Ada', authorEmail: 'ada@example.test', message: `v${number}`, status: 'SUCCEEDED' } });
    const release = await prisma.release.create({
      data: { ...scope, buildId: build.id, number, imageId: `sha256:${number}`, commitSha: build.commitSha, authorName: 'Ada', message: `v${number}`, envVarVersions: {}, slipwayConfig: {}, runtime: {} },
    });
    ids.push(release.id);
  }
  [v1, v2] = ids as [string, string];
  await prisma.deployment.create({ data: { ...scope, releaseId: v1, kind: 'DEPLOY', status: 'SUCCEEDED', finishedAt: new Date(liveAt.getTime() - 60_000) } });
  await prisma.deployment.create({ data: { ...scope, releaseId: v2, previousReleaseId: v1, kind: 'DEPLOY', status: 'SUCCEEDED', finishedAt: liveAt } });
  await prisma.deployment.create({
    data: { ...scope, releaseId: v1, kind: 'ROLLBACK', status: 'SUCCEEDED', automatic: true, reason: 'Automatic rollback: v2 raised the 5xx rate from 0 % to 50 % within 1 minute of its deploy.', finishedAt: new Date(liveAt.getTime() + 90_000) },
  });
  await prisma.environment.update({ where: { id: env.id }, data: { liveReleaseId: v1 } });
});
afterAll(async () => h?.close());

const from = (minutesAgo: number) => encodeURIComponent(new Date(Date.now() - minutesAgo * 60_000).toISOString());

describe('markers and verdicts', () => {
  it('answers the markers of the range, oldest first, an automatic rollback with its reason', async () => {
    const res = await h.owner.call('GET', `${envPath}/markers?from=${from(60)}`);
    expect(res.status).toBe(200);
    expect(res.body.markers.map((m: { kind: string; releaseNumber: number }) => `${m.kind} v${m.releaseNumber}`)).toEqual(['deploy v1', 'deploy v2', 'auto-rollback v1']);
    expect(res.body.markers[2]).toMatchObject({ reason: expect.stringMatching(/^Automatic rollback: v2 raised the 5xx rate/), commitSha: 'c0ffee1', authorName: 'Ada' });
    const deployments = await h.owner.call('GET', `${envPath}/deployments`);
    expect(deployments.body[0]).toMatchObject({ kind: 'ROLLBACK', automatic: true, reason: expect.stringMatching(/^Automatic rollback/) });
  });

  it('judges a release on demand when the job has not (in its window without traffic: pending)', async () => {
    const res = await h.owner.call('GET', `${envPath}/releases/${v2}/verdict`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ releaseNumber: 2, previousReleaseNumber: 1, status: 'pending', autoRolledBackAt: null });
    expect(res.body.summary).toMatch(/^v2 is being watched: 0 requests in its first [56] of 10 minutes, nothing wrong yet\.$/);
    const unknown = await h.owner.call('GET', `${envPath}/releases/nope/verdict`);
    expect(unknown.status).toBe(404);
  });

  it('refuses a bad range with a code that names it', async () => {
    const backwards = await h.owner.call('GET', `${envPath}/markers?from=${from(1)}&to=${from(2)}`);
    expect(backwards.status).toBe(400);
    expect(backwards.body.code).toBe('INVALID_TIME_RANGE');
    const missing = await h.owner.call('GET', `/api/v1/orgs/${h.org}/health`);
    expect(missing.status).toBe(400);
    expect(missing.body.code).toBe('VALIDATION_FAILED');
  });

  it('answers the organization overview with every environment', async () => {
    const res = await h.owner.call('GET', `/api/v1/orgs/${h.org}/health?from=${from(60)}`);
    expect(res.status).toBe(200);
    expect(res.body.environments).toContainEqual(
      expect.objectContaining({ project: expect.objectContaining({ slug: h.project }), environment: h.environment, liveReleaseNumber: 1, requests: 0, rate5xx: null }),
    );
  });

  it('answers 404 to another organization, which sees nothing of the markers or verdicts', async () => {
    const stranger = new HarnessUser(h.url);
    const signup = await stranger.call('POST', '/api/v1/auth/signup', { name: 'Stranger', email: `s-${randomBytes(4).toString('hex')}@example.test`, password: 'correct horse battery staple' });
    expect(signup.status).toBe(201);
    for (const path of [`${envPath}/markers?from=${from(60)}`, `${envPath}/releases/${v2}/verdict`, `/api/v1/orgs/${h.org}/health?from=${from(60)}`]) {
      const res = await stranger.call('GET', path);
      expect(res.status, path).toBe(404);
      expect(JSON.stringify(res.body)).not.toContain(v2);
    }
    const ownOrg: string = signup.body.organizations[0].slug;
    const own = await stranger.call('GET', `/api/v1/orgs/${ownOrg}/health?from=${from(60)}`);
    expect(own.status).toBe(200);
    expect(JSON.stringify(own.body)).not.toContain(h.project);
  });
});

describe('the autoRollback setting', () => {
  it('is off by default and is switched on through the environment update', async () => {
    const before = await h.owner.call('GET', `/api/v1/orgs/${h.org}/projects/${h.project}`);
    expect(before.body.environments.find((e: { name: string }) => e.name === h.environment)).toMatchObject({ autoRollback: false });
    const on = await h.owner.call('PATCH', envPath, { autoRollback: true });
    expect(on.status).toBe(200);
    expect(on.body.autoRollback).toBe(true);
    const bad = await h.owner.call('PATCH', envPath, { autoRollback: 'yes' });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
  });
});
