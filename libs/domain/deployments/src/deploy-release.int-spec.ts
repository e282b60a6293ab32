import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Global, Module } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditModule } from '@slipway/audit';
import { BuildsModule, BuildsService, RunBuild } from '@slipway/builds';
import { EDGE_ROUTES_KEY, type EdgeRouteTable, type TenantScope } from '@slipway/contracts';
import { CONFIG, type Config } from '@slipway/config';
import { CryptoModule } from '@slipway/crypto';
import { DbModule, PrismaService } from '@slipway/db';
import { QueueModule } from '@slipway/queue';
import { CONTAINER_RUNTIME, DockerModule, LABELS, type ContainerRuntime } from '@slipway/docker';
import { GitModule, GitRepositories, readCommit } from '@slipway/git';
import { RedisModule, RedisService, RouteTableStore } from '@slipway/redis';
import { createDomainTestContext, sampleAppPath, type DomainTestContext } from '@slipway/testing';
import { HEALTH_CHECKER, REPLICA_LOG_FLUSHER, type ReplicaLogFlusher } from './deploy-options';
import { DeployRelease } from './deploy-release';
import { waitHealthy, type HealthChecker } from './health-check';
import { DeploymentsModule } from './deployments.module';
import { DeploymentsService } from './deployments.service';

const exec = promisify(execFile);
const gitEnv = {
  PATH: process.env.PATH,
  HOME: tmpdir(),
  GIT_AUTHOR_NAME: 'Ada',
  GIT_AUTHOR_EMAIL: 'ada@example.test',
  GIT_COMMITTER_NAME: 'Ada',
  GIT_COMMITTER_EMAIL: 'ada@example.test',
};
const REDIS_URL = `${(process.env.REDIS_URL ?? 'redis://127.0.0.1:63799').replace(/\/\d*$/, '')}/6`;

let ctx: DomainTestContext;
let prisma: PrismaService;
let runtime: ContainerRuntime;
let store: RouteTableStore;
let scope: TenantScope;
let projectId: string;
let environmentId: string;
let bare: string;
let work: string;
const images = new Set<string>();
const releases: Record<string, string> = {};

/** Commits the work tree, pushes it, builds it, and returns the release id. */
async function buildCommit(message: string): Promise<string> {
  for (const args of [
    ['add', '-A'],
    ['commit', '-qm', message],
    ['push', '-q', bare, 'main'],
  ])
    await exec('git', args, { cwd: work, env: gitEnv });
  const commit = await readCommit(bare, 'main');
  const build = await ctx.app.get(BuildsService).queue(scope, { projectId, environmentId, branch: 'main' }, commit);
  const outcome = await ctx.app.get(RunBuild).execute(scope, build.id);
  if (outcome.status !== 'SUCCEEDED') throw new Error(`build of ${message} failed: ${JSON.stringify(outcome)}`);
  const release = await prisma.release.findUniqueOrThrow({ where: { id: outcome.releaseId } });
  images.add(release.imageId);
  return release.id;
}

async function deploy(releaseId: string, kind: 'DEPLOY' | 'ROLLBACK' = 'DEPLOY') {
  const deployment =
    kind === 'ROLLBACK'
      ? await ctx.app.get(DeploymentsService).rollback(scope, environmentId, releaseId, { userId: 'u' })
      : await ctx.app.get(DeploymentsService).deployRelease(scope, { releaseId, kind });
  const steps: string[] = [];
  const outcome = await ctx.app.get(DeployRelease).execute(scope, deployment.id, { onEvent: (_id, e) => steps.push(e.message) });
  return { outcome, steps, row: await prisma.deployment.findUniqueOrThrow({ where: { id: deployment.id } }) };
}

const get = (port: number, path = '/') =>
  new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, timeout: 2_000 }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });

/** The one route of our environment in the published table, and its upstream ports. */
async function liveRoute(): Promise<{ table: EdgeRouteTable; releaseId: string; ports: number[]; hosts: string[] }> {
  const table = (await store.load())!;
  const route = table.routes.find((r) => r.environmentId === environmentId)!;
  return { table, releaseId: route.releaseId, ports: route.upstreams.map((u) => u.port), hosts: route.hosts };
}

/** The real health check; a test may wrap it to act at a given moment of a run (see the fencing test). */
let healthCheck: HealthChecker = waitHealthy;
@Global()
@Module({ providers: [{ provide: HEALTH_CHECKER, useValue: ((...args) => healthCheck(...args)) satisfies HealthChecker }], exports: [HEALTH_CHECKER] })
class HealthHookModule {}

/**
 * The port the worker binds to the logs collector (which stores what it reads: its own int-spec).
 * Here it records what a flush could read, which shows it ran while the container still existed.
 */
const flushedLines = new Map<string, string>();
const recordingFlusher: ReplicaLogFlusher = {
  async flushContainer(ref) {
    // As the collector's: a container already gone (a superseded run removed it) is not an error.
    const lines = await runtime.readLogs(ref, {}).catch(() => []);
    flushedLines.set(ref, lines.map((l) => l.text).join('\n'));
  },
};
@Global()
@Module({ providers: [{ provide: REPLICA_LOG_FLUSHER, useValue: recordingFlusher }], exports: [REPLICA_LOG_FLUSHER] })
class ReplicaLogsHookModule {}

const containersOf = (releaseId: string) => runtime.listContainers({ [LABELS.release]: releaseId, [LABELS.test]: '1' }, { all: true });

beforeAll(async () => {
  ctx = await createDomainTestContext(
    [
      DbModule,
      CryptoModule,
      AuditModule,
      GitModule,
      DockerModule,
      RedisModule,
      QueueModule,
      BuildsModule,
      HealthHookModule,
      ReplicaLogsHookModule,
      DeploymentsModule.register({ drainSeconds: 1, healthIntervalMs: 100, extraLabels: { [LABELS.test]: '1' } }),
    ],
    { REDIS_URL, APPS_DOMAIN: 'apps.test' },
  );
  prisma = ctx.app.get(PrismaService);
  runtime = ctx.app.get<ContainerRuntime>(CONTAINER_RUNTIME);
  store = new RouteTableStore(ctx.app.get(RedisService).client);
  await store.client.del(EDGE_ROUTES_KEY);
  const org = await prisma.organization.create({ data: { slug: 'deploy-it', name: 'Deploy IT' } });
  scope = { organizationId: org.id };
  const project = await prisma.project.create({ data: { organizationId: org.id, slug: 'shop', hostLabel: 'shop', name: 'Shop' } });
  projectId = project.id;
  const env = await prisma.environment.create({
    data: {
      organizationId: org.id,
      projectId,
      name: 'production',
      branch: 'main',
      memoryMb: 128,
      cpuMillis: 500,
      replicas: 1,
      healthCheckPath: '/healthz',
    },
  });
  environmentId = env.id;
  // Its host, as ProjectsService reserves it: the route table is built from reservations.
  await prisma.hostReservation.create({ data: { host: 'shop', kind: 'APP', organizationId: org.id, environmentId } });
  bare = await ctx.app.get(GitRepositories).create(projectId);
  work = mkdtempSync(join(tmpdir(), 'slipway-deploy-src-'));
  cpSync(sampleAppPath('node-http'), work, { recursive: true });
  await exec('git', ['init', '-q', '-b', 'main'], { cwd: work, env: gitEnv });

  releases.v1 = await buildCommit('v1');
  writeFileSync(join(work, 'VERSION'), 'v2\n');
  releases.v2 = await buildCommit('v2');
  cpSync(sampleAppPath('unhealthy'), work, { recursive: true });
  writeFileSync(join(work, 'slipway.yaml'), 'healthCheck:\n  timeoutSeconds: 3\n');
  releases.unhealthy = await buildCommit('unhealthy');
}, 120_000);

afterAll(async () => {
  if (!ctx) return;
  for (const c of await runtime.listContainers({ [LABELS.test]: '1', [LABELS.project]: projectId }, { all: true }))
    await runtime.removeContainer(c.id, { force: true });
  await runtime.removeNetwork(`slipway-${projectId}`).catch(() => undefined);
  for (const image of images) await runtime.removeImage(image).catch(() => undefined);
  await store.client.del(EDGE_ROUTES_KEY).catch(() => undefined);
  if (work) rmSync(work, { recursive: true, force: true });
  await ctx.close();
}, 60_000);

describe('deploying real images with zero downtime (dockerd, Postgres, Redis)', () => {
  it('deploys v1: the container answers on 127.0.0.1 and the route table points at it', async () => {
    const { outcome, steps } = await deploy(releases.v1!);
    expect(outcome, JSON.stringify(outcome)).toMatchObject({ status: 'SUCCEEDED' });
    expect(steps[0]).toBe('starting 1 replica of v1');
    const route = await liveRoute();
    expect(route).toMatchObject({ releaseId: releases.v1, hosts: ['shop.apps.test'] });
    expect(route.ports).toHaveLength(1);
    expect(await get(route.ports[0]!)).toEqual({ status: 200, body: 'node-http v1\n' });
    expect((await prisma.environment.findUniqueOrThrow({ where: { id: environmentId } })).liveReleaseId).toBe(releases.v1);
  });

  it('deploys v2: the table switches to v2 and the v1 containers are gone after the drain', async () => {
    const before = await liveRoute();
    const { outcome, steps } = await deploy(releases.v2!);
    expect(outcome).toMatchObject({ status: 'SUCCEEDED' });
    expect(steps).toEqual(expect.arrayContaining(['switching traffic to v2', 'draining v1 (1 replica) for 1 s', 'stopped v1 (1 replica)']));
    const after = await liveRoute();
    expect(after.releaseId).toBe(releases.v2);
    expect(after.table.version).toBeGreaterThan(before.table.version);
    expect(after.ports).not.toEqual(before.ports);
    expect(await get(after.ports[0]!)).toMatchObject({ body: 'node-http v2\n' });
    expect(await containersOf(releases.v1!)).toEqual([]);
    expect(await prisma.replica.findMany({ where: { releaseId: releases.v1 }, select: { state: true } })).toEqual([{ state: 'STOPPED' }]);
  });

  it('fails an unhealthy release with its log lines, keeps v2 in the table, and leaves no container', async () => {
    const before = await liveRoute();
    const { outcome, row } = await deploy(releases.unhealthy!);
    expect(outcome).toMatchObject({ status: 'FAILED', reason: expect.stringContaining('health check') });
    expect(row.status).toBe('FAILED');
    expect(row.failureReason).toMatch(/HTTP 500/);
    expect(row.failedReplicaLogs).toContain('cannot reach the database');
    // Its lines were flushed to the logs collector before its container was removed.
    expect([...flushedLines.values()].join('\n')).toContain('cannot reach the database');
    const after = await liveRoute();
    expect(after.table.version).toBe(before.table.version);
    expect(after.releaseId).toBe(releases.v2);
    expect(await get(after.ports[0]!)).toMatchObject({ body: 'node-http v2\n' });
    expect(await containersOf(releases.unhealthy!)).toEqual([]);
  });

  it('refuses a deployment when the machine is full (MACHINE_FULL), before starting or stopping anything: v2 keeps serving', async () => {
    const config = ctx.app.get<Config>(CONFIG);
    const before = await liveRoute();
    const v2Containers = await containersOf(releases.v2!);
    // A headroom larger than the machine's memory: no release fits any more.
    const headroom = config.MACHINE_MEMORY_RESERVED_MB;
    config.MACHINE_MEMORY_RESERVED_MB = 1024 * 1024;
    try {
      const { outcome, row, steps } = await deploy(releases.v1!);
      expect(outcome).toMatchObject({ status: 'FAILED', reason: expect.stringMatching(/^MACHINE_FULL: this machine has 0 MB of memory left for apps and the release needs 128 MB/) });
      expect(row.failureReason).toContain('MACHINE_MEMORY_RESERVED_MB');
      expect(steps).not.toContain('starting 1 replica of v1');
    } finally {
      config.MACHINE_MEMORY_RESERVED_MB = headroom;
    }
    const after = await liveRoute();
    expect(after.table.version).toBe(before.table.version);
    expect(after.releaseId).toBe(releases.v2);
    expect(await get(after.ports[0]!)).toMatchObject({ status: 200, body: 'node-http v2\n' });
    expect(await containersOf(releases.v2!)).toEqual(v2Containers);
    expect(await prisma.replica.count({ where: { releaseId: releases.v1, state: { not: 'STOPPED' } } })).toBe(0);
  });

  it('rolls back to v1 without a rebuild: the table points at a new v1 container', async () => {
    const builds = await prisma.build.count();
    const { outcome, row } = await deploy(releases.v1!, 'ROLLBACK');
    expect(outcome).toMatchObject({ status: 'SUCCEEDED' });
    expect(row.kind).toBe('ROLLBACK');
    expect(await prisma.build.count()).toBe(builds);
    const after = await liveRoute();
    expect(after.releaseId).toBe(releases.v1);
    expect(await get(after.ports[0]!)).toEqual({ status: 200, body: 'node-http v1\n' });
    expect(await containersOf(releases.v2!)).toEqual([]);
    await expect(ctx.app.get(DeploymentsService).rollback(scope, environmentId, releases.v2!, { userId: 'u' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    const timeline = await ctx.app.get(DeploymentsService).timeline(scope, row.id);
    expect(timeline.map((e) => e.step)).toEqual(['start', 'health', 'switch', 'drain', 'stop', 'done']);
  });

  it('one deployment at a time: a newer one cancels the queued one, and an unknown release is NOT_FOUND', async () => {
    const service = ctx.app.get(DeploymentsService);
    const first = await service.deployRelease(scope, { releaseId: releases.v2!, kind: 'DEPLOY' });
    const second = await service.deployRelease(scope, { releaseId: releases.v2!, kind: 'REDEPLOY' });
    expect(await service.find(scope, first.id)).toMatchObject({
      status: 'CANCELLED',
      failureReason: expect.stringContaining('Superseded'),
    });
    expect(await ctx.app.get(DeployRelease).execute(scope, first.id)).toEqual({ status: 'SKIPPED' });
    await prisma.deployment.update({ where: { id: second.id }, data: { status: 'CANCELLED' } });
    await expect(service.deployRelease(scope, { releaseId: '00000000-0000-7000-8000-000000000000', kind: 'DEPLOY' })).rejects.toMatchObject(
      { code: 'NOT_FOUND' },
    );
    await expect(service.deployRelease({ organizationId: 'other-org' }, { releaseId: releases.v2!, kind: 'DEPLOY' })).rejects.toMatchObject(
      { code: 'NOT_FOUND' },
    );
    expect((await service.list(scope, environmentId)).map((d) => d.status)).toEqual([
      'CANCELLED',
      'CANCELLED',
      'SUCCEEDED',
      'FAILED', // MACHINE_FULL
      'FAILED', // unhealthy
      'SUCCEEDED',
      'SUCCEEDED',
    ]);
  });

  it('two runs of one deployment (its job started again while it ran): the newer run owns it, the first stops writing and removes nothing of it', async () => {
    const deployment = await ctx.app.get(DeploymentsService).deployRelease(scope, { releaseId: releases.v2!, kind: 'DEPLOY' });
    const deploy = ctx.app.get(DeployRelease);
    // The first run's replica is healthy and recorded when its queue lock lapses and the job
    // runs again beside it: the second run claims the deployment before the first writes again.
    let second: ReturnType<DeployRelease['execute']> | undefined;
    healthCheck = async (rt, options) => {
      const result = await waitHealthy(rt, options);
      if (!second) {
        second = deploy.execute(scope, deployment.id);
        for (let i = 0; i < 100 && (await prisma.deployment.findUniqueOrThrow({ where: { id: deployment.id } })).attempt < 2; i++) await new Promise((r) => setTimeout(r, 50));
      }
      return result;
    };
    try {
      const first = await deploy.execute(scope, deployment.id);
      expect(first, JSON.stringify(first)).toEqual({ status: 'SKIPPED' });
      expect(await second).toMatchObject({ status: 'SUCCEEDED' });
    } finally {
      healthCheck = waitHealthy;
    }

    expect(await prisma.deployment.findUniqueOrThrow({ where: { id: deployment.id } })).toMatchObject({ status: 'SUCCEEDED', attempt: 2 });
    // One replica of v2 runs, the second run's, and it is the one the edge routes to.
    const rows = await prisma.replica.findMany({ where: { deploymentId: deployment.id }, orderBy: { createdAt: 'asc' } });
    expect(rows.map((r) => r.state)).toEqual(['FAILED', 'HEALTHY']);
    const containers = await runtime.listContainers({ [LABELS.deployment]: deployment.id }, { all: true });
    expect(containers.map((c) => c.id)).toEqual([rows[1]!.containerId]);
    const route = await liveRoute();
    expect(route.releaseId).toBe(releases.v2);
    expect(route.ports).toEqual([rows[1]!.hostPort]);
    expect(await get(route.ports[0]!)).toMatchObject({ status: 200, body: 'node-http v2\n' });
    // The first run wrote nothing once the second claimed the deployment (not even its replica's
    // health): after its `start`, the second run's steps alone.
    const steps = (await ctx.app.get(DeploymentsService).timeline(scope, deployment.id)).map((e) => e.step);
    expect(steps.slice(0, 5)).toEqual(['start', 'resume', 'start', 'health', 'switch']);
    expect(steps.filter((step) => step === 'health' || step === 'switch' || step === 'done')).toEqual(['health', 'switch', 'done']);
  });
});
