import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AuditModule } from '@slipway/audit';
import { DbModule, PrismaService } from '@slipway/db';
import { GitModule } from '@slipway/git';
import { CryptoModule } from '@slipway/crypto';
import { GatewayInvalidation, RedisModule, RedisService, type GatewayInvalidationEvent } from '@slipway/redis';
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

describe('app hosts across tenants', () => {
  const hostOf = (url: string) => new URL(url).hostname;
  const reservations = () => prisma.hostReservation.findMany({ where: { kind: 'APP' }, select: { host: true } }).then((rows) => rows.map((r) => r.host));

  it("an environment of one tenant and another tenant's project that the old rule gave one host get distinct hosts, in either order", async () => {
    const a = await orgActor('hosts-a');
    const b = await orgActor('hosts-b');
    await projects.create(a, { name: 'Mall' });
    const aStaging = hostOf((await environments.create(a, 'mall', { name: 'staging', branch: 'staging' })).url);
    const bProduction = hostOf((await projects.create(b, { name: 'Mall Staging' })).environments[0]!.url);
    expect(aStaging).toBe(`mall--staging.${ctx.config.APPS_DOMAIN}`);
    expect(bProduction).toBe(`mall-staging.${ctx.config.APPS_DOMAIN}`);
    // The reverse order: the project first, then the environment.
    const bFirst = hostOf((await projects.create(b, { name: 'Deli Preview' })).environments[0]!.url);
    await projects.create(a, { name: 'Deli' });
    const aLater = hostOf((await environments.create(a, 'deli', { name: 'preview', branch: 'preview' })).url);
    expect(new Set([bFirst, aLater]).size).toBe(2);
    const all = await reservations();
    expect(new Set(all).size).toBe(all.length);
  });

  it('writes the generated host in the same transaction as the environment, and releases it with the environment', async () => {
    const c = await orgActor('hosts-c');
    await projects.create(c, { name: 'Cafe' });
    await environments.create(c, 'cafe', { name: 'qa', branch: 'qa' });
    expect(await reservations()).toEqual(expect.arrayContaining(['cafe', 'cafe--qa']));
    await environments.delete(c, 'cafe', 'qa');
    expect(await reservations()).not.toContain('cafe--qa');
    await projects.delete(c, 'cafe');
    expect(await reservations()).not.toContain('cafe');
  });

  it("gives a project named after a platform host another label, and takes the next label when a host already has the slug", async () => {
    const d = await orgActor('hosts-d');
    for (const name of ['api', 'www', 'console', 'localhost']) {
      const host = hostOf((await projects.create(d, { name })).environments[0]!.url);
      expect(host).toBe(`${name}-hosts-d.${ctx.config.APPS_DOMAIN}`);
    }
    // A host given before the naming rule (legacy `<label>-<env>`) blocks the label too.
    const e = await orgActor('hosts-e');
    const legacy = await projects.create(e, { name: 'Old' });
    await prisma.hostReservation.create({ data: { host: 'bar-staging', kind: 'APP', organizationId: e.organizationId, environmentId: legacy.environments[0]!.id } });
    const f = await orgActor('hosts-f');
    expect(hostOf((await projects.create(f, { name: 'Bar Staging' })).environments[0]!.url)).toBe(`bar-staging-hosts-f.${ctx.config.APPS_DOMAIN}`);
  });

  it('refuses "--" in new slugs and environment names, and names too long for one DNS label, writing nothing', async () => {
    const g = await orgActor('hosts-g');
    const before = await prisma.environment.count();
    expect(await codeOf(projects.create(g, { name: 'X', slug: 'a--b' }))).toBe('VALIDATION_FAILED');
    await projects.create(g, { name: 'L'.repeat(40) });
    expect(await codeOf(environments.create(g, 'l'.repeat(40), { name: 'e'.repeat(22), branch: 'x' }))).toBe('VALIDATION_FAILED');
    await expect(environments.create(g, 'l'.repeat(40), { name: 'a--b', branch: 'x' })).rejects.toThrow();
    expect(await prisma.environment.count()).toBe(before + 1);
  });

  it('two tenants creating the same project name at once both succeed with distinct labels', async () => {
    const [h, i] = await Promise.all([orgActor('hosts-h'), orgActor('hosts-i')]);
    const [ph, pi] = await Promise.all([projects.create(h, { name: 'Race' }), projects.create(i, { name: 'Race' })]);
    expect(hostOf(ph.environments[0]!.url)).not.toBe(hostOf(pi.environments[0]!.url));
  });

  it("tells every api process to drop the gateway keys of a deleted environment or project, after the commit", async () => {
    const d = await orgActor('delta');
    const created = await projects.create(d, { name: 'Bot' });
    await environments.create(d, 'bot', { name: 'preview', branch: 'preview' });
    const preview = (await projects.get(d, 'bot')).environments.find((e) => e.name === 'preview')!;
    // Another api process: its own Redis connection, following the channel.
    const otherRedis = new RedisService(ctx.config);
    const other = new GatewayInvalidation(otherRedis);
    const seen: GatewayInvalidationEvent[] = [];
    other.subscribe((event) => seen.push(event));
    await other.ready();
    try {
      await environments.delete(d, 'bot', 'preview');
      await vi.waitFor(() => expect(seen).toContainEqual({ environmentId: preview.id }), { timeout: 2_000, interval: 20 });
      await projects.delete(d, 'bot');
      await vi.waitFor(() => expect(seen).toContainEqual({ projectId: created.id }), { timeout: 2_000, interval: 20 });
      // A refused deletion announces nothing.
      const before = seen.length;
      expect(await codeOf(environments.delete(d, 'bot', 'production'))).toBe('NOT_FOUND');
      await new Promise((r) => setTimeout(r, 100));
      expect(seen).toHaveLength(before);
    } finally {
      other.onModuleDestroy();
      await otherRedis.onModuleDestroy();
    }
  });
});
