import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditModule } from '@slipway/audit';
import { BuildsModule } from '@slipway/builds';
import { loadConfig } from '@slipway/config';
import { CryptoModule } from '@slipway/crypto';
import { DbModule, PrismaService } from '@slipway/db';
import { DeploymentsModule, ProjectTeardown, projectNetwork } from '@slipway/deployments';
import { CONTAINER_RUNTIME, DockerModule, LABELS, type ContainerRuntime } from '@slipway/docker';
import { GitModule } from '@slipway/git';
import { ProjectDataPurge, ProjectDataPurgeModule } from '@slipway/observability';
import { JobWorkers, QueueModule } from '@slipway/queue';
import { RedisModule } from '@slipway/redis';
import { createDomainTestContext, type DomainTestContext } from '@slipway/testing';
import { TeardownJob } from './teardown.job';
import { TABLES, countOf as countRows, observabilityRows as seedRows, type Table } from './project-rows.int-support';

/**
 * A deleted project frees everything: on a real dockerd its replica, gateway relay, network and
 * release images; in PostgreSQL its rows in every observability table (no foreign keys there), and
 * nothing of another project. The route table goes to a Redis database of this file's own.
 */
const redisUrl = new URL(loadConfig().REDIS_URL);
redisUrl.pathname = '/10';
const BASE_IMAGE = process.env.SLIPWAY_RELAY_IMAGE ?? 'slipway/relay:1';

let ctx: DomainTestContext;
let prisma: PrismaService;
let runtime: ContainerRuntime;
let dir: string;
let organizationId: string;
const projects: Record<'gone' | 'kept', { id: string; environmentId: string; releaseIds: string[] }> = {} as never;
const imagesOfGone: string[] = [];
let replicaOfGone: string;
const countOf = (t: Table, projectId: string) => countRows(prisma, t, projectId);
const observabilityRows = (p: { id: string; environmentId: string; releaseIds: string[] }, replica: string) =>
  seedRows(prisma, { ...p, organizationId }, replica);

/** The docker CLI's view (the runtime port has no network listing): exit 1 when there is no such network. */
const networkExists = (name: string) =>
  new Promise<boolean>((resolve) => execFile('docker', ['network', 'inspect', name], (err) => resolve(!err)));

/** A project with one environment and two releases (each with its own labelled image when `images`). */
async function project(slug: string, images: boolean) {
  const { id } = await prisma.project.create({
    data: { organizationId, slug, hostLabel: `${slug}-${randomUUID().slice(0, 8)}`, name: slug },
  });
  const env = await prisma.environment.create({
    data: {
      organizationId,
      projectId: id,
      name: 'production',
      branch: 'main',
      memoryMb: 64,
      cpuMillis: 100,
      replicas: 1,
      healthCheckPath: '/',
    },
  });
  const releaseIds: string[] = [];
  for (const n of [1, 2]) {
    const build = await prisma.build.create({
      data: {
        organizationId,
        projectId: id,
        environmentId: env.id,
        commitSha: randomUUID().replaceAll('-', ''),
        branch: 'main',
        authorName: 'Ada',
        authorEmail: 'ada@example.test',
        message: `v${n}`,
        status: 'SUCCEEDED',
      },
    });
    let imageId = `sha256:${'0'.repeat(64)}`;
    if (images) {
      writeFileSync(join(dir, 'Dockerfile'), `FROM ${BASE_IMAGE}\nCOPY marker /marker\n`);
      writeFileSync(join(dir, 'marker'), randomUUID());
      ({ imageId } = await runtime.buildImage({
        contextDir: dir,
        dockerfile: 'Dockerfile',
        tags: [`slipway/${slug}-teardown-it:v${n}`],
        labels: { [LABELS.project]: id, [LABELS.environment]: env.id, [LABELS.build]: build.id, [LABELS.test]: '1' },
        network: 'slipway-builds',
        onLog: () => undefined,
      }));
      imagesOfGone.push(imageId);
      await prisma.build.update({ where: { id: build.id }, data: { imageId } });
    }
    const release = await prisma.release.create({
      data: {
        organizationId,
        projectId: id,
        environmentId: env.id,
        buildId: build.id,
        number: n,
        imageId,
        commitSha: build.commitSha,
        authorName: 'Ada',
        message: `v${n}`,
        envVarVersions: {},
        slipwayConfig: {},
        runtime: {},
      },
    });
    releaseIds.push(release.id);
  }
  return { id, environmentId: env.id, releaseIds };
}

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
      DeploymentsModule.register({ extraLabels: { [LABELS.test]: '1' } }),
      ProjectDataPurgeModule,
    ],
    { REDIS_URL: redisUrl.toString() },
  );
  prisma = ctx.app.get(PrismaService);
  runtime = ctx.app.get<ContainerRuntime>(CONTAINER_RUNTIME);
  dir = mkdtempSync(join(tmpdir(), 'slipway-teardown-'));
  // Today's partitions, as the collectors create them ahead.
  const day = new Date().toISOString().slice(0, 10);
  const next = new Date(Date.parse(day) + 86_400_000).toISOString().slice(0, 10);
  for (const table of ['AppTrafficSample', 'ReplicaResourceSample', 'AppLogLine'])
    await prisma.$executeRawUnsafe(
      `CREATE TABLE IF NOT EXISTS "${table}_p${day.replaceAll('-', '')}" PARTITION OF "${table}" FOR VALUES FROM ('${day}') TO ('${next}')`,
    );

  organizationId = (await prisma.organization.create({ data: { slug: 'teardown-it', name: 'Teardown IT' } })).id;
  projects.gone = await project('gone', true);
  projects.kept = await project('kept', false);

  // What deployments leave on the engine: the project network, a replica of v2 and the gateway relay.
  const network = projectNetwork(projects.gone.id);
  const labels = { [LABELS.project]: projects.gone.id, [LABELS.test]: '1' };
  await runtime.ensureNetwork(network, labels);
  replicaOfGone = (
    await runtime.runContainer({
      name: `slipway-teardown-it-${projects.gone.id}`,
      image: imagesOfGone[1]!,
      env: {},
      containerPort: 8080,
      labels: { ...labels, [LABELS.environment]: projects.gone.environmentId, [LABELS.release]: projects.gone.releaseIds[1]! },
      memoryMb: 32,
      cpuMillis: 100,
      network,
      command: ['socat', 'TCP-LISTEN:8080,reuseaddr,fork', 'STDOUT'],
    })
  ).id;
  await runtime.ensureGatewayRelay({
    name: `slipway-relay-${projects.gone.id}`,
    image: BASE_IMAGE,
    network,
    alias: 'slipway-gateway',
    port: 4000,
    socketMount: dir,
    socketName: 'gateway.sock',
    labels,
  });

  await observabilityRows(projects.gone, replicaOfGone);
  await observabilityRows(projects.kept, `kept-${randomUUID()}`);
  await prisma.releaseVerdict.create({
    data: {
      releaseId: projects.gone.releaseIds[1]!,
      organizationId,
      environmentId: projects.gone.environmentId,
      status: 'HEALTHY',
      summary: 's',
      measures: {},
      liveAt: new Date(),
      windowEndsAt: new Date(),
      evaluatedAt: new Date(),
    },
  });
}, 120_000);

afterAll(async () => {
  if (!ctx) return;
  // Only reached when the teardown under test failed: leave nothing behind either way.
  const gone = projects.gone?.id;
  if (gone) {
    for (const c of await runtime.listContainers({ [LABELS.project]: gone }, { all: true }))
      await runtime.removeContainer(c.id, { force: true });
    await runtime.removeNetwork(projectNetwork(gone)).catch(() => undefined);
    for (const image of await runtime.listImages({ [LABELS.project]: gone })) {
      for (const tag of image.tags) await runtime.removeImage(tag).catch(() => undefined);
      await runtime.removeImage(image.id).catch(() => undefined);
    }
  }
  rmSync(dir, { recursive: true, force: true });
  await ctx.close();
}, 60_000);

describe('teardown job: a deleted project frees all of it (dockerd, PostgreSQL)', () => {
  it('removes its containers, relay, network and images, and its rows in every observability table, and nothing of another project', async () => {
    const gone = projects.gone.id;
    for (const t of TABLES) expect(await countOf(t, gone), t).toBe(1);
    expect(await runtime.listContainers({ [LABELS.project]: gone }, { all: true })).toHaveLength(2);
    expect(await networkExists(projectNetwork(gone))).toBe(true);

    await prisma.project.delete({ where: { id: gone } }); // what ProjectsService.delete commits
    const workers = { register: () => undefined } as unknown as JobWorkers;
    await new TeardownJob(workers, ctx.app.get(ProjectTeardown), ctx.app.get(ProjectDataPurge)).handle({ organizationId, projectId: gone });

    // Docker: nothing labelled with the project, and its release images are gone by id.
    expect(await runtime.listContainers({ [LABELS.project]: gone }, { all: true })).toEqual([]);
    expect(await runtime.getContainer(replicaOfGone)).toBeNull();
    expect(await runtime.listImages({ [LABELS.project]: gone })).toEqual([]);
    for (const image of imagesOfGone) expect(await runtime.findImage(image)).toBeNull();
    expect(await runtime.findImage(`slipway/gone-teardown-it:v1`)).toBeNull();
    expect(await networkExists(projectNetwork(gone))).toBe(false);

    // PostgreSQL: none of its rows, every row of the other project.
    for (const t of TABLES) expect(await countOf(t, gone), t).toBe(0);
    for (const t of TABLES) expect(await countOf(t, projects.kept.id), t).toBe(1);
    expect(await prisma.appLogCursor.count({ where: { environmentId: projects.gone.environmentId } })).toBe(0);
    expect(await prisma.appLogCursor.count({ where: { environmentId: projects.kept.environmentId } })).toBe(1);
    expect(await prisma.releaseVerdict.count({ where: { environmentId: projects.gone.environmentId } })).toBe(0);
    expect(await prisma.release.count({ where: { projectId: projects.kept.id } })).toBe(2);

    // A retried job finds nothing more to do.
    await new TeardownJob(workers, ctx.app.get(ProjectTeardown), ctx.app.get(ProjectDataPurge)).handle({ organizationId, projectId: gone });
  });

  it('deletes in bounded batches until none is left, and only within the organization', async () => {
    const purge = ctx.app.get(ProjectDataPurge);
    const p = projects.kept;
    for (let i = 0; i < 4; i++)
      await prisma.appLogLine.create({
        data: {
          organizationId,
          projectId: p.id,
          environmentId: p.environmentId,
          releaseId: p.releaseIds[0]!,
          at: new Date(),
          replica: 'r',
          stream: 'stdout',
          level: 'info',
          message: `line ${i}`,
        },
      });
    // Another organization's scope removes nothing of this one's.
    expect((await purge.execute({ organizationId: randomUUID() }, p.id, [], 2)).rows).toEqual({});
    expect(await countOf('appLogLine', p.id)).toBe(5);
    expect((await purge.execute({ organizationId }, p.id, [], 2)).rows).toMatchObject({ AppLogLine: 5, AppTrafficSample: 1 });
    for (const t of TABLES) expect(await countOf(t, p.id), t).toBe(0);
  });
});
