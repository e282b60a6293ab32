import { execFile } from 'node:child_process';
import { randomInt, randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditModule } from '@slipway/audit';
import { BuildsModule } from '@slipway/builds';
import { loadConfig } from '@slipway/config';
import { EDGE_ROUTES_KEY } from '@slipway/contracts';
import { CryptoModule } from '@slipway/crypto';
import { DbModule, PrismaService } from '@slipway/db';
import { CONTAINER_RUNTIME, DockerModule, LABELS, type ContainerRuntime } from '@slipway/docker';
import { AppError } from '@slipway/errors';
import { GitModule } from '@slipway/git';
import { QueueModule } from '@slipway/queue';
import { RedisModule, RedisService } from '@slipway/redis';
import { createDomainTestContext, type DomainTestContext } from '@slipway/testing';
import { DeploymentsModule } from '../deployments.module';
import { ProjectTeardown } from '../project-teardown';
import { projectNetwork } from '../project-network';
import { Reconciler } from '../reconcile/reconciler';
import { ProjectNetworks } from './project-networks';

const exec = promisify(execFile);
const docker = (...args: string[]) => exec('docker', args);

// A /28 cut into /30 subnets: exactly four project networks. Somewhere unlikely in 10.x so
// parallel runs on the shared engine do not meet (and if they did, allocation skips their subnets).
const third = randomInt(256);
const POOL = `10.${200 + randomInt(50)}.${third}.0/28`;
const base = POOL.replace(/\.0\/28$/, '');
const SUBNETS = [0, 4, 8, 12].map((n) => `${base}.${n}/30`);

let ctx: DomainTestContext;
let prisma: PrismaService;
let runtime: ContainerRuntime;
let networks: ProjectNetworks;
let org: { id: string };
const created: string[] = []; // every network name this file may have made, removed at the end

async function newProject(): Promise<string> {
  const id = randomUUID();
  await prisma.project.create({
    data: { id, organizationId: org.id, slug: `p${id.slice(0, 8)}`, hostLabel: `p${id.slice(0, 8)}-${id.slice(9, 13)}`, name: 'P' },
  });
  created.push(projectNetwork(id));
  return id;
}

const ensure = (projectId: string) => networks.ensure({ organizationId: org.id }, projectId, { [LABELS.test]: '1' });
const subnetOnEngine = async (projectId: string) => (await runtime.inspectNetwork(projectNetwork(projectId)))?.subnets;
const subnetInDb = async (projectId: string) => (await prisma.projectNetwork.findUnique({ where: { projectId } }))?.subnet ?? null;

async function exhaustion(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

beforeAll(async () => {
  const redis = new URL(loadConfig().REDIS_URL);
  redis.pathname = '/10';
  ctx = await createDomainTestContext(
    [DbModule, CryptoModule, AuditModule, GitModule, RedisModule, QueueModule, DockerModule, BuildsModule, DeploymentsModule],
    {
      REDIS_URL: redis.toString(),
      PROJECT_NETWORK_POOL: POOL,
      PROJECT_NETWORK_PREFIX: 30,
    },
  );
  prisma = ctx.app.get(PrismaService);
  runtime = ctx.app.get(CONTAINER_RUNTIME);
  networks = ctx.app.get(ProjectNetworks);
  org = await prisma.organization.create({ data: { slug: `net-${third}`, name: 'Networks' } });
}, 60_000);

afterAll(async () => {
  if (!ctx) return;
  for (const name of created) await docker('network', 'rm', name).catch(() => undefined);
  await ctx.app
    .get(RedisService)
    .client.del(EDGE_ROUTES_KEY)
    .catch(() => undefined);
  await ctx.close();
}, 60_000);

describe('project networks from the pool Slipway manages (real dockerd and PostgreSQL)', () => {
  const first: string[] = [];

  it(`gives exactly as many networks as the pool holds (${POOL} in /30s: 4), each on its own recorded subnet, then refuses with NETWORK_POOL_EXHAUSTED`, async () => {
    for (let i = 0; i < 4; i++) {
      const projectId = await newProject();
      expect(await ensure(projectId)).toBe(projectNetwork(projectId));
      first.push(projectId);
    }
    const onEngine = await Promise.all(first.map(subnetOnEngine));
    expect(onEngine).toEqual(SUBNETS.map((s) => [s]));
    expect(await Promise.all(first.map(subnetInDb))).toEqual(SUBNETS);
    // Idempotent: the same project keeps its network and subnet.
    await ensure(first[0]!);
    expect(await subnetOnEngine(first[0]!)).toEqual([SUBNETS[0]]);

    const fifth = await newProject();
    const err = await exhaustion(ensure(fifth));
    expect(err.code).toBe('NETWORK_POOL_EXHAUSTED');
    expect(err.status).toBe(503);
    expect(err.message).toContain(`PROJECT_NETWORK_POOL=${POOL}`);
    expect(err.message).toMatch(/all 4 \/30 subnets/);
    // Nothing was made for it.
    expect(await runtime.inspectNetwork(projectNetwork(fifth))).toBeNull();
    expect(await subnetInDb(fifth)).toBeNull();
  }, 60_000);

  it("removes a deleted project's network in the teardown job and hands its subnet to the next project", async () => {
    const gone = first[1]!;
    await prisma.project.delete({ where: { id: gone } });
    await ctx.app.get(ProjectTeardown).execute({ organizationId: org.id }, gone);
    expect(await runtime.inspectNetwork(projectNetwork(gone))).toBeNull();
    expect(await subnetInDb(gone)).toBeNull();

    const next = await newProject();
    await ensure(next);
    expect(await subnetOnEngine(next)).toEqual([SUBNETS[1]]);
    first[1] = next;
  }, 60_000);

  it('never hands one subnet to two projects allocating at the same time', async () => {
    for (const gone of [first[2]!, first[3]!]) {
      await prisma.project.delete({ where: { id: gone } });
      await ctx.app.get(ProjectTeardown).execute({ organizationId: org.id }, gone);
    }
    // Two subnets free, three projects racing (separate database connections, one engine).
    const racers = [await newProject(), await newProject(), await newProject()];
    const results = await Promise.allSettled(racers.map(ensure));
    const won = racers.filter((_, i) => results[i]!.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(2);
    expect(lost.map((r) => (r.reason as AppError).code)).toEqual(['NETWORK_POOL_EXHAUSTED']);
    const subnets = (await Promise.all(won.map(subnetOnEngine))).flat().sort();
    expect(subnets).toEqual([SUBNETS[2], SUBNETS[3]].sort());
    expect((await Promise.all(won.map(subnetInDb))).sort()).toEqual(subnets);
  }, 60_000);

  it('keeps a network made before the pool existed (adopted as it is, no subnet taken)', async () => {
    const legacy = await newProject();
    const outside = `10.${200 + randomInt(50)}.${(third + 1) % 256}.64/29`;
    await runtime.ensureNetwork(
      projectNetwork(legacy),
      { [LABELS.project]: legacy, [LABELS.test]: '1' },
      { subnet: outside, gateway: outside.replace(/\.64\/29$/, '.65') },
    );
    expect(await ensure(legacy)).toBe(projectNetwork(legacy));
    expect(await subnetOnEngine(legacy)).toEqual([outside]);
    expect(await subnetInDb(legacy)).toBeNull();
  }, 60_000);

  it('the reconciler removes an orphan network it allocated, and never one it did not make', async () => {
    // Ours: allocated here, then the project vanished without its teardown.
    const orphan = first[0]!;
    await prisma.project.delete({ where: { id: orphan } });
    // Not ours: the same name pattern and labels, but this database never allocated it (another
    // installation on the engine) ...
    const foreign = randomUUID();
    const outside = `10.${200 + randomInt(50)}.${(third + 2) % 256}`;
    created.push(projectNetwork(foreign));
    // (explicit subnets outside the pool: Docker's default pools may be used up on a shared engine)
    await docker(
      'network',
      'create',
      '--subnet',
      `${outside}.0/29`,
      '--label',
      `${LABELS.managed}=1`,
      '--label',
      `${LABELS.project}=${foreign}`,
      '--label',
      `${LABELS.test}=1`,
      projectNetwork(foreign),
    );
    // ... and an unlabelled network under the name of a project whose allocation here is orphaned.
    const impostor = randomUUID();
    created.push(projectNetwork(impostor));
    await prisma.projectNetwork.create({ data: { projectId: impostor, organizationId: org.id, subnet: `${outside}.8/29` } });
    await docker('network', 'create', '--subnet', `${outside}.8/29`, '--label', `${LABELS.test}=1`, projectNetwork(impostor));

    const report = await ctx.app.get(Reconciler).run();
    expect(report.networksRemoved).toBe(1);
    expect(await runtime.inspectNetwork(projectNetwork(orphan))).toBeNull();
    expect(await subnetInDb(orphan)).toBeNull();
    expect(await runtime.inspectNetwork(projectNetwork(foreign))).not.toBeNull();
    expect(await runtime.inspectNetwork(projectNetwork(impostor))).not.toBeNull();
    expect(await subnetInDb(impostor)).toBeNull(); // our books are clean; the network is not ours to remove
    // A second pass has nothing left to do.
    expect((await ctx.app.get(Reconciler).run()).networksRemoved).toBe(0);
  }, 60_000);

  it('skips a free subnet that another network on the engine already uses, and takes it once that network is gone', async () => {
    // The reconciler freed SUBNETS[0]; someone else (another installation, a hand-made network) now holds it.
    const squatter = `slipway-test-net-${third}-squatter`;
    created.push(squatter);
    await docker('network', 'create', '--subnet', SUBNETS[0]!, '--label', `${LABELS.test}=1`, squatter);
    const next = await newProject();
    expect((await exhaustion(ensure(next))).code).toBe('NETWORK_POOL_EXHAUSTED');
    expect(await runtime.inspectNetwork(projectNetwork(next))).toBeNull();
    await docker('network', 'rm', squatter);
    await ensure(next);
    expect(await subnetOnEngine(next)).toEqual([SUBNETS[0]]);
  }, 60_000);

  it("never gives a network to another organization's project: NOT_FOUND, nothing created or recorded", async () => {
    await prisma.projectNetwork.deleteMany({ where: { subnet: SUBNETS[0] } }); // room in the pool, so only the tenant check can refuse
    await docker('network', 'rm', created.at(-1)!).catch(() => undefined); // that subnet's network, made by the test above
    const other = await prisma.organization.create({ data: { slug: `net-other-${third}`, name: 'Other' } });
    const theirs = await newProject(); // belongs to `org`
    const err = await exhaustion(networks.ensure({ organizationId: other.id }, theirs, { [LABELS.test]: '1' }));
    expect(err.code).toBe('NOT_FOUND');
    expect(await runtime.inspectNetwork(projectNetwork(theirs))).toBeNull();
    expect(await subnetInDb(theirs)).toBeNull();
  }, 60_000);
});
