import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrismaService } from '@slipway/db';
import { HarnessUser, startGatewayHarness, type GatewayHarness } from '../gateway/gateway-harness.int-support';

/** GET /orgs/:org/machine-capacity through the real api on the real Docker engine: the figures, admins only, tenant isolation. */
let h: GatewayHarness;
let prisma: PrismaService;
const MB = 1024 * 1024;
const HEADROOM_MB = 1536;

const signUp = async (name: string) => {
  const user = new HarnessUser(h.url);
  const res = await user.call('POST', '/api/v1/auth/signup', { name, email: `${name.toLowerCase()}-${randomBytes(4).toString('hex')}@example.test`, password: 'correct horse battery staple' });
  expect(res.status).toBe(201);
  return { user, userId: res.body.user.id as string, org: res.body.organizations[0].slug as string };
};

beforeAll(async () => {
  h = await startGatewayHarness({ config: { MACHINE_MEMORY_RESERVED_MB: HEADROOM_MB, MACHINE_DISK_RESERVED_MB: 100 } });
  prisma = h.app.get(PrismaService);
  // One running replica of a 256 MB release and one stopped one (which reserves nothing), in this test's own database.
  const env = await prisma.environment.findFirstOrThrow({ where: { name: h.environment, project: { slug: h.project, organization: { slug: h.org } } } });
  const scope = { organizationId: env.organizationId, projectId: env.projectId, environmentId: env.id };
  const build = await prisma.build.create({ data: { ...scope, commitSha: 'c0ffee', branch: 'main', authorName: 'Ada', authorEmail: 'ada@example.test', message: 'v1', status: 'SUCCEEDED' } });
  const release = await prisma.release.create({
    data: { ...scope, buildId: build.id, number: 1, imageId: 'sha256:1', commitSha: 'c0ffee', authorName: 'Ada', message: 'v1', envVarVersions: {}, slipwayConfig: {}, runtime: { memoryMb: 256 } },
  });
  const deployment = await prisma.deployment.create({ data: { ...scope, releaseId: release.id, kind: 'DEPLOY', status: 'SUCCEEDED' } });
  for (const [index, state] of [[0, 'HEALTHY'], [1, 'STOPPED']] as const)
    await prisma.replica.create({ data: { organizationId: env.organizationId, environmentId: env.id, releaseId: release.id, deploymentId: deployment.id, index, containerName: `cap-${randomBytes(4).toString('hex')}`, state } });
}, 60_000);

afterAll(async () => {
  await h?.close();
});

describe('GET /api/v1/orgs/:org/machine-capacity', () => {
  it("gives an admin the engine's memory less the replicas' reservations and the headroom, and the data root's free disk", async () => {
    const res = await h.owner.call('GET', `/api/v1/orgs/${h.org}/machine-capacity`);
    expect(res.status).toBe(200);
    const memTotal = Number(execFileSync('docker', ['info', '--format', '{{.MemTotal}}'], { encoding: 'utf8' }).trim());
    const totalMb = Math.floor(memTotal / MB);
    expect(res.body.memory).toEqual({ totalMb, reservedByReplicasMb: 256, headroomMb: HEADROOM_MB, availableMb: totalMb - 256 - HEADROOM_MB });
    expect(res.body.replicas).toBe(1);
    expect(res.body.disk.reserveMb).toBe(100);
    expect(res.body.disk.freeMb).toBeGreaterThan(0);
    expect(res.body.disk.availableMb).toBe(res.body.disk.freeMb - 100);
    expect(res.body.settings).toEqual(['MACHINE_MEMORY_RESERVED_MB', 'MACHINE_DISK_RESERVED_MB']);
  });

  it('refuses a member who is not an admin (403 FORBIDDEN naming the role), and a signed-out caller (401)', async () => {
    const member = await signUp('Member');
    const org = await prisma.organization.findUniqueOrThrow({ where: { slug: h.org } });
    await prisma.membership.create({ data: { organizationId: org.id, userId: member.userId, role: 'MEMBER' } });
    const res = await member.user.call('GET', `/api/v1/orgs/${h.org}/machine-capacity`);
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('FORBIDDEN');
    expect(res.body.detail).toContain('ADMIN');
    expect(res.body.memory).toBeUndefined();
    expect((await new HarnessUser(h.url).call('GET', `/api/v1/orgs/${h.org}/machine-capacity`)).status).toBe(401);
  });

  it("answers 404 to another organization's admin, who reads only through their own organization", async () => {
    const stranger = await signUp('Stranger');
    const res = await stranger.user.call('GET', `/api/v1/orgs/${h.org}/machine-capacity`);
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('NOT_FOUND');
    expect(res.body.memory).toBeUndefined();
    expect((await stranger.user.call('GET', `/api/v1/orgs/${stranger.org}/machine-capacity`)).status).toBe(200);
  });
});
