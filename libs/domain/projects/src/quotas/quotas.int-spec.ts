import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditModule } from '@slipway/audit';
import { DbModule, PrismaService, type Tx } from '@slipway/db';
import { GitModule } from '@slipway/git';
import { CryptoModule } from '@slipway/crypto';
import { RedisModule } from '@slipway/redis';
import { QueueModule } from '@slipway/queue';
import { AppError } from '@slipway/errors';
import { createDomainTestContext, type DomainTestContext } from '@slipway/testing';
import type { OrgActor } from '@slipway/contracts';
import { ProjectsModule } from '../projects.module';
import { ProjectsService } from '../projects.service';
import { EnvironmentsService } from '../environments.service';
import { OrgQuotas } from './org-quotas.service';

let ctx: DomainTestContext;
let projects: ProjectsService;
let environments: EnvironmentsService;
let quotas: OrgQuotas;
let prisma: PrismaService;

async function orgActor(slug: string): Promise<OrgActor> {
  const user = await prisma.user.create({ data: { email: `${slug}@example.test`, name: slug, passwordHash: 'x' } });
  const org = await prisma.organization.create({ data: { slug, name: slug, memberships: { create: { userId: user.id, role: 'OWNER' } } } });
  return { userId: user.id, email: user.email, organizationId: org.id, organizationSlug: org.slug, role: 'OWNER' };
}
const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e: unknown) => (e instanceof AppError ? e.code : String(e)),
  );

beforeAll(async () => {
  ctx = await createDomainTestContext([DbModule, RedisModule, CryptoModule, GitModule, AuditModule, QueueModule, ProjectsModule], {
    ORG_MAX_PROJECTS: 3,
    ORG_MAX_REPLICAS: 6,
    ORG_MAX_MEMORY_MB: 4096,
  });
  projects = ctx.app.get(ProjectsService);
  environments = ctx.app.get(EnvironmentsService);
  quotas = ctx.app.get(OrgQuotas);
  prisma = ctx.app.get(PrismaService);
});
afterAll(() => ctx?.close());

describe('organization quotas against PostgreSQL', () => {
  it('lets exactly ORG_MAX_PROJECTS of 8 parallel project creations through; the others write nothing', async () => {
    const org = await orgActor('racing');
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => codeOf(projects.create(org, { name: `App ${i}` }))));
    expect(results.filter((r) => r === 'resolved')).toHaveLength(3);
    expect(results.filter((r) => r === 'QUOTA_EXCEEDED')).toHaveLength(5);
    expect(await prisma.project.count({ where: { organizationId: org.organizationId } })).toBe(3);
    expect(await prisma.auditLog.count({ where: { organizationId: org.organizationId, action: 'project.created' } })).toBe(3);
    // Another organization has its own quota.
    expect(await codeOf(projects.create(await orgActor('neighbour'), { name: 'App' }))).toBe('resolved');
  });

  it('refuses environments and resizes past the replicas or memory quota, in parallel too', async () => {
    const org = await orgActor('sizes');
    await projects.create(org, { name: 'Shop' }); // production: 1 × 512 MB
    const parallel = await Promise.all(
      ['qa', 'dev', 'demo'].map((name) => codeOf(environments.create(org, 'shop', { name, branch: name, replicas: 2, memoryMb: 256 }))),
    );
    // 1 + 2 + 2 = 5 replicas fit 6; a third environment of 2 would make 7.
    expect(parallel.sort()).toEqual(['QUOTA_EXCEEDED', 'resolved', 'resolved']);
    expect(await prisma.environment.count({ where: { organizationId: org.organizationId } })).toBe(3);

    expect(await codeOf(environments.update(org, 'shop', 'production', { replicas: 3 }))).toBe('QUOTA_EXCEEDED');
    expect(await codeOf(environments.update(org, 'shop', 'production', { memoryMb: 4096 }))).toBe('QUOTA_EXCEEDED');
    const production = await prisma.environment.findFirst({ where: { organizationId: org.organizationId, name: 'production' } });
    expect(production).toMatchObject({ replicas: 1, memoryMb: 512 });
    expect(await codeOf(environments.update(org, 'shop', 'production', { replicas: 2, branch: 'trunk' }))).toBe('resolved');
    expect(await quotas.show(org)).toEqual([
      { name: 'projects', used: 1, limit: 3, setting: 'ORG_MAX_PROJECTS' },
      { name: 'replicas', used: 6, limit: 6, setting: 'ORG_MAX_REPLICAS' },
      { name: 'memoryMb', used: 2048, limit: 4096, setting: 'ORG_MAX_MEMORY_MB' },
    ]);
    // Changing only the branch of an organization at its limit is fine; shrinking always is.
    expect(await codeOf(environments.update(org, 'shop', 'production', { branch: 'main' }))).toBe('resolved');
    expect(await codeOf(environments.update(org, 'shop', 'production', { replicas: 1 }))).toBe('resolved');
  });

  it('counts a live release bigger than its environment settings (slipway.yaml resources)', async () => {
    const org = await orgActor('live');
    await projects.create(org, { name: 'Api' });
    const env = await prisma.environment.findFirstOrThrow({ where: { organizationId: org.organizationId } });
    const tx = (fn: (t: Tx) => Promise<void>) => prisma.$transaction(fn);
    // A release asking for 5 × 512 MB on top of nothing else fits (5 ≤ 6), 7 would not.
    await expect(
      tx((t) => quotas.assertEnvironmentFits(org, { environmentId: env.id, release: { replicas: 5, memoryMb: 512 } }, t)),
    ).resolves.toBeUndefined();
    await expect(
      tx((t) => quotas.assertEnvironmentFits(org, { environmentId: env.id, release: { replicas: 7, memoryMb: 128 } }, t)),
    ).rejects.toMatchObject({ code: 'QUOTA_EXCEEDED' });
  });
});
