import { Global, Module } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditModule } from '@slipway/audit';
import { BuildsModule } from '@slipway/builds';
import { loadConfig } from '@slipway/config';
import type { OrgActor } from '@slipway/contracts';
import { CryptoModule } from '@slipway/crypto';
import { DbModule, PrismaService } from '@slipway/db';
import { CONTAINER_RUNTIME } from '@slipway/docker';
import { AppError } from '@slipway/errors';
import { GitModule } from '@slipway/git';
import { QueueModule } from '@slipway/queue';
import { RedisModule, RedisService } from '@slipway/redis';
import { FakeDockerEngine, createDomainTestContext, startDnsStub, type DnsStub, type DomainTestContext } from '@slipway/testing';
import { DeploymentsModule } from '../deployments.module';
import { RouteTable } from '../route-table';
import { DnsTxtLookup } from './dns-txt-lookup';
import { DomainsService } from './domains.service';

@Global()
@Module({ providers: [{ provide: CONTAINER_RUNTIME, useValue: new FakeDockerEngine() }], exports: [CONTAINER_RUNTIME] })
class FakeRuntimeModule {}

let ctx: DomainTestContext;
let dns: DnsStub;
let prisma: PrismaService;
let domains: DomainsService;
let routes: RouteTable;
let n = 0;

const codeOf = (p: Promise<unknown>) => p.then(() => 'resolved', (e: unknown) => (e instanceof AppError ? e.code : String(e)));

/** A tenant with one live environment (a HEALTHY replica of its live release), as the route table sees it. */
async function tenant(): Promise<{ actor: OrgActor; environmentId: string }> {
  const label = `t${++n}`;
  const org = await prisma.organization.create({ data: { slug: `dom-${label}`, name: label } });
  const project = await prisma.project.create({ data: { organizationId: org.id, slug: 'app', hostLabel: `app-${label}`, name: 'App' } });
  const env = await prisma.environment.create({ data: { organizationId: org.id, projectId: project.id, name: 'production', branch: 'main', memoryMb: 128, cpuMillis: 500, replicas: 1, healthCheckPath: '/' } });
  await prisma.hostReservation.create({ data: { host: `app-${label}`, kind: 'APP', organizationId: org.id, environmentId: env.id } });
  const build = await prisma.build.create({ data: { organizationId: org.id, projectId: project.id, environmentId: env.id, commitSha: 'a'.repeat(40), branch: 'main', authorName: 'A', authorEmail: 'a@example.test', message: 'v1', status: 'SUCCEEDED' } });
  const release = await prisma.release.create({
    data: { organizationId: org.id, projectId: project.id, environmentId: env.id, buildId: build.id, number: 1, imageId: 'sha256:x', commitSha: build.commitSha, authorName: 'A', message: 'v1', envVarVersions: {}, slipwayConfig: {}, runtime: {} },
  });
  const deployment = await prisma.deployment.create({ data: { organizationId: org.id, projectId: project.id, environmentId: env.id, releaseId: release.id, kind: 'DEPLOY', status: 'SUCCEEDED' } });
  await prisma.replica.create({ data: { organizationId: org.id, environmentId: env.id, releaseId: release.id, deploymentId: deployment.id, index: 0, containerId: `c-${label}`, containerName: `c-${label}`, hostPort: 40000 + n, state: 'HEALTHY' } });
  await prisma.environment.update({ where: { id: env.id }, data: { liveReleaseId: release.id } });
  return { actor: { userId: `u-${label}`, email: `${label}@example.test`, organizationId: org.id, organizationSlug: org.slug, role: 'OWNER' }, environmentId: env.id };
}

/** The hosts the edge would route to an environment after a fresh publish. */
async function routedHosts(environmentId: string): Promise<string[]> {
  const { table } = await routes.publish();
  return table.routes.find((r) => r.environmentId === environmentId)?.hosts ?? [];
}

beforeAll(async () => {
  dns = await startDnsStub();
  const redis = new URL(loadConfig().REDIS_URL);
  redis.pathname = '/14';
  ctx = await createDomainTestContext([DbModule, CryptoModule, AuditModule, GitModule, RedisModule, QueueModule, FakeRuntimeModule, BuildsModule, DeploymentsModule], {
    REDIS_URL: redis.toString(),
    APPS_DOMAIN: 'apps.test',
    PUBLIC_API_URL: 'https://slipway.example.test',
    DOMAIN_DNS_SERVERS: [dns.address],
    DOMAIN_VERIFY_TTL_HOURS: 1,
  });
  prisma = ctx.app.get(PrismaService);
  await ctx.app.get(RedisService).client.flushdb();
  domains = ctx.app.get(DomainsService);
  routes = ctx.app.get(RouteTable);
});
afterAll(async () => {
  await ctx?.close();
  await dns?.close();
});

describe('custom domains, verified by DNS TXT before the edge routes them', () => {
  it('a new domain is pending and not routed; the verify call says what is missing, then routes it once the record holds the token', async () => {
    const { actor, environmentId } = await tenant();
    const added = await domains.add(actor, environmentId, { hostname: 'www.shop.example' });
    expect(added).toMatchObject({ status: 'pending', verification: { type: 'TXT', name: '_slipway-challenge.www.shop.example', value: expect.stringMatching(/^slipway-[0-9a-f]{32}$/) } });
    expect(await routedHosts(environmentId)).toEqual([`app-t${n}.apps.test`]);

    expect(await codeOf(domains.verify(actor, environmentId, added.id))).toBe('DOMAIN_NOT_VERIFIED');
    expect((await domains.list(actor, environmentId))[0]).toMatchObject({ status: 'pending', problem: expect.stringContaining('No TXT record found at _slipway-challenge.www.shop.example') });
    dns.setTxt(added.verification.name, ['unrelated']);
    expect(await codeOf(domains.verify(actor, environmentId, added.id))).toBe('DOMAIN_NOT_VERIFIED');

    dns.setTxt(added.verification.name, ['unrelated', added.verification.value]);
    expect(await domains.verify(actor, environmentId, added.id)).toMatchObject({ status: 'verified', problem: null, expiresAt: null });
    expect((await routes.current())?.routes.find((r) => r.environmentId === environmentId)?.hosts).toEqual([`app-t${n}.apps.test`, 'www.shop.example']);
    expect(await prisma.auditLog.count({ where: { organizationId: actor.organizationId, action: 'domain.verified' } })).toBe(1);
    // Verifying again is harmless.
    expect((await domains.verify(actor, environmentId, added.id)).status).toBe('verified');
  });

  it("another organization cannot add a verified name, and may add a pending one; the first to verify gets it and the other is told", async () => {
    const a = await tenant();
    const b = await tenant();
    const first = await domains.add(a.actor, a.environmentId, { hostname: 'taken.example' });
    dns.setTxt(first.verification.name, [first.verification.value]);
    await domains.verify(a.actor, a.environmentId, first.id);
    expect(await codeOf(domains.add(b.actor, b.environmentId, { hostname: 'taken.example' }))).toBe('DOMAIN_TAKEN');
    expect(await domains.list(b.actor, b.environmentId)).toEqual([]);

    const aPending = await domains.add(a.actor, a.environmentId, { hostname: 'contested.example' });
    const bPending = await domains.add(b.actor, b.environmentId, { hostname: 'contested.example' });
    dns.setTxt(bPending.verification.name, [bPending.verification.value]);
    expect((await domains.verify(b.actor, b.environmentId, bPending.id)).status).toBe('verified');
    expect(await codeOf(domains.verify(a.actor, a.environmentId, aPending.id))).toBe('DOMAIN_TAKEN');
    const aView = (await domains.list(a.actor, a.environmentId)).find((d) => d.hostname === 'contested.example');
    expect(aView).toMatchObject({ status: 'pending', problem: expect.stringContaining('verified first by another organization') });
    expect(await routedHosts(a.environmentId)).not.toContain('contested.example');
    expect(await routedHosts(b.environmentId)).toContain('contested.example');
  });

  it('two organizations proving one name at the same moment: exactly one gets it', async () => {
    const a = await tenant();
    const b = await tenant();
    const da = await domains.add(a.actor, a.environmentId, { hostname: 'race.example' });
    const db = await domains.add(b.actor, b.environmentId, { hostname: 'race.example' });
    dns.setTxt('_slipway-challenge.race.example', [da.verification.value, db.verification.value]);
    const results = await Promise.all([codeOf(domains.verify(a.actor, a.environmentId, da.id)), codeOf(domains.verify(b.actor, b.environmentId, db.id))]);
    expect(results.sort()).toEqual(['DOMAIN_TAKEN', 'resolved']);
    expect(await prisma.hostReservation.count({ where: { host: 'race.example' } })).toBe(1);
  });

  it("refuses names under APPS_DOMAIN or the platform's own hosts with DOMAIN_RESERVED, writing nothing", async () => {
    const { actor, environmentId } = await tenant();
    for (const hostname of ['x.apps.test', 'apps.test', 'slipway.example.test', 'console.slipway.example.test', 'a.localhost']) {
      expect(await codeOf(domains.add(actor, environmentId, { hostname })), hostname).toBe('DOMAIN_RESERVED');
    }
    expect(await domains.list(actor, environmentId)).toEqual([]);
  });

  it('removing a verified domain releases the name and the edge stops routing it', async () => {
    const { actor, environmentId } = await tenant();
    const added = await domains.add(actor, environmentId, { hostname: 'gone.example' });
    dns.setTxt(added.verification.name, [added.verification.value]);
    await domains.verify(actor, environmentId, added.id);
    await domains.remove(actor, environmentId, added.id);
    expect((await routes.current())?.routes.find((r) => r.environmentId === environmentId)?.hosts).not.toContain('gone.example');
    expect(await prisma.hostReservation.count({ where: { host: 'gone.example' } })).toBe(0);
  });

  it("the worker's re-check verifies pending domains whose record appeared and removes those whose time ran out", async () => {
    const { actor, environmentId } = await tenant();
    const later = await domains.add(actor, environmentId, { hostname: 'later.example' });
    const stale = await domains.add(actor, environmentId, { hostname: 'stale.example' });
    const silent = await domains.add(actor, environmentId, { hostname: 'silent.example' });
    dns.setTxt(later.verification.name, [later.verification.value]);
    dns.setTxt(stale.verification.name, [stale.verification.value]); // too late: it expired first
    await prisma.domain.update({ where: { id: stale.id }, data: { expiresAt: new Date(Date.now() - 1000) } });

    const result = await domains.recheckPending();
    expect(result.expired).toBeGreaterThanOrEqual(1);
    expect(result.verified).toBeGreaterThanOrEqual(1);
    const list = await domains.list(actor, environmentId);
    expect(list.map((d) => [d.hostname, d.status])).toEqual([
      ['later.example', 'verified'],
      ['silent.example', 'pending'],
    ]);
    expect(list.find((d) => d.id === silent.id)?.problem).toContain('No TXT record');
    expect((await routes.current())?.routes.find((r) => r.environmentId === environmentId)?.hosts).toContain('later.example');
    expect(await prisma.auditLog.count({ where: { organizationId: actor.organizationId, action: 'domain.expired', target: 'domain:stale.example' } })).toBe(1);
  });

  it('a DNS server that does not answer is "unavailable", never "no record"', async () => {
    const lookup = new DnsTxtLookup({ DOMAIN_DNS_SERVERS: ['127.0.0.1:9'] });
    expect((await lookup.lookup('_slipway-challenge.www.example.com')).kind).toBe('unavailable');
  });
});
