import { Global, Module } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditModule } from '@slipway/audit';
import { BuildsModule } from '@slipway/builds';
import { loadConfig } from '@slipway/config';
import { CryptoModule } from '@slipway/crypto';
import { DbModule, PrismaService } from '@slipway/db';
import { CONTAINER_RUNTIME, LABELS } from '@slipway/docker';
import { GitModule } from '@slipway/git';
import { QueueModule } from '@slipway/queue';
import { RedisModule, RouteTableStore, RedisService } from '@slipway/redis';
import { FakeDockerEngine, createDomainTestContext, type DomainTestContext } from '@slipway/testing';
import { DEPLOYMENT_GATEWAY, HEALTH_CHECKER, type DeploymentGateway } from '../deploy-options';
import { DeploymentsModule } from '../deployments.module';
import { Reconciler } from './reconciler';

const docker = new FakeDockerEngine();

@Global()
@Module({
  providers: [
    { provide: CONTAINER_RUNTIME, useValue: docker },
    { provide: HEALTH_CHECKER, useValue: async () => ({ healthy: true, durationMs: 1 }) },
    // As in the worker: deployments hand out the gateway, so project networks need relays.
    { provide: DEPLOYMENT_GATEWAY, useValue: { containerSettings: async () => ({ env: {}, extraHosts: [] }), liveReleaseChanged: async () => undefined } satisfies DeploymentGateway },
  ],
  exports: [CONTAINER_RUNTIME, HEALTH_CHECKER, DEPLOYMENT_GATEWAY],
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
    const first = await ctx.app.get(Reconciler).run();
    expect(first.crashed).toBe(1);
    const crashed = await prisma.replica.findUniqueOrThrow({ where: { id: replica.id } });
    expect(crashed).toMatchObject({ state: 'CRASHED', restarts: 1, lastExitCode: 137 });
    expect((await routes.load())?.routes.flatMap((r) => r.upstreams.map((u) => u.containerId))).not.toContain(container.id);
    expect((await prisma.deploymentEvent.findMany({ where: { deploymentId: deployment.id } })).map((e) => e.step)).toContain('replica-crashed');

    expect((await ctx.app.get(Reconciler).run(new Date())).restarted).toBe(0); // backoff not elapsed
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
});

