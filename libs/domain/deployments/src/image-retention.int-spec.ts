import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AuditModule } from '@slipway/audit';
import { BuildsModule } from '@slipway/builds';
import type { TenantScope } from '@slipway/contracts';
import { CryptoModule } from '@slipway/crypto';
import { DbModule, PrismaService } from '@slipway/db';
import { CONTAINER_RUNTIME, DockerModule, LABELS, type ContainerRuntime } from '@slipway/docker';
import { AppError } from '@slipway/errors';
import { GitModule } from '@slipway/git';
import { QueueModule } from '@slipway/queue';
import { RedisModule } from '@slipway/redis';
import { createDomainTestContext, type DomainTestContext } from '@slipway/testing';
import { DeploymentsModule } from './deployments.module';
import { DeploymentsService } from './deployments.service';
import { ImageRetention } from './image-retention';

// Real dockerd and PostgreSQL. Images are tiny (the local relay base image plus one file), built
// with the labels a real build gives them, and all removed at the end.
const BASE_IMAGE = process.env.SLIPWAY_RELAY_IMAGE ?? 'slipway/relay:1';
const KEEP = 2;
const BUDGET_MB = 1024 * 1024; // far above any cache on a shared test engine: the prune must remove nothing of others'

let ctx: DomainTestContext;
let prisma: PrismaService;
let runtime: ContainerRuntime;
let scope: TenantScope;
let projectId: string;
let environmentId: string;
let contextDir: string;
const created = new Set<string>();
const release: Record<string, { id: string; imageId: string }> = {};
let leftoverImage: string;
let foreignImage: string;
let containerOfV3: string;

async function buildImage(buildId: string): Promise<string> {
  writeFileSync(join(contextDir, 'Dockerfile'), `FROM ${BASE_IMAGE}\nCOPY marker /marker\n`);
  writeFileSync(join(contextDir, 'marker'), randomUUID());
  const { imageId } = await runtime.buildImage({
    contextDir,
    dockerfile: 'Dockerfile',
    tags: [`slipway/retention-it:${buildId.slice(-12)}`],
    labels: { [LABELS.project]: projectId, [LABELS.environment]: environmentId, [LABELS.build]: buildId, [LABELS.test]: '1' },
    network: 'slipway-builds',
    onLog: () => undefined,
  });
  created.add(imageId);
  return imageId;
}

const buildRow = (status: 'RUNNING' | 'FAILED') =>
  prisma.build.create({
    data: {
      organizationId: scope.organizationId,
      projectId,
      environmentId,
      commitSha: randomUUID().replaceAll('-', ''),
      branch: 'main',
      authorName: 'Ada',
      authorEmail: 'ada@example.test',
      message: 'm',
      status,
    },
  });

/** A successful build and its release vN, as RunBuild leaves them. */
async function makeRelease(n: number) {
  const build = await buildRow('RUNNING');
  const imageId = await buildImage(build.id);
  await prisma.build.update({ where: { id: build.id }, data: { status: 'SUCCEEDED', imageId } });
  const r = await prisma.release.create({
    data: {
      organizationId: scope.organizationId,
      projectId,
      environmentId,
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
  release[`v${n}`] = { id: r.id, imageId };
}

const exists = async (imageId: string) => (await runtime.findImage(imageId)) !== null;
const removedAt = async (name: string) => (await prisma.release.findUniqueOrThrow({ where: { id: release[name]!.id } })).imageRemovedAt;

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
    ],
    { RELEASE_IMAGES_KEEP: KEEP, BUILD_CACHE_MAX_MB: BUDGET_MB },
  );
  prisma = ctx.app.get(PrismaService);
  runtime = ctx.app.get<ContainerRuntime>(CONTAINER_RUNTIME);
  contextDir = mkdtempSync(join(tmpdir(), 'slipway-retention-'));
  const org = await prisma.organization.create({ data: { slug: 'retention-it', name: 'Retention IT' } });
  scope = { organizationId: org.id };
  projectId = (await prisma.project.create({ data: { organizationId: org.id, slug: 'shop', hostLabel: 'shop-retention', name: 'Shop' } }))
    .id;
  environmentId = (
    await prisma.environment.create({
      data: {
        organizationId: org.id,
        projectId,
        name: 'production',
        branch: 'main',
        memoryMb: 64,
        cpuMillis: 100,
        replicas: 1,
        healthCheckPath: '/',
      },
    })
  ).id;
  for (let n = 1; n <= 5; n++) await makeRelease(n);
  // v1 was rolled back to: it is live although it is the oldest.
  await prisma.environment.update({ where: { id: environmentId }, data: { liveReleaseId: release.v1!.id } });
  // A failed build whose image was made before it failed (nothing refers to it).
  leftoverImage = await buildImage((await buildRow('FAILED')).id);
  // Another installation's image on the same engine: its build id is not in this database.
  foreignImage = await buildImage(randomUUID());
  // v3's image is used by a container (exited, as a crashed replica is until the reconciler acts).
  await runtime.ensureNetwork(`slipway-${projectId}`, { [LABELS.project]: projectId, [LABELS.test]: '1' });
  containerOfV3 = (
    await runtime.runContainer({
      name: `slipway-retention-it-${projectId}`,
      image: release.v3!.imageId,
      env: {},
      containerPort: 8080,
      labels: { [LABELS.project]: projectId, [LABELS.test]: '1' },
      memoryMb: 32,
      cpuMillis: 100,
      network: `slipway-${projectId}`,
      command: ['socat', '-V'],
    })
  ).id;
}, 120_000);

afterAll(async () => {
  if (!ctx) return;
  for (const c of await runtime.listContainers({ [LABELS.test]: '1', [LABELS.project]: projectId }, { all: true }))
    await runtime.removeContainer(c.id, { force: true });
  await runtime.removeNetwork(`slipway-${projectId}`).catch(() => undefined);
  for (const image of await runtime.listImages({ [LABELS.test]: '1', [LABELS.project]: projectId })) {
    for (const tag of image.tags) await runtime.removeImage(tag).catch(() => undefined);
    await runtime.removeImage(image.id).catch(() => undefined);
  }
  rmSync(contextDir, { recursive: true, force: true });
  await ctx.close();
}, 60_000);

describe('image retention (dockerd, PostgreSQL)', () => {
  it(`keeps the last ${KEEP} releases' images, the live one, and those a container uses; removes the rest of this database's`, async () => {
    const prune = vi.spyOn(runtime, 'pruneBuildCache');
    const cacheBefore = await runtime.buildCacheBytes();
    const result = await ctx.app.get(ImageRetention).run();

    expect(await exists(release.v5!.imageId)).toBe(true);
    expect(await exists(release.v4!.imageId)).toBe(true);
    expect(await exists(release.v1!.imageId)).toBe(true); // live, though the oldest
    expect(await exists(release.v3!.imageId)).toBe(true); // a container uses it
    expect(await exists(release.v2!.imageId)).toBe(false);
    expect(await exists(leftoverImage)).toBe(false);
    expect(await exists(foreignImage)).toBe(true); // not built for this database
    expect(result).toMatchObject({ imagesRemoved: 2, releasesPruned: 1, imagesKept: 0 });

    expect(await removedAt('v2')).not.toBeNull();
    for (const kept of ['v1', 'v3', 'v4', 'v5']) expect(await removedAt(kept), kept).toBeNull();

    // The build cache is trimmed to the budget, in bytes; with a budget above it nothing of it goes.
    expect(prune).toHaveBeenCalledWith(BUDGET_MB * 1024 * 1024);
    expect(result.buildCacheReclaimedBytes).toBe(0);
    expect(await runtime.buildCacheBytes()).toBeLessThanOrEqual(cacheBefore);
  });

  it('refuses a rollback to a release whose image was removed, with RELEASE_IMAGE_REMOVED, and lists it as removed', async () => {
    const err = await ctx.app
      .get(DeploymentsService)
      .rollback(scope, environmentId, release.v2!.id, null)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('RELEASE_IMAGE_REMOVED');
    expect((err as AppError).message).toMatch(/v2's image was removed.*RELEASE_IMAGES_KEEP/);
    expect(await prisma.deployment.count({ where: { environmentId } })).toBe(0); // nothing queued
    const listed = await ctx.app.get(DeploymentsService).releases(scope, environmentId);
    expect(listed.filter((r) => r.imageRemovedAt !== null).map((r) => r.number)).toEqual([2]);
  });

  it('removes an image once no container uses it, and a second pass with nothing to do removes nothing', async () => {
    await runtime.removeContainer(containerOfV3, { force: true });
    expect(await ctx.app.get(ImageRetention).run()).toMatchObject({ imagesRemoved: 1, releasesPruned: 1 });
    expect(await exists(release.v3!.imageId)).toBe(false);
    expect(await removedAt('v3')).not.toBeNull();
    expect(await ctx.app.get(ImageRetention).run()).toMatchObject({ imagesRemoved: 0, releasesPruned: 0 });
    // Exactly the rollback window and the live release are left.
    for (const kept of ['v1', 'v4', 'v5']) expect(await exists(release[kept]!.imageId), kept).toBe(true);
  });

  it('never removes the image of a release a deployment is about to start', async () => {
    await makeRelease(6); // v4 leaves the window…
    const deployment = await prisma.deployment.create({
      data: {
        organizationId: scope.organizationId,
        projectId,
        environmentId,
        releaseId: release.v4!.id,
        kind: 'ROLLBACK',
        status: 'QUEUED',
      },
    });
    await ctx.app.get(ImageRetention).run();
    expect(await exists(release.v4!.imageId)).toBe(true); // …but a rollback to it is queued
    expect(await removedAt('v4')).toBeNull();
    await prisma.deployment.update({ where: { id: deployment.id }, data: { status: 'CANCELLED' } });
    await ctx.app.get(ImageRetention).run();
    expect(await exists(release.v4!.imageId)).toBe(false);
  });
});
