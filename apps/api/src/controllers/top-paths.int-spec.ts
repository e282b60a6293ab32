import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LATENCY_BUCKETS_MS } from '@slipway/contracts';
import { PrismaService } from '@slipway/db';
import { HarnessUser, startGatewayHarness, type GatewayHarness } from '../gateway/gateway-harness.int-support';

/** GET …/environments/:env/top-paths through the real api: validation, tenant isolation and the ranking. */
let h: GatewayHarness;
let base: string;
const minute = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 10 * 60_000);

beforeAll(async () => {
  h = await startGatewayHarness();
  base = `/api/v1/orgs/${h.org}/projects/${h.project}/environments/${h.environment}/top-paths`;
  const prisma = h.app.get(PrismaService);
  const env = await prisma.environment.findFirstOrThrow({
    where: { name: h.environment, project: { slug: h.project, organization: { slug: h.org } } },
  });
  const scope = { organizationId: env.organizationId, projectId: env.projectId, environmentId: env.id };
  // One minute of three paths of one release, as the collector would have rolled them up.
  const histogram = (bucket: number, n: bigint) => LATENCY_BUCKETS_MS.concat([0]).map((_, i) => (i === bucket ? n : 0n));
  for (const [path, requests, status4xx, status5xx, bucket] of [
    ['/', 500n, 0n, 0n, 1],
    ['/checkout', 50n, 0n, 20n, 3],
    ['/report', 10n, 0n, 0n, 9],
    ['/wp-login.php', 40n, 40n, 0n, 0],
  ] as const) {
    await prisma.appTrafficPathMinute.create({
      data: { ...scope, releaseId: 'rel_1', bucket: minute, path, requests, status4xx, status5xx, latencyCounts: histogram(bucket, requests) },
    });
  }
});
afterAll(async () => h?.close());

const from = (hoursAgo: number) => encodeURIComponent(new Date(Date.now() - hoursAgo * 3_600_000).toISOString());
const paths = (body: { paths: { path: string }[] }) => body.paths.map((p) => p.path);

describe('GET …/environments/:env/top-paths', () => {
  it('ranks the paths by requests, by errors (5xx before 4xx) and by p95', async () => {
    const byRequests = await h.owner.call('GET', `${base}?from=${from(1)}`);
    expect(byRequests.status).toBe(200);
    expect(paths(byRequests.body)).toEqual(['/', '/checkout', '/wp-login.php', '/report']);
    expect(byRequests.body.paths[1]).toMatchObject({ path: '/checkout', requests: 50, status4xx: 0, status5xx: 20 });
    const byErrors = await h.owner.call('GET', `${base}?from=${from(1)}&sort=errors&limit=2`);
    expect(paths(byErrors.body)).toEqual(['/checkout', '/wp-login.php']);
    const byLatency = await h.owner.call('GET', `${base}?from=${from(1)}&sort=latency`);
    expect(paths(byLatency.body)[0]).toBe('/report');
    expect(byLatency.body.paths[0].p95Ms).toBeGreaterThan(2500);
  });

  it('refuses bad input with a code that names it', async () => {
    const backwards = await h.owner.call('GET', `${base}?from=${from(1)}&to=${from(2)}`);
    expect(backwards.status).toBe(400);
    expect(backwards.body.code).toBe('INVALID_TIME_RANGE');
    const sort = await h.owner.call('GET', `${base}?from=${from(1)}&sort=slowest`);
    expect(sort.status).toBe(400);
    expect(sort.body.code).toBe('VALIDATION_FAILED');
    const limit = await h.owner.call('GET', `${base}?from=${from(1)}&limit=1000`);
    expect(limit.status).toBe(400);
    expect(limit.body.code).toBe('VALIDATION_FAILED');
  });

  it('answers 404 to another organization, which sees none of these paths', async () => {
    const stranger = new HarnessUser(h.url);
    const signup = await stranger.call('POST', '/api/v1/auth/signup', {
      name: 'Stranger',
      email: `s-${randomBytes(4).toString('hex')}@example.test`,
      password: 'correct horse battery staple',
    });
    expect(signup.status).toBe(201);
    const res = await stranger.call('GET', `${base}?from=${from(1)}`);
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('NOT_FOUND');
    expect(JSON.stringify(res.body)).not.toContain('/checkout');
    const ownOrg: string = signup.body.organizations[0].slug;
    const crossed = await stranger.call('GET', `/api/v1/orgs/${ownOrg}/projects/${h.project}/environments/${h.environment}/top-paths?from=${from(1)}`);
    expect(crossed.status).toBe(404);
  });
});
