import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrismaService } from '@slipway/db';
import { HarnessUser, startGatewayHarness, type GatewayHarness } from '../gateway/gateway-harness.int-support';

/** GET …/environments/:env/logs through the real api: validation, tenant isolation and what the logs panel reads. */
let h: GatewayHarness;
let base: string;
let releaseId: string;
const marker = `needle-${randomBytes(4).toString('hex')}`;

beforeAll(async () => {
  h = await startGatewayHarness();
  base = `/api/v1/orgs/${h.org}/projects/${h.project}/environments/${h.environment}/logs`;
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
  // Two lines as the collector stores them, in today's partition.
  const day = new Date(Math.floor(Date.now() / 86_400_000) * 86_400_000);
  const name = `AppLogLine_p${day.toISOString().slice(0, 10).replaceAll('-', '')}`;
  await prisma.$executeRawUnsafe(
    `CREATE TABLE IF NOT EXISTS "${name}" PARTITION OF "AppLogLine" FOR VALUES FROM ('${day.toISOString()}') TO ('${new Date(day.getTime() + 86_400_000).toISOString()}')`,
  );
  for (const [level, message] of [
    ['info', 'GET /health 200'],
    ['error', `POST /checkout 500 ${marker}`],
  ]) {
    await prisma.$executeRawUnsafe(
      `INSERT INTO "AppLogLine" (at, "organizationId", "projectId", "environmentId", "releaseId", replica, stream, level, message) VALUES (now() AT TIME ZONE 'UTC' - interval '1 minute', $1, $2, $3, $4, 'web-production-r1-0', 'stdout', $5, $6)`,
      scope.organizationId,
      scope.projectId,
      scope.environmentId,
      releaseId,
      level,
      message,
    );
  }
});
afterAll(async () => h?.close());

const from = (hoursAgo: number) => encodeURIComponent(new Date(Date.now() - hoursAgo * 3_600_000).toISOString());

describe('GET …/environments/:env/logs', () => {
  it('answers the lines newest first, with their release, searched and filtered by level', async () => {
    const all = await h.owner.call('GET', `${base}?from=${from(1)}`);
    expect(all.status).toBe(200);
    expect(all.body.lines.map((l: { message: string }) => l.message)).toEqual([`POST /checkout 500 ${marker}`, 'GET /health 200']);
    expect(all.body.lines[0]).toMatchObject({
      level: 'error',
      stream: 'stdout',
      releaseId,
      releaseNumber: 1,
      replica: 'web-production-r1-0',
    });
    expect(all.body.nextCursor).toBeNull();
    const found = await h.owner.call('GET', `${base}?from=${from(1)}&q=${marker.toUpperCase()}`);
    expect(found.body.lines).toHaveLength(1);
    const errors = await h.owner.call('GET', `${base}?from=${from(1)}&level=warn`);
    expect(errors.body.lines.map((l: { level: string }) => l.level)).toEqual(['error']);
    const tail = await h.owner.call('GET', `${base}?from=${from(1)}&after=${all.body.lines[1].cursor}`);
    expect(tail.body).toEqual({ lines: [all.body.lines[0]], nextCursor: all.body.lines[0].cursor });
  });

  it('refuses a bad cursor or level with a code and a message naming the fix', async () => {
    const cursor = await h.owner.call('GET', `${base}?from=${from(1)}&cursor=abc`);
    expect(cursor.status).toBe(400);
    expect(cursor.body.code).toBe('VALIDATION_FAILED');
    expect(JSON.stringify(cursor.body)).toMatch(/nextCursor/);
    const level = await h.owner.call('GET', `${base}?from=${from(1)}&level=loud`);
    expect(level.status).toBe(400);
    expect(level.body.code).toBe('VALIDATION_FAILED');
    const both = await h.owner.call('GET', `${base}?from=${from(1)}&cursor=5&after=3`);
    expect(both.status).toBe(400);
    expect(both.body.detail).toMatch(/either `cursor`.*or `after`/);
    const backwards = await h.owner.call('GET', `${base}?from=${from(1)}&to=${from(2)}`);
    expect(backwards.body.code).toBe('INVALID_TIME_RANGE');
  });

  it('answers 404 to another organization, which sees nothing of these lines', async () => {
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
    expect(JSON.stringify(res.body)).not.toContain(marker);
  });
});
