import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrismaService } from '@slipway/db';
import { HarnessUser, startGatewayHarness, type GatewayHarness } from '../gateway/gateway-harness.int-support';

/** Releases whose image retention removed their image, through the real api: listed as such, a rollback to them refused early, tenant-scoped. */
let h: GatewayHarness;
let envPath: string;
let prisma: PrismaService;
let environmentId: string;
const release: Record<string, string> = {};

beforeAll(async () => {
  h = await startGatewayHarness();
  envPath = `/api/v1/orgs/${h.org}/projects/${h.project}/environments/${h.environment}`;
  prisma = h.app.get(PrismaService);
  const env = await prisma.environment.findFirstOrThrow({
    where: { name: h.environment, project: { slug: h.project, organization: { slug: h.org } } },
  });
  environmentId = env.id;
  const scope = { organizationId: env.organizationId, projectId: env.projectId, environmentId: env.id };
  for (const number of [1, 2, 3]) {
    const build = await prisma.build.create({
      data: {
        ...scope,
        commitSha: `feed${number}`,
        branch: 'main',
        authorName: 'Ada',
        authorEmail: 'ada@example.test',
        message: `v${number}`,
        status: 'SUCCEEDED',
      },
    });
    const r = await prisma.release.create({
      data: {
        ...scope,
        buildId: build.id,
        number,
        imageId: `sha256:${number}`,
        commitSha: build.commitSha,
        authorName: 'Ada',
        message: `v${number}`,
        envVarVersions: {},
        slipwayConfig: {},
        runtime: {},
      },
    });
    release[`v${number}`] = r.id;
  }
  await prisma.environment.update({ where: { id: env.id }, data: { liveReleaseId: release.v3 } });
  // What the images-prune job records when it removes v1's image.
  await prisma.release.update({ where: { id: release.v1 }, data: { imageRemovedAt: new Date() } });
});
afterAll(async () => h?.close());

describe('releases whose image was removed', () => {
  it('are listed with imageRemoved, the others without', async () => {
    const res = await h.owner.call('GET', `${envPath}/releases`);
    expect(res.status).toBe(200);
    expect(res.body.map((r: { number: number; imageRemoved: boolean }) => [r.number, r.imageRemoved])).toEqual([
      [3, false],
      [2, false],
      [1, true],
    ]);
  });

  it('cannot be rolled back to: 409 RELEASE_IMAGE_REMOVED naming the setting, and nothing is queued', async () => {
    const res = await h.owner.call('POST', `${envPath}/rollback`, { releaseId: release.v1 });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('RELEASE_IMAGE_REMOVED');
    expect(JSON.stringify(res.body)).toMatch(/RELEASE_IMAGES_KEEP/);
    expect(await prisma.deployment.count({ where: { environmentId } })).toBe(0);
  });

  it('answers 404 to another organization', async () => {
    const stranger = new HarnessUser(h.url);
    const signup = await stranger.call('POST', '/api/v1/auth/signup', {
      name: 'Stranger',
      email: `s-${randomBytes(4).toString('hex')}@example.test`,
      password: 'correct horse battery staple',
    });
    expect(signup.status).toBe(201);
    expect((await stranger.call('POST', `${envPath}/rollback`, { releaseId: release.v1 })).status).toBe(404);
    expect((await stranger.call('GET', `${envPath}/releases`)).status).toBe(404);
  });
});
