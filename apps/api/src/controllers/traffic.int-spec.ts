import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LATENCY_BUCKETS_MS } from '@slipway/contracts';
import { PrismaService } from '@slipway/db';
import { HarnessUser, startGatewayHarness, type GatewayHarness } from '../gateway/gateway-harness.int-support';

/** GET …/environments/:env/traffic through the real api: validation, tenant isolation and what the charts read. */
let h: GatewayHarness;
let base: string;
let releaseId: string;
const minute = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 10 * 60_000);

beforeAll(async () => {
  h = await startGatewayHarness();
  base = `/api/v1/orgs/${h.org}/projects/${h.project}/environments/${h.environment}/traffic`;
  // One release of the environment and one minute of its traffic, as the collector would have rolled it up.
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
  const counts = new Array<bigint>(LATENCY_BUCKETS_MS.length + 1).fill(0n);
  counts[2] = 100n; // 100 requests in (10, 25] ms
  await prisma.appTrafficMinute.create({
    data: {
      ...scope,
      releaseId,
      bucket: minute,
      requests: 120n,
      status2xx: 100n,
      status3xx: 0n,
      status4xx: 10n,
      status5xx: 10n,
      latencyCounts: [...counts.slice(0, 3), 20n, ...counts.slice(4)],
    },
  });
});
afterAll(async () => h?.close());

const from = (hoursAgo: number) => encodeURIComponent(new Date(Date.now() - hoursAgo * 3_600_000).toISOString());

describe('GET …/environments/:env/traffic', () => {
  it('answers each release’s series on one time axis, at most `points` slots', async () => {
    const res = await h.owner.call('GET', `${base}?from=${from(24)}&points=300`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ resolution: 'minute', stepSeconds: 300 });
    expect(res.body.time.length).toBeLessThanOrEqual(300);
    expect(res.body.releases).toHaveLength(1);
    const [v1] = res.body.releases;
    expect(v1).toMatchObject({ releaseId, number: 1, totals: { requests: 120, status4xx: 10, status5xx: 10 } });
    const slot = v1.requests.findIndex((n: number) => n > 0);
    expect(res.body.time[slot]).toBeLessThanOrEqual(minute.getTime() / 1000);
    expect(v1.rate5xx[slot]).toBeCloseTo(10 / 120, 5);
    expect(v1.requestsPerSecond[slot]).toBeCloseTo(120 / 300, 5);
    expect(v1.p50Ms[slot]).toBeGreaterThan(10);
    expect(v1.p50Ms[slot]).toBeLessThanOrEqual(25);
    expect(v1.p99Ms[slot]).toBeGreaterThan(25); // the 20 slower requests are the top 1 %
  });

  it('refuses a bad range with a code that names it', async () => {
    const backwards = await h.owner.call('GET', `${base}?from=${from(1)}&to=${from(2)}`);
    expect(backwards.status).toBe(400);
    expect(backwards.body.code).toBe('INVALID_TIME_RANGE');
    expect(backwards.body.detail).toMatch(/`from` must be before `to`/);
    const notADate = await h.owner.call('GET', `${base}?from=yesterday`);
    expect(notADate.status).toBe(400);
    expect(notADate.body.code).toBe('VALIDATION_FAILED');
    expect(notADate.body.detail).toMatch(/ISO 8601/);
    const tooMany = await h.owner.call('GET', `${base}?from=${from(1)}&points=100000`);
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.code).toBe('VALIDATION_FAILED');
    const missing = await h.owner.call('GET', base);
    expect(missing.status).toBe(400);
  });

  it('answers 404 to another organization, which sees nothing of this traffic', async () => {
    const stranger = new HarnessUser(h.url);
    const signup = await stranger.call('POST', '/api/v1/auth/signup', {
      name: 'Stranger',
      email: `s-${randomBytes(4).toString('hex')}@example.test`,
      password: 'correct horse battery staple',
    });
    expect(signup.status).toBe(201);
    const res = await stranger.call('GET', `${base}?from=${from(24)}`);
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('NOT_FOUND');
    expect(JSON.stringify(res.body)).not.toContain(releaseId);
    // The same project and environment names under the stranger's own organization: not found either.
    const ownOrg: string = signup.body.organizations[0].slug;
    const crossed = await stranger.call(
      'GET',
      `/api/v1/orgs/${ownOrg}/projects/${h.project}/environments/${h.environment}/traffic?from=${from(24)}`,
    );
    expect(crossed.status).toBe(404);
  });
});
