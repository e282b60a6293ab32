import { Global, Module } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditModule } from '@slipway/audit';
import { BuildsModule } from '@slipway/builds';
import { loadConfig } from '@slipway/config';
import { CryptoModule } from '@slipway/crypto';
import { DbModule, PrismaService } from '@slipway/db';
import { CONTAINER_RUNTIME, LABELS } from '@slipway/docker';
import { GitModule } from '@slipway/git';
import { rowJobId } from '@slipway/contracts';
import { AppError } from '@slipway/errors';
import { JobQueue, JobWorkers, QueueModule } from '@slipway/queue';
import { RedisModule, RouteTableStore, RedisService } from '@slipway/redis';
import { FakeDockerEngine, createDomainTestContext, type DomainTestContext } from '@slipway/testing';
import { DEPLOYMENT_GATEWAY, HEALTH_CHECKER, REPLICA_LOG_FLUSHER, type DeploymentGateway, type ReplicaLogFlusher } from '../deploy-options';
import { DeploymentsModule } from '../deployments.module';
import { Reconciler } from './reconciler';

const docker = new FakeDockerEngine();
/** Containers whose logs were flushed, and whether each still existed then (it must: flushed before removal). */
const flushed: { ref: string; present: boolean }[] = [];
const logFlusher: ReplicaLogFlusher = { flushContainer: async (ref) => void flushed.push({ ref, present: (await docker.getContainer(ref)) !== null }) };

@Global()
@Module({
  providers: [
    { provide: CONTAINER_RUNTIME, useValue: docker },
    { provide: HEALTH_CHECKER, useValue: async () => ({ healthy: true, durationMs: 1 }) },
    // As in the worker: deployments hand out the gateway, so project networks need relays.
    { provide: DEPLOYMENT_GATEWAY, useValue: { containerSettings: async () => ({ env: {}, extraHosts: [] }), liveReleaseChanged: async () => undefined } satisfies DeploymentGateway },
    // As in the worker: a container's last log lines are stored before it is removed.
    { provide: REPLICA_LOG_FLUSHER, useValue: logFlusher },
  ],
  exports: [CONTAINER_RUNTIME, HEALTH_CHECKER, DEPLOYMENT_GATEWAY, REPLICA_LOG_FLUSHER],
})
class FakeRuntimeModule {}

let ctx: DomainTestContext;
let prisma: PrismaService;
let routes: RouteTableStore;
const minutes = (n: number) => new Date(Date.now() + n * 60_000);

/** An environment with v1 live on one HEALTHY replica, its container running in the fake engine. */
async function liveEnvironment(label: string) {
  const org = await prisma.organization.create({ data: { slug: `rc-${label}`, name: label } });
  const project = await prisma.project.create({ data: { organizationId: org.id, slug: 'app', hostLabel: `app-${label}`, name: 'App' } });
  const env = await prisma.environment.create({ data: { organizationId: org.id, projectId: project.id, name: 'production', branch: 'main', memoryMb: 128, cpuMillis: 500, replicas: 1, healthCheckPath: '/' } });
  await prisma.hostReservation.create({ data: { host: `app-${label}`, kind: 'APP', organizationId: org.id, environmentId: env.id } }); // the route table is built from reservations
  const build = await prisma.build.create({ data: { organizationId: org.id, projectId: project.id, environmentId: env.id, commitSha: 'a'.repeat(40), branch: 'main', authorName: 'A', authorEmail: 'a@example.test', message: 'v1', status: 'SUCCEEDED' } });
  const release = await prisma.release.create({
    data: { organizationId: org.id, projectId: project.id, environmentId: env.id, buildId: build.id, number: 1, imageId: 'sha256:x', commitSha: build.commitSha, authorName: 'A', message: 'v1', envVarVersions: {}, slipwayConfig: {}, runtime: { port: 3000, healthCheckPath: '/', healthCheckTimeoutSeconds: 5, memoryMb: 128, cpuMillis: 500, replicas: 1, capAdd: [], command: null } },
  });
  const deployment = await prisma.deployment.create({ data: { organizationId: org.id, projectId: project.id, environmentId: env.id, releaseId: release.id, kind: 'DEPLOY', status: 'SUCCEEDED', startedAt: new Date(), finishedAt: new Date() } });
  docker.addImage('sha256:x');
  await docker.ensureNetwork('n', {});
  const labels = { [LABELS.environment]: env.id, [LABELS.deployment]: deployment.id, [LABELS.release]: release.id };
  const c = await docker.runContainer({ name: `c-${label}`, image: 'sha256:x', env: {}, containerPort: 3000, labels, memoryMb: 128, cpuMillis: 500, network: 'n' });
  const replica = await prisma.replica.create({ data: { organizationId: org.id, environmentId: env.id, releaseId: release.id, deploymentId: deployment.id, index: 0, containerId: c.id, containerName: `c-${label}`, hostPort: c.hostPort, state: 'HEALTHY' } });
  await prisma.environment.update({ where: { id: env.id }, data: { liveReleaseId: release.id } });
  return { org, env, release, deployment, replica, container: c, labels };
}

beforeAll(async () => {
  const redis = new URL(loadConfig().REDIS_URL);
  redis.pathname = '/8';
  ctx = await createDomainTestContext([DbModule, CryptoModule, AuditModule, GitModule, RedisModule, QueueModule, FakeRuntimeModule, BuildsModule, DeploymentsModule], { REDIS_URL: redis.toString() });
  prisma = ctx.app.get(PrismaService);
  await ctx.app.get(RedisService).client.flushdb();
  routes = new RouteTableStore(ctx.app.get(RedisService).client);
});
afterAll(() => ctx?.close());

describe('the reconciler (Postgres desired state against the container runtime)', () => {
  it('takes a crashed replica out of the route table, restarts it with backoff, and routes it again once healthy', async () => {
    const { replica, container, deployment } = await liveEnvironment('crash');
    docker.exitContainer(container.id, 137);
    // One clock for both passes: on a loaded machine a pass may take longer than the first backoff.
    const t0 = new Date();
    const first = await ctx.app.get(Reconciler).run(t0);
    expect(first.crashed).toBe(1);
    const crashed = await prisma.replica.findUniqueOrThrow({ where: { id: replica.id } });
    expect(crashed).toMatchObject({ state: 'CRASHED', restarts: 1, lastExitCode: 137 });
    expect((await routes.load())?.routes.flatMap((r) => r.upstreams.map((u) => u.containerId))).not.toContain(container.id);
    expect((await prisma.deploymentEvent.findMany({ where: { deploymentId: deployment.id } })).map((e) => e.step)).toContain('replica-crashed');

    expect((await ctx.app.get(Reconciler).run(t0)).restarted).toBe(0); // backoff not elapsed
    const second = await ctx.app.get(Reconciler).run(minutes(1));
    expect(second.restarted).toBe(1);
    expect(await prisma.replica.findUniqueOrThrow({ where: { id: replica.id } })).toMatchObject({ state: 'HEALTHY' });
    expect((await routes.load())?.routes.flatMap((r) => r.upstreams.map((u) => u.containerId))).toContain(container.id);
  });

  it('reports a crash loop as an error event', async () => {
    const { replica, container, deployment } = await liveEnvironment('loop');
    await prisma.replica.update({ where: { id: replica.id }, data: { restarts: 4 } });
    docker.exitContainer(container.id, 1);
    await ctx.app.get(Reconciler).run();
    const events = await prisma.deploymentEvent.findMany({ where: { deploymentId: deployment.id } });
    expect(events).toEqual(expect.arrayContaining([expect.objectContaining({ step: 'crash-loop', level: 'error' })]));
  });

  it('removes orphan containers of known environments and leaves unknown ones alone', async () => {
    const { labels } = await liveEnvironment('orphan');
    const orphan = await docker.runContainer({ name: 'orphan', image: 'sha256:x', env: {}, containerPort: 3000, labels, memoryMb: 64, cpuMillis: 100, network: 'n' });
    const foreign = await docker.runContainer({ name: 'foreign', image: 'sha256:x', env: {}, containerPort: 3000, labels: { [LABELS.environment]: 'another-install', [LABELS.deployment]: 'x' }, memoryMb: 64, cpuMillis: 100, network: 'n' });
    await ctx.app.get(Reconciler).run(minutes(3));
    expect(await docker.getContainer(orphan.id)).toBeNull();
    expect(await docker.getContainer(foreign.id)).not.toBeNull();
    expect(flushed).toContainEqual({ ref: orphan.id, present: true });
    expect(flushed.map((f) => f.ref)).not.toContain(foreign.id);
  });

  it('leaves a young container of a deployment alone while it is created but not started yet', async () => {
    const { labels } = await liveEnvironment('starting');
    const starting = await docker.runContainer({ name: 'starting', image: 'sha256:x', env: {}, containerPort: 3000, labels, memoryMb: 64, cpuMillis: 100, network: 'n' });
    docker.containers.get(starting.id)!.state = 'created'; // the engine created it; its start is still on the way
    await ctx.app.get(Reconciler).run();
    expect(await docker.getContainer(starting.id)).not.toBeNull();
    await ctx.app.get(Reconciler).run(minutes(3)); // never started: an orphan once the grace is over
    expect(await docker.getContainer(starting.id)).toBeNull();
  });

  it('fails a deployment stuck in RUNNING, with a reason, and re-enqueues queued work whose job was lost', async () => {
    const { org, env, release } = await liveEnvironment('stuck');
    const stuck = await prisma.deployment.create({ data: { organizationId: org.id, projectId: env.projectId, environmentId: env.id, releaseId: release.id, kind: 'REDEPLOY', status: 'RUNNING', startedAt: minutes(-30) } });
    await prisma.deployment.create({ data: { organizationId: org.id, projectId: env.projectId, environmentId: env.id, releaseId: release.id, kind: 'REDEPLOY', status: 'QUEUED', queuedAt: minutes(-5) } });
    const report = await ctx.app.get(Reconciler).run();
    expect(report.failedStuck).toBeGreaterThanOrEqual(1);
    expect(report.requeued).toBeGreaterThanOrEqual(1);
    expect(await prisma.deployment.findUniqueOrThrow({ where: { id: stuck.id } })).toMatchObject({ status: 'FAILED', failureReason: expect.stringContaining('previous release stays live') });
  });

  it("keeps the gateway relay of a project with replicas running: started when missing, replaced when stopped", async () => {
    const { env } = await liveEnvironment('relay');
    docker.addImage(ctx.config.SLIPWAY_RELAY_IMAGE);
    await docker.ensureNetwork(`slipway-${env.projectId}`, {});
    const relayOf = () => docker.running().find((c) => c.name === `slipway-relay-${env.projectId}`);
    expect(relayOf()).toBeUndefined();

    expect((await ctx.app.get(Reconciler).run()).relaysStarted).toBe(1);
    expect(relayOf()).toMatchObject({ network: `slipway-${env.projectId}`, labels: { [LABELS.project]: env.projectId, [LABELS.role]: 'gateway-relay' } });
    expect((await ctx.app.get(Reconciler).run()).relaysStarted).toBe(0);

    await docker.stopContainer(relayOf()!.id, { timeoutSeconds: 0 });
    expect((await ctx.app.get(Reconciler).run()).relaysStarted).toBe(1);
    expect(relayOf()?.state).toBe('running');
  });

  it('queues work again under a new attempt when its job failed for good, and leaves work whose job still runs alone', async () => {
    const { org, env } = await liveEnvironment('requeue');
    const queuedBuild = (message: string) =>
      prisma.build.create({ data: { organizationId: org.id, projectId: env.projectId, environmentId: env.id, commitSha: 'b'.repeat(40), branch: 'main', authorName: 'A', authorEmail: 'a@example.test', message, status: 'QUEUED', queuedAt: minutes(-5) } });
    const failed = await queuedBuild('its job failed');
    const running = await queuedBuild('its job still runs');
    const jobs = ctx.app.get(JobQueue);
    for (const b of [failed, running]) await jobs.enqueue('build', rowJobId(b.id, b.attempt), { organizationId: org.id, buildId: b.id, objects: {} });
    // A worker that took both jobs: the first fails for good (its database was away as it
    // started), the second keeps running; both rows stay QUEUED.
    const taken: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    ctx.app.get(JobWorkers).register(
      'build',
      async ({ buildId }) => {
        taken.push(buildId);
        if (buildId === running.id) return held;
        if (taken.filter((id) => id === buildId).length === 1) throw new AppError('INTERNAL', 'database away', undefined, { retryable: false });
      },
      2,
    );
    const until = async (what: string, ok: () => Promise<boolean>) => {
      for (let i = 0; i < 200 && !(await ok()); i++) await new Promise((r) => setTimeout(r, 50));
      if (!(await ok())) throw new Error(`timed out waiting for ${what}`);
    };
    try {
      await until('both jobs to be taken and the first to fail', async () => taken.includes(running.id) && !(await jobs.isPending('build', rowJobId(failed.id, 0))));

      const report = await ctx.app.get(Reconciler).run();
      expect(report.requeued).toBe(1);
      expect(await prisma.build.findUniqueOrThrow({ where: { id: failed.id } })).toMatchObject({ status: 'QUEUED', attempt: 1 });
      expect(await prisma.build.findUniqueOrThrow({ where: { id: running.id } })).toMatchObject({ status: 'QUEUED', attempt: 0 });
      // The build runs again: BullMQ took the new attempt's job (the failed job's id it would have ignored).
      await until('the build to run again', async () => taken.filter((id) => id === failed.id).length === 2);
      expect(taken.filter((id) => id === running.id)).toHaveLength(1);
    } finally {
      release();
      await prisma.build.updateMany({ where: { id: { in: [failed.id, running.id] } }, data: { status: 'CANCELLED' } });
    }
  });

  it('queues the deployment of the newest release built just before its worker stopped, once, and never an older one', async () => {
    const built = async (env: { id: string; projectId: string; organizationId: string }, number: number, options: { branch?: string; finishedAt?: Date } = {}) => {
      const build = await prisma.build.create({
        data: { organizationId: env.organizationId, projectId: env.projectId, environmentId: env.id, commitSha: `${number}`.repeat(40).slice(0, 40), branch: options.branch ?? 'main', authorName: 'A', authorEmail: 'a@example.test', message: `v${number}`, status: 'SUCCEEDED', finishedAt: options.finishedAt ?? minutes(-2) },
      });
      return prisma.release.create({
        data: { organizationId: env.organizationId, projectId: env.projectId, environmentId: env.id, buildId: build.id, number, imageId: 'sha256:x', commitSha: build.commitSha, authorName: 'A', message: `v${number}`, envVarVersions: {}, slipwayConfig: {}, runtime: {} },
      });
    };
    const deploymentsOf = (releaseId: string) => prisma.deployment.findMany({ where: { releaseId } });

    const { env } = await liveEnvironment('undeployed');
    const v2 = await built(env, 2);
    // Behind v2, another environment whose newest release (v3) did deploy (and failed): v2 there stays as it is.
    const { env: other } = await liveEnvironment('undeployed-older');
    const skipped = await built(other, 2);
    const v3 = await built(other, 3);
    await prisma.deployment.create({ data: { organizationId: other.organizationId, projectId: other.projectId, environmentId: other.id, releaseId: v3.id, kind: 'DEPLOY', status: 'FAILED' } });
    // A release of another branch than the one followed, and one built a moment ago (its worker is deploying it).
    const { env: feature } = await liveEnvironment('undeployed-branch');
    const fromFeature = await built(feature, 2, { branch: 'feature' });
    const { env: fresh } = await liveEnvironment('undeployed-fresh');
    const justBuilt = await built(fresh, 2, { finishedAt: new Date() });

    expect((await ctx.app.get(Reconciler).run()).deploymentsQueued).toBe(1);
    const [deployment] = await deploymentsOf(v2.id);
    expect(deployment).toMatchObject({ kind: 'DEPLOY', status: 'QUEUED' });
    expect(await ctx.app.get(JobQueue).isPending('deploy', rowJobId(deployment!.id, deployment!.attempt))).toBe(true);
    for (const r of [skipped, fromFeature, justBuilt]) expect(await deploymentsOf(r.id)).toEqual([]);

    expect((await ctx.app.get(Reconciler).run()).deploymentsQueued).toBe(0);
    expect(await deploymentsOf(v2.id)).toHaveLength(1);
    await prisma.deployment.update({ where: { id: deployment!.id }, data: { status: 'CANCELLED' } });
  });
});
