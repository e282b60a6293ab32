import { randomBytes } from 'node:crypto';
import { Global, Module } from '@nestjs/common';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DbModule, PrismaService } from '@slipway/db';
import { DockerEngine, DockerModule, LABELS } from '@slipway/docker';
import { RedisModule, RedisService } from '@slipway/redis';
import { createDomainTestContext, type DomainTestContext } from '@slipway/testing';
import { ObservabilityModule, ResourceSamplerModule } from './observability.module';
import { RESOURCES_STATE_KEY, ResourceSampler } from './resource-sampler';
import { ResourcesService } from './resources.service';
import { ResourcesStorageRepository, resourcePartitionName } from './resources-storage.repository';
import { seedTrafficTenant, type TrafficTenant } from './testing/traffic-fixture.int-support';

// Against the real dockerd: small containers of the local base image, labelled slipway.test=1 and
// this run's id (the sampler reads only those), removed in afterAll with their network.
const BASE_IMAGE = (process.env.SLIPWAY_BASE_IMAGE_NODE || 'slipway/node:{major}').replace('{major}', '24');
const run = randomBytes(4).toString('hex');
const TEST = { [LABELS.test]: '1', 'slipway.test.run': run };
const STATE = `slipway:test:resources:${run}`;
const network = `slipway-test-${run}`;

@Global()
@Module({ providers: [{ provide: RESOURCES_STATE_KEY, useValue: STATE }], exports: [RESOURCES_STATE_KEY] })
class TestStateModule {}

let ctx: DomainTestContext;
let prisma: PrismaService;
let engine: DockerEngine;
let sampler: ResourceSampler;
let resources: ResourcesService;
let tenant: TrafficTenant;
let deploymentId: string;
const docker = new Docker();

beforeAll(async () => {
  ctx = await createDomainTestContext([DbModule, RedisModule, DockerModule, TestStateModule, ResourceSamplerModule, ObservabilityModule]);
  prisma = ctx.app.get(PrismaService);
  engine = ctx.app.get(DockerEngine);
  sampler = ctx.app.get(ResourceSampler);
  resources = ctx.app.get(ResourcesService);
  tenant = await seedTrafficTenant(prisma, 1);
  // The release runs with 64 MB and half a CPU (what the replicas are started with below).
  await prisma.release.update({ where: { id: tenant.releaseIds[0]! }, data: { runtime: { memoryMb: 64, cpuMillis: 500 } } });
  const deployment = await prisma.deployment.create({
    data: {
      organizationId: tenant.organizationId,
      projectId: tenant.projectId,
      environmentId: tenant.environmentId,
      releaseId: tenant.releaseIds[0]!,
      kind: 'DEPLOY',
      status: 'SUCCEEDED',
    },
  });
  deploymentId = deployment.id;
  await engine.ensureNetwork(network, TEST);
}, 60_000);

afterAll(async () => {
  const containers = await docker.listContainers({ all: true, filters: { label: [`slipway.test.run=${run}`] } });
  await Promise.all(
    containers.map((c) =>
      docker
        .getContainer(c.Id)
        .remove({ force: true })
        .catch(() => undefined),
    ),
  );
  await engine?.removeNetwork(network).catch(() => undefined);
  await ctx?.app.get(RedisService).client.del(`${STATE}:cpu-counters`, `${STATE}:events-cursor`);
  await ctx?.close();
}, 60_000);

/** A replica row and its running container (the names match, as the deployer makes them). */
async function startReplica(index: number, script: string): Promise<{ id: string; name: string }> {
  const name = `slipway-test-${run}-r${index}`;
  await prisma.replica.create({
    data: {
      organizationId: tenant.organizationId,
      environmentId: tenant.environmentId,
      releaseId: tenant.releaseIds[0]!,
      deploymentId,
      index,
      containerName: name,
      state: 'HEALTHY',
    },
  });
  const { id } = await engine.runContainer({
    name,
    image: BASE_IMAGE,
    env: {},
    containerPort: 3000,
    labels: {
      ...TEST,
      [LABELS.project]: tenant.projectId,
      [LABELS.environment]: tenant.environmentId,
      [LABELS.release]: tenant.releaseIds[0]!,
      [LABELS.deployment]: deploymentId,
      [LABELS.replica]: String(index),
    },
    memoryMb: 64,
    cpuMillis: 500,
    network,
    command: ['node', '-e', script],
  });
  return { id, name };
}

const pass = () => sampler.sample({ labels: { 'slipway.test.run': run }, concurrency: 2 });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const range = (minutes: number) => ({ from: new Date(Date.now() - minutes * 60_000).toISOString(), points: 600 });

/** Spins half the time: about a quarter of a core, whatever the CPU limit. */
const BUSY = 'setInterval(() => { const end = Date.now() + 50; while (Date.now() < end); }, 100)';

async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(500);
  }
}

describe('resource sampling (real dockerd)', () => {
  it('records CPU and memory of a running replica against the limits it runs with', async () => {
    const replica = await startReplica(0, BUSY);
    // A managed container of another installation sharing the engine (no replica row here): not read.
    await engine.runContainer({
      name: `slipway-test-${run}-foreign`,
      image: BASE_IMAGE,
      env: {},
      containerPort: 3000,
      labels: { ...TEST, [LABELS.release]: 'elsewhere', [LABELS.replica]: '0' },
      memoryMb: 64,
      cpuMillis: 100,
      network,
      command: ['node', '-e', 'setInterval(() => {}, 1000)'],
    });
    await pass(); // the first reading has no CPU figure: no previous counters yet
    await sleep(2_000);
    const result = await pass();
    expect(result.containers).toBe(1);
    expect(result.failed).toBe(0);
    const dto = await resources.environmentResources(tenant, tenant.environmentId, range(5));
    expect(dto.replicas).toHaveLength(1);
    const [r] = dto.replicas;
    expect(r).toMatchObject({
      replica: replica.name,
      releaseId: tenant.releaseIds[0],
      releaseNumber: 1,
      index: 0,
      cpuLimitPercent: 50,
      memoryLimitBytes: 64 * 1024 * 1024,
    });
    const cpu = r!.cpuPercent.filter((v): v is number => v !== null);
    const memory = r!.memoryBytes.filter((v): v is number => v !== null);
    expect(cpu.length).toBeGreaterThan(0);
    // Busy half of the time: well above idle, never above its 0.5 CPU limit (a little slack for the kernel's accounting).
    expect(Math.max(...cpu)).toBeGreaterThan(10);
    expect(Math.max(...cpu)).toBeLessThan(60);
    expect(Math.min(...memory)).toBeGreaterThan(1024 * 1024);
    expect(Math.max(...memory)).toBeLessThan(64 * 1024 * 1024);
    // The minute rollup holds the same readings.
    const minute = await prisma.replicaResourceMinute.findMany({ where: { replica: replica.name } });
    expect(minute.reduce((n, m) => n + m.samples, 0)).toBe(await prisma.replicaResourceSample.count({ where: { replica: replica.name } }));
    const averages = await resources.releaseResourceAverages(tenant.releaseIds[0]!, new Date(Date.now() - 5 * 60_000), new Date());
    expect(averages.samples).toBeGreaterThanOrEqual(2);
    expect(averages.cpuPercent).toBeGreaterThan(5);
    expect(averages.memoryBytes).toBeGreaterThan(1024 * 1024);
    // Past the raw retention the minute rollup answers, with the same means (sums and counts add).
    const later = new Date(Date.now() + 30 * 86_400_000);
    const viaMinutes = await resources.releaseResourceAverages(tenant.releaseIds[0]!, new Date(Date.now() - 5 * 60_000), new Date(), later);
    expect(viaMinutes.samples).toBe(averages.samples);
    expect(viaMinutes.cpuPercent).toBeCloseTo(averages.cpuPercent!, 6);
    expect(viaMinutes.memoryBytes).toBeCloseTo(averages.memoryBytes!, 0);
  }, 60_000);

  it('shows a restart marker when a replica is killed mid-run and started again', async () => {
    const replica = await startReplica(1, 'setInterval(() => {}, 1000)');
    await pass();
    await docker.getContainer(replica.id).kill({ signal: 'SIGKILL' });
    await engine.startContainer(replica.id); // what the reconciler does with a crashed replica
    const marker = await waitFor('the restart marker', async () => {
      await sleep(1_200); // events are read up to a second ago
      await pass();
      const markers = await resources.listReplicaMarkers(tenant, tenant.environmentId, new Date(Date.now() - 5 * 60_000), new Date());
      return markers.find((m) => m.kind === 'restart' && m.replicaIndex === 1);
    });
    expect(marker).toMatchObject({
      releaseId: tenant.releaseIds[0],
      releaseNumber: 1,
      commitSha: 'c0ffee1',
      authorName: 'Ada',
      deploymentId: null,
    });
    expect(marker.reason).toMatch(/killed \(SIGKILL, exit code 137\)/);
    // Its first start (the deploy) is not a restart.
    const markers = await resources.listReplicaMarkers(tenant, tenant.environmentId, new Date(Date.now() - 5 * 60_000), new Date());
    expect(markers.filter((m) => m.kind === 'restart' && m.replicaIndex === 1)).toHaveLength(1);
  }, 60_000);

  it('shows an OOM-kill marker when a replica outgrows its memory limit', async () => {
    // Allocates and touches 8 MB every 20 ms: past 64 MB in well under a second.
    await startReplica(2, 'const keep = []; setInterval(() => keep.push(Buffer.alloc(8e6, 1)), 20)');
    const marker = await waitFor('the OOM-kill marker', async () => {
      await sleep(1_200);
      await pass();
      const markers = await resources.listReplicaMarkers(tenant, tenant.environmentId, new Date(Date.now() - 5 * 60_000), new Date());
      return markers.find((m) => m.kind === 'oom-kill' && m.replicaIndex === 2);
    });
    expect(marker.reason).toMatch(/out of memory/);
    // The process's end may come a pass after the oom event.
    const die = await waitFor('the die event', async () => {
      await sleep(1_200);
      await pass();
      return (await prisma.replicaEvent.findFirst({ where: { replica: `slipway-test-${run}-r2`, action: 'die' } })) ?? undefined;
    });
    expect(die).toMatchObject({ oomKilled: true, exitCode: 137 });
  }, 60_000);

  it('returns nothing of this environment to another organization', async () => {
    const other = await seedTrafficTenant(prisma, 1);
    const dto = await resources.environmentResources(other, tenant.environmentId, range(5));
    expect(dto.replicas).toEqual([]);
    expect(await resources.listReplicaMarkers(other, tenant.environmentId, new Date(Date.now() - 5 * 60_000), new Date())).toEqual([]);
  });

  it('creates partitions ahead and drops days past the raw retention', async () => {
    const storage = ctx.app.get(ResourcesStorageRepository);
    const now = new Date();
    const old = new Date(now.getTime() - (ctx.config.OBSERVABILITY_RAW_RETENTION_DAYS + 2) * 86_400_000);
    await storage.partitions.create(old);
    const { dropped } = await sampler.maintain(now);
    expect(dropped.map((d) => d.toISOString().slice(0, 10))).toContain(old.toISOString().slice(0, 10));
    const names = (await storage.partitions.days()).map(resourcePartitionName);
    expect(names).not.toContain(resourcePartitionName(old));
    for (let d = 0; d <= 2; d++)
      expect(names).toContain(resourcePartitionName(new Date(Math.floor(now.getTime() / 86_400_000 + d) * 86_400_000)));
  });
});
