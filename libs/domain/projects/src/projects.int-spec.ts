import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditModule } from '@slipway/audit';
import { DbModule, PrismaService } from '@slipway/db';
import { GitModule } from '@slipway/git';
import { CryptoModule } from '@slipway/crypto';
import { RedisModule } from '@slipway/redis';
import { QueueModule } from '@slipway/queue';
import { AppError } from '@slipway/errors';
import { createDomainTestContext, type DomainTestContext } from '@slipway/testing';
import type { OrgActor } from '@slipway/contracts';
import { ProjectsModule } from './projects.module';
import { ProjectsService } from './projects.service';
import { EnvironmentsService } from './environments.service';

let ctx: DomainTestContext;
let projects: ProjectsService;
let environments: EnvironmentsService;
let prisma: PrismaService;

async function orgActor(slug: string): Promise<OrgActor> {
  const user = await prisma.user.create({ data: { email: `${slug}@example.test`, name: slug, passwordHash: 'x' } });
  const org = await prisma.organization.create({ data: { slug, name: slug, memberships: { create: { userId: user.id, role: 'OWNER' } } } });
  return { userId: user.id, email: user.email, organizationId: org.id, organizationSlug: org.slug, role: 'OWNER' };
}
const codeOf = (p: Promise<unknown>) => p.then(() => 'resolved', (e: unknown) => (e instanceof AppError ? e.code : String(e)));

beforeAll(async () => {
  ctx = await createDomainTestContext([DbModule, RedisModule, CryptoModule, GitModule, AuditModule, QueueModule, ProjectsModule]);
  projects = ctx.app.get(ProjectsService);
  environments = ctx.app.get(EnvironmentsService);
  prisma = ctx.app.get(PrismaService);
});
afterAll(() => ctx?.close());

describe('projects against PostgreSQL and git', () => {
  it('creates the project, its production environment and a bare git repository together', async () => {
    const acme = await orgActor('acme');
    const p = await projects.create(acme, { name: 'Web' });
    expect(p.environments.map((e) => e.name)).toEqual(['production']);
    expect(p.gitRemoteUrl).toMatch(/\/git\/acme\/web\.git$/);
    expect(existsSync(join(ctx.config.DATA_DIR, 'git', `${p.id}.git`, 'HEAD'))).toBe(true);
    expect(await prisma.auditLog.count({ where: { organizationId: acme.organizationId, action: 'project.created' } })).toBe(1);
  });

  it('rolls back and removes the repository when the slug is taken', async () => {
    const beta = await orgActor('beta');
    await projects.create(beta, { name: 'Api' });
    const before = await prisma.project.count();
    expect(await codeOf(projects.create(beta, { name: 'API' }))).toBe('SLUG_TAKEN');
    expect(await prisma.project.count()).toBe(before);
    expect(await prisma.auditLog.count({ where: { organizationId: beta.organizationId, action: 'project.created' } })).toBe(1);
  });

  it("confines every read and write to the caller's organization", async () => {
    const owner = await orgActor('owner-org');
    const other = await orgActor('other-org');
    await projects.create(owner, { name: 'Secret Project' });
    expect(await codeOf(projects.get(other, 'secret-project'))).toBe('NOT_FOUND');
    expect(await codeOf(environments.resolve(other, 'secret-project', 'production'))).toBe('NOT_FOUND');
    expect(await codeOf(environments.create(other, 'secret-project', { name: 'staging', branch: 'dev' }))).toBe('NOT_FOUND');
    expect(await codeOf(projects.delete(other, 'secret-project'))).toBe('NOT_FOUND');
    expect(await projects.list(other)).toEqual([]);
    // The same slug is free in another organization.
    expect((await projects.create(other, { name: 'Secret Project' })).slug).toBe('secret-project');
  });

  it('protects production and keeps environment names unique per project', async () => {
    const gamma = await orgActor('gamma');
    await projects.create(gamma, { name: 'Shop' });
    await environments.create(gamma, 'shop', { name: 'staging', branch: 'develop', replicas: 2 });
    expect(await codeOf(environments.create(gamma, 'shop', { name: 'staging', branch: 'x' }))).toBe('ENVIRONMENT_NAME_TAKEN');
    expect(await codeOf(environments.delete(gamma, 'shop', 'production'))).toBe('ENVIRONMENT_PROTECTED');
    await environments.delete(gamma, 'shop', 'staging');
    expect((await projects.get(gamma, 'shop')).environments.map((e) => e.name)).toEqual(['production']);
  });
});
